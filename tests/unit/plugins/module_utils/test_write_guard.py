"""write_guard.py: reads are told by operation, not by HTTP method (every v2 call is a POST, a v3 group search is
one), anything else counts as a write, and a read-only client refuses a write before any byte is sent, naming the
operation and never the key."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils import write_guard
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client, open_list, regional_clients
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options
from ansible_collections.mailops.sendgrid.plugins.module_utils.write_guard import WriteBlocked, check_v2, check_v3

KEY = 'SG.never-shown-key'


@pytest.mark.parametrize('endpoint,params,operation,read', [
    ('api/invalidemails.get', {'date': 1}, 'get', True),
    ('api/invalidemails.count', {}, 'count', True),
    ('api/invalidemails.delete', {'email': 'a@b.c'}, 'delete', False),
    # The endpoint's own word wins over a task parameter, as the service reads it.
    ('api/invalidemails.delete', {'task': 'get'}, 'delete', False),
    ('apiv2/reseller.manage', {'method': 'invalidemails', 'task': 'get'}, 'get', True),
    ('apiv2/reseller.manage', {'method': 'invalidemails', 'task': 'delete'}, 'delete', False),
    ('apiv2/reseller.subuserManage', {'method': 'bounces', 'task': 'get'}, 'get', True),
    ('apiv2/reseller.subuserManage', {'method': 'bounces', 'task': 'delete'}, 'delete', False),
    ('api/distributor.manage', {'method': 'bounces', 'task': 'get'}, 'get', True),
    ('api/distributor.manage', {'method': 'bounces'}, '', False),
    ('api/distributor.manage', {'method': 'bounces', 'task': 'add'}, 'add', False),
    ('api/unsubscribes.add', {'email': 'a@b.c'}, 'add', False),
    ('api/profile', {}, '', False),
])
def test_a_v2_call_is_a_read_only_when_its_operation_is_get_or_count(endpoint, params, operation, read):
    assert write_guard.v2_operation(endpoint, params) == operation
    assert write_guard.is_v2_read(endpoint, params) is read


@pytest.mark.parametrize('method,path,read', [
    ('GET', 'suppression/bounces', True),
    ('get', 'asm/groups/101', True),
    ('POST', 'asm/groups/101/suppressions/search', True),
    ('POST', '/asm/groups/101/suppressions/search/', True),
    ('POST', 'asm/groups/101/suppressions', False),
    ('POST', 'asm/groups/101/suppressions/search/extra', False),
    ('POST', 'asm/suppressions/global', False),
    ('POST', 'user/webhooks/event/settings', False),
    ('PUT', 'suppression/bounces', False),
    ('PATCH', 'mail_settings/bounce_purge', False),
    ('DELETE', 'suppression/bounces', False),
    ('HEAD', 'suppression/bounces', False),
    ('OPTIONS', 'suppression/bounces', False),
])
def test_a_v3_request_is_a_read_when_it_is_a_get_or_an_allowed_post(method, path, read):
    assert write_guard.is_v3_read(method, path) is read


def test_a_writable_client_lets_everything_through():
    check_v2(False, 'api/invalidemails.delete', {'email': 'a@b.c'})
    check_v3(False, 'DELETE', 'suppression/bounces')


def test_the_refusal_says_check_mode_names_the_operation_and_is_no_sendgrid_error():
    with pytest.raises(WriteBlocked) as raised:
        check_v2(True, 'apiv2/reseller.manage', {'task': 'delete', 'api_key': KEY})
    text = str(raised.value)
    assert text.startswith('write blocked in check mode: POST apiv2/reseller.manage (task delete) changes data')
    assert 'nothing was sent' in text and 'bug' in text and KEY not in text
    assert not isinstance(raised.value, SendGridError), 'a handler of failed requests must not swallow it'
    with pytest.raises(WriteBlocked, match=r'^write blocked in check mode: DELETE v3/suppression/blocks changes'):
        check_v3(True, 'delete', 'suppression/blocks?x=1')


@pytest.mark.parametrize('client_class,call', [
    (ClientV2, lambda client: client.call('api/invalidemails.delete', {'email': 'a@b.c'})),
    (ClientV2, lambda client: client.call('apiv2/reseller.subuserManage', {'method': 'bounces', 'task': 'delete'})),
    (ClientV3, lambda client: client.call('DELETE', 'suppression/bounces', body={'delete_all': True})),
    (ClientV3, lambda client: client.call('POST', 'asm/suppressions/global', body={'recipient_emails': ['a@b.c']})),
    (ClientV3, lambda client: client.call('PATCH', 'mail_settings/bounce_purge', body={'enabled': True})),
])
def test_a_read_only_client_sends_no_byte_of_a_write(canned, client_class, call):
    server = canned(status=200, body=b'{"message": "success"}')
    client = client_class(api_key=KEY, api_url=server.url, read_only=True)
    with pytest.raises(WriteBlocked) as raised:
        call(client)
    assert server.hits == 0 and KEY not in str(raised.value)


def test_a_read_only_client_still_reads_v2_posts_and_v3_searches(canned):
    server = canned(status=200, body=b'[]')
    assert ClientV2(api_key=KEY, api_url=server.url, read_only=True).call('api/invalidemails.get', {'date': 1}) == []
    v3 = ClientV3(api_key=KEY, api_url=server.url, read_only=True)
    assert v3.call('POST', 'asm/groups/7/suppressions/search', body={'recipient_emails': ['a@b.c']}) == []
    assert v3.call('GET', 'suppression/bounces') == []
    assert server.hits == 3


def _options(url, **values):
    return Options.read(dict(dict(api_key=KEY, api_url=url), **values).get)


def test_the_factory_opens_read_only_and_regional_clients_inherit_it():
    options = _options('https://api.sendgrid.com')
    assert open_client(options).read_only is False
    client = open_client(options, read_only=True)
    assert client.read_only is True
    regional = regional_clients(options, client)('eu')
    assert regional is not client and regional.read_only is True, 'an EU subuser is reached read-only too'
    assert regional_clients(options, open_client(options))('eu').read_only is False


def test_a_list_of_a_read_only_client_refuses_its_deletes(canned):
    server = canned(status=204)
    blocks = open_list(open_client(_options(server.url), read_only=True), 'blocks')
    with pytest.raises(WriteBlocked, match='DELETE v3/suppression/blocks'):
        blocks.delete_many(['a@b.c'])
    with pytest.raises(WriteBlocked):
        blocks.delete_all()
    assert server.hits == 0
