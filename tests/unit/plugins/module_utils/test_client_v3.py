"""client_v3.py: the Bearer key, JSON, the errors array, 404 as not found when asked, and the pacer around every
request."""

import json
import time

import pytest
from hostile_server import HostileServer, json_reply

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import (
    NOT_FOUND, ClientV3, api_errors, path_segment)
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError

KEY = 'SG.client-v3-key'


def _client(server, **options):
    return ClientV3(api_key=KEY, api_url=server.url, **dict(dict(max_retries=0), **options))


def test_v3_errors_are_read_from_the_errors_array():
    assert api_errors({'errors': [{'field': 'limit', 'message': 'too big'}, {'field': None, 'message': 'x'}]}) == \
        'limit: too big; x'
    assert api_errors({'errors': [{'message': 'SG.secret leaked'}]}, secrets=('SG.secret',)) == '******** leaked'
    assert api_errors([]) is None and api_errors({'message': 'x'}) is None


def test_the_key_is_a_bearer_header_and_the_user_on_behalf_of():
    with HostileServer(lambda request: json_reply([])) as server:
        assert _client(server).call('GET', 'suppression/blocks', params={'limit': 5}, on_behalf_of='tenant-42') == []
        request = server.requests[0]
    assert request.headers['Authorization'] == 'Bearer ' + KEY
    assert request.headers['on-behalf-of'] == 'tenant-42'
    assert request.path == '/v3/suppression/blocks' and request.form == {'limit': '5'}


def test_a_json_body_is_sent_as_json():
    bodies = []

    def answer(request):
        bodies.append(request)
        return json_reply(b'', status=204)
    with HostileServer(answer) as server:
        assert _client(server).call('DELETE', 'suppression/blocks', body={'emails': ['a@x.test']}) is None
    assert bodies[0].headers['Content-Type'] == 'application/json'


def test_404_is_not_found_only_when_asked():
    with HostileServer(lambda request: json_reply({'errors': [{'message': 'not found'}]}, status=404)) as server:
        assert _client(server).call('GET', 'suppression/blocks/a', missing_ok=True) is NOT_FOUND
        with pytest.raises(SendGridError, match=r'not found \(HTTP 404, GET v3/suppression/blocks/a\)'):
            _client(server).call('GET', 'suppression/blocks/a')


def test_an_error_status_without_an_errors_array_names_the_status():
    with HostileServer(lambda request: json_reply({'whatever': 1}, status=418)) as server:
        with pytest.raises(SendGridError, match='HTTP 418 with an unexpected answer'):
            _client(server).call('GET', 'suppression/blocks')


def test_a_username_is_refused_before_any_request():
    with pytest.raises(SendGridError, match="api_user 'someone' cannot be used with api_version v3"):
        ClientV3(api_user='someone', api_key=KEY, api_url='http://127.0.0.1:1')


@pytest.mark.parametrize('value,expected', [('a@x.test', 'a@x.test'), ('a/b@x.test', 'a%2Fb@x.test'),
                                            ('100%@x', '100%25@x'), (101, '101')])
def test_a_path_segment_is_encoded(value, expected):
    assert path_segment(value) == expected


def test_the_pacer_sees_every_answer():
    with HostileServer(lambda request: json_reply([], headers={'X-RateLimit-Remaining': '0',
                                                               'X-RateLimit-Reset': '1'})) as server:
        client = _client(server)
        client.call('GET', 'suppression/blocks')
    assert client.pacer._remaining is not None and client.pacer._remaining <= 0
    assert json.dumps(client.pacer.waited) == '0.0'


def test_an_unpaged_array_is_read_as_it_arrives():
    addresses = ['user%05d@x.test' % n for n in range(20000)]
    with HostileServer(lambda request: json_reply(addresses)) as server:
        items = _client(server).items('asm/groups/7/suppressions', on_behalf_of='tenant-42')
        assert next(items) == addresses[0]
        assert list(items) == addresses[1:]
        request = server.requests[0]
    assert request.path == '/v3/asm/groups/7/suppressions' and request.headers['on-behalf-of'] == 'tenant-42'


@pytest.mark.parametrize('reply, message', [
    (json_reply({'errors': [{'field': None, 'message': 'access forbidden'}]}, status=403),
     r'access forbidden.*asm\.groups\.suppressions\.read.*HTTP 403, GET v3/asm/groups/7/suppressions'),
    (json_reply({'whatever': 1}, status=418), 'HTTP 418 with an unexpected answer'),
    (json_reply({'recipient_emails': []}), r'unexpected answer: a JSON array was expected, got \{"recipient_emails'),
    (json_reply(b'["a@x.test", "b@'), 'unexpected answer: the answer was truncated or is malformed JSON'),
])
def test_an_unpaged_answer_that_is_no_array_is_an_error_naming_it(reply, message):
    with HostileServer(lambda request: reply) as server:
        with pytest.raises(SendGridError, match=message):
            list(_client(server).items('asm/groups/7/suppressions'))


def test_a_slow_reader_of_an_unpaged_array_is_not_cut():
    """The timeout bounds each read of the body, not the time the reader spends between elements."""
    addresses = ['user%05d@x.test' % n for n in range(20000)]
    with HostileServer(lambda request: json_reply(addresses)) as server:
        items = _client(server, timeout=0.5).items('asm/groups/7/suppressions')
        first = next(items)
        time.sleep(1)
        assert [first] + list(items) == addresses
