"""permissions.py: the one table of the scopes each operation needs (alternatives), held equal to the emulator's
own; the 403 named with the scopes a request likely needed; the key checked once before a long run (a read-only
key refused before any read, its dry run warned, a key that may not read its scopes goes on, v2 never asked)."""

import os

import pytest
from emulator import scopes as emulator_scopes
from emulator.process import FIXTURES, Emulator

from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue, permissions
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_list
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError

VALUES = {'{email}': 'reader@example.com', '{group_id}': '101', '{id}': 'hook-1'}


@pytest.fixture(scope='module')
def emu():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emulator:
        yield emulator


def client(emu, key):
    return ClientV3(api_key=key, api_url=emu.url, max_retries=0)


def concrete(endpoint):
    for name, value in VALUES.items():
        endpoint = endpoint.replace(name, value)
    return endpoint


@pytest.mark.parametrize('method,endpoint', sorted(emulator_scopes.REQUIRED))
def test_the_emulator_enforces_the_collections_table(method, endpoint):
    permission = permissions.for_request(method, concrete(endpoint))
    assert permission is not None and permission.scopes == emulator_scopes.REQUIRED[(method, endpoint)]


def test_every_entry_is_enforced_by_the_emulator():
    named = {permissions.for_request(method, concrete(endpoint)).name for method, endpoint in emulator_scopes.REQUIRED}
    assert named == set(permissions.BY_NAME)


def test_the_classifications_and_the_scopes_are_in_no_entry():
    assert permissions.for_request('GET', 'suppression/bounces/classifications') is None
    assert permissions.for_request('GET', 'suppression/bounces/classifications/Content') is None
    assert permissions.for_request('GET', 'scopes') is None
    assert permissions.for_request('GET', 'suppression/bounces/x@y.z?limit=5').name == 'read_bounces'


def test_every_catalogue_list_has_its_purge():
    for kind in catalogue.CATALOGUE:
        assert permissions.for_list(kind.name)[-1].writes


def test_an_entry_holds_alternatives():
    delete_blocks = permissions.BY_NAME['delete_blocks']
    assert delete_blocks.allowed({'suppression.blocks.delete'}) and delete_blocks.allowed({'suppression.delete'})
    assert not delete_blocks.allowed({'suppression.read', 'suppression.bounces.delete'})
    assert delete_blocks.wording() == '`suppression.delete` or `suppression.blocks.delete`: deleting from blocks'


def test_a_403_names_the_scopes_the_request_likely_needed(emu):
    blocks = open_list(client(emu, 'SG.demo-read-only'), 'blocks')
    with pytest.raises(SendGridError) as caught:
        blocks.delete_many(['blocked@example.net'])
    text = str(caught.value)
    assert 'access forbidden' in text and 'HTTP 403' in text
    assert 'likely needs one of `suppression.delete` or `suppression.blocks.delete`: deleting from blocks' in text
    assert caught.value.api_message == 'access forbidden'


def test_a_group_task_without_asm_groups_read_names_it(emu):
    groups = open_list(client(emu, 'SG.demo-blocks-purge'), 'group_unsubscribes', group='Newsletters')
    with pytest.raises(SendGridError) as caught:
        list(groups.list())
    assert '`asm.groups.read`: reading unsubscribe groups' in str(caught.value)


def test_a_refused_on_behalf_of_is_not_blamed_on_the_key():
    problem = 'on-behalf-of: gone is not a customer or subuser of your account'
    assert permissions.forbidden_hint('GET', 'suppression/blocks', problem) == problem


def test_the_keys_scopes_are_read(emu):
    assert permissions.key_scopes(client(emu, 'SG.demo-blocks-purge')) == {
        'suppression.blocks.read', 'suppression.blocks.delete'}
    assert permissions.key_scopes(client(emu, 'SG.demo-hidden-scopes')) is None


def test_a_purge_with_a_read_only_key_is_refused_naming_the_delete_scope(emu):
    emu.reset_stats()
    check = permissions.check_key(client(emu, 'SG.demo-read-only'), permissions.for_list('blocks'))
    assert check.refusal == ('the API key lacks scopes this run needs, so nothing was read or changed: '
                             '`suppression.delete` or `suppression.blocks.delete`: deleting from blocks')
    assert emu.stats()['total'] == 1    # GET /v3/scopes, nothing else


def test_its_dry_run_is_warned_of_the_missing_write(emu):
    check = permissions.check_key(client(emu, 'SG.demo-read-only'), permissions.for_list('spam_reports'),
                                  dry_run=True)
    assert check.refusal is None
    assert check.warnings == ['the API key lacks scopes a real run needs (this dry run writes nothing): '
                              '`suppression.delete` or `suppression.spam_reports.delete`: deleting from spam reports']


def test_a_dry_run_without_a_read_scope_is_refused(emu):
    check = permissions.check_key(client(emu, 'SG.demo-blocks-purge'), permissions.for_list('bounces'),
                                  dry_run=True)
    assert '`suppression.read` or `suppression.bounces.read`: reading bounces' in check.refusal
    assert 'deleting' not in check.refusal


def test_a_key_with_the_scopes_it_needs_passes(emu):
    check = permissions.check_key(client(emu, 'SG.demo-blocks-purge'), permissions.for_list('blocks'))
    assert check.refusal is None and check.warnings == []


def test_a_key_that_may_not_read_its_scopes_goes_on_and_says_so(emu):
    check = permissions.check_key(client(emu, 'SG.demo-hidden-scopes'), permissions.for_list('blocks'))
    assert check.refusal is None and check.warnings == [permissions.SKIPPED]


def test_v2_has_no_scopes_and_is_never_asked(emu):
    emu.reset_stats()
    v2 = ClientV2(api_user='reseller@example.com', api_key='s3cret', api_url=emu.url)
    check = permissions.check_key(v2, permissions.for_list('invalid_emails'))
    assert check.refusal is None and check.warnings == [] and emu.stats()['total'] == 0


def test_missing_names_each_permission_once():
    wanted = permissions.for_list('blocks') + permissions.for_list('blocks')
    assert [p.name for p in permissions.missing(set(), wanted)] == ['read_blocks', 'delete_blocks']


def test_the_getting_started_guide_shows_the_table():
    guide = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'docs', 'docsite', 'rst',
                         'getting_started.rst')
    with open(guide, encoding='utf-8') as handle:
        text = handle.read()
    shown = text.split('.. BEGIN scopes tables', 1)[1].split('\n\n', 1)[1].split('\n.. END scopes tables', 1)[0]
    assert shown == permissions.rst_tables()


def test_the_guide_names_every_operation_and_every_module():
    text = permissions.rst_tables()
    assert all(permission.doing in text for permission in permissions.PERMISSIONS)
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(os.path.dirname(permissions.__file__), '..',
                                                                   'modules')) if name.startswith('sendgrid_'))
    listed = {name.split('``')[1] for name, dummy, dummy2 in permissions.USES}
    assert set(modules) - listed == {'sendgrid_suppression_cleanup'}   # its own table: a purge of each list


def test_what_a_key_can_do_for_each_intent():
    allowed, missing = permissions.assess({'suppression.read'}, purge=['blocks'], read=['bounces'],
                                          others=['subusers'])
    assert allowed == {'purge': {'blocks': False}, 'read': {'bounces': True}, 'subusers': False}
    assert [gap['intent'] for gap in missing] == ['purge blocks', 'subusers']
    assert permissions.assess(None, purge=['blocks']) == ({'purge': {'blocks': None}}, [])


class _Module:
    def __init__(self, check_mode):
        self.check_mode, self.warnings = check_mode, []

    def warn(self, text):
        self.warnings.append(text)


def test_a_task_over_many_users_is_checked_once_before_its_first_read(emu):
    ran = []
    fleet = permissions.checked_first(_Module(False), ('read_subusers', 'read_webhooks'),
                                      lambda each_client, options: ran.append(options) or 'done')
    with pytest.raises(SendGridError, match='`subusers.read`: reading the subusers; `user.webhooks.event.settings.read'):
        fleet(client(emu, 'SG.demo-blocks-purge'), 'options')
    assert ran == []
    assert fleet(client(emu, 'SG.demo-key'), 'options') == 'done' and ran == ['options']
    module = _Module(True)
    assert permissions.checked_first(module, ('delete_blocks',), lambda *args: 'dry')(
        client(emu, 'SG.demo-read-only'), None) == 'dry'
    assert module.warnings == ['the API key lacks scopes a real run needs (this dry run writes nothing): '
                               '`suppression.delete` or `suppression.blocks.delete`: deleting from blocks']


@pytest.mark.parametrize('answer', [{'scopes': 'suppression.read'}, ['suppression.read'], {'scopes': [1]}])
def test_an_answer_that_is_not_a_list_of_scopes_is_named(answer):
    from hostile_server import HostileServer, json_reply
    with HostileServer(lambda request: json_reply(answer)) as server:
        with pytest.raises(SendGridError, match="the API key's scopes") as caught:
            permissions.key_scopes(ClientV3(api_key='SG.k-91f2', api_url=server.url, max_retries=0))
    assert 'SG.k-91f2' not in str(caught.value)


def test_the_cleanup_s_table_names_the_lists_as_a_role_or_the_cleanup_names_them():
    from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue
    assert sorted(permissions.CLEANUP_LISTS) == sorted(catalogue.BY_NAME)
    purges = permissions.rst_tables().split('What the cleanup and the role need', 1)[1].split('.. list-table', 1)[0]
    assert '``subuser_bounces``' in purges and '``customer_bounces``' in purges
    assert '``bounces``' not in purges, 'the info module\'s kind, which no role or cleanup entry takes'


def test_what_a_run_over_the_cleanup_s_entries_needs_with_and_without_its_deletes():
    entries = [{'list': 'subuser_bounces'}, {'list': 'blocks', 'subusers': {}}]
    assert [p.name for p in permissions.for_entries(entries, writes=False)] == [
        'read_bounces', 'read_blocks', 'read_subusers']
    assert [p.name for p in permissions.for_entries(entries)] == [
        'read_bounces', 'delete_bounces', 'read_blocks', 'delete_blocks', 'read_subusers']
