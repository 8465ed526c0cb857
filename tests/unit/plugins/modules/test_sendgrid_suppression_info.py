"""sendgrid_suppression_info against the emulator: an address on several lists and groups, one on none, case
differences, the order asked, a subuser's own lists only, and the requests made for 1 and for 1,000 addresses."""

import json
import os

import pytest
import yaml
from fleet_helpers import KEY, fleet_fixture
from module_helpers import run_module
from emulator.process import FIXTURES, Emulator

DEMO = os.path.join(FIXTURES, 'demo.yml')
V3 = {'api_key': 'SG.demo-key', 'api_version': 'v3'}
ACCOUNT = 'reseller@example.com'
MULTI = {
    'bounces': [{'email': 'multi@example.com', 'status': '5.1.1', 'reason': '550 user unknown',
                 'created': '2025-06-01 10:00:00'}],
    'blocks': [{'email': 'Multi@Example.com', 'status': '4.0.0', 'reason': 'servfail',
                'created': '2025-06-02 10:00:00'}],
    'unsubscribes': [{'email': 'multi@example.com', 'created': '2025-06-03 10:00:00'}],
}


def _info(emu, args, tmp_path, **kwargs):
    return run_module('sendgrid_suppression_info', dict(V3, api_url=emu.url, **args), tmp_path, **kwargs)


def test_an_address_on_several_lists_and_groups_and_one_on_none(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO, extra={ACCOUNT: MULTI})
    rc, result = _info(emu, {'emails': ['MULTI@example.com', 'nobody@example.com', 'reader@example.com',
                                        'multi@example.com']}, tmp_path)
    assert rc == 0 and result['changed'] is False
    multi, nobody, reader, again = result['addresses']
    assert multi['email'] == 'MULTI@example.com' and again['email'] == 'multi@example.com', 'as asked, in order'
    assert multi['suppressed'] and multi['lists'] == ['subuser_bounces', 'blocks', 'unsubscribes']
    assert multi['records']['blocks'] == {'email': 'Multi@Example.com', 'status': '4.0.0', 'reason': 'servfail',
                                          'created': '2025-06-02 10:00:00'}
    assert multi['records']['unsubscribes']['created'] == '2025-06-03 10:00:00' and multi['groups'] == []
    assert nobody == {'email': 'nobody@example.com', 'user': None, 'suppressed': False, 'lists': [], 'records': {},
                      'groups': [], 'users': [], 'complete': True}
    assert multi['users'] == [{key: multi[key] for key in ('user', 'suppressed', 'lists', 'records', 'groups')}]
    assert reader['suppressed'] and reader['lists'] == [] and reader['groups'] == [{'id': 101, 'name': 'Newsletters'}]
    assert again['lists'] == multi['lists'] and again['records'] == multi['records']
    assert emu.stats()['writes'] == 0


@pytest.mark.compat
def test_one_address_asks_each_list_and_the_groups_once(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO, extra={ACCOUNT: MULTI})
    rc, result = _info(emu, {'emails': ['Complainer@Example.com']}, tmp_path, check_mode=True)
    assert rc == 0 and result['addresses'][0]['lists'] == ['spam_reports']
    assert result['read'] == dict.fromkeys(
        ('subuser_bounces', 'blocks', 'spam_reports', 'invalid_emails', 'unsubscribes', 'groups'), 'per_address')
    stats = emu.stats()
    assert stats['total'] == 6, stats['by_endpoint']
    assert stats['by_endpoint']['v3/asm/suppressions/{email}']['total'] == 1


def test_a_thousand_addresses_read_each_list_whole_when_that_is_fewer_requests(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO, extra={ACCOUNT: MULTI})
    emails = ['user%04d@example.com' % number for number in range(998)] + ['multi@example.com', 'left@example.com']
    rc, result = _info(emu, {'emails': emails}, tmp_path)
    assert rc == 0 and len(result['addresses']) == 1000
    assert set(result['read'].values()) == {'whole_list'}
    assert result['addresses'][998]['lists'] == ['subuser_bounces', 'blocks', 'unsubscribes']
    assert result['addresses'][999]['lists'] == ['unsubscribes']
    assert emu.stats()['total'] == 6, 'five lists of one page each and the group suppressions in one request'


def test_a_list_longer_than_asking_is_asked_per_address(emulator_factory, tmp_path):
    blocks = [{'email': 'b%04d@example.net' % n, 'status': '4.0.0', 'reason': 'x', 'created': '2025-01-01 00:00:00'}
              for n in range(1600)]
    emu = emulator_factory(data=DEMO, extra={ACCOUNT: {'blocks': blocks}})
    rc, result = _info(emu, {'emails': ['b1599@example.net', 'nobody@example.com']}, tmp_path)
    assert rc == 0 and result['read']['blocks'] == 'per_address' and result['read']['subuser_bounces'] == 'whole_list'
    assert result['addresses'][0]['lists'] == ['blocks'] and result['addresses'][0]['records']['blocks']['email'] \
        == 'b1599@example.net'
    assert emu.stats()['by_endpoint']['v3/suppression/blocks/{email}']['total'] == 2


def test_a_subuser_s_own_lists_and_groups_only(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _info(emu, {'user': 'tenant-42', 'emails': ['reader@example.com', 'bounced@example.com',
                                                             'complainer@example.com']}, tmp_path)
    assert rc == 0
    reader, bounced, complainer = result['addresses']
    assert reader['groups'] == [{'id': 301, 'name': 'Newsletters'}] and reader['user'] == 'tenant-42'
    assert not bounced['suppressed'], "the account's own bounce is not the subuser's"
    assert complainer['records']['spam_reports']['ip'] == '10.63.202.101'


def test_bad_input_and_v2_are_refused_before_any_request(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    for args, message in (({'emails': []}, 'emails must be a non-empty list'),
                          ({'emails': ['a@x.test', ' ']}, 'emails[1] must be a non-empty string'),
                          ({'emails': ['a@x.test'], 'api_version': 'v2'}, 'needs api_version v3'),
                          ({'emails': ['a@x.test'], 'user': ''}, 'user must not be empty or blank')):
        rc, result = _info(emu, args, tmp_path)
        assert rc == 1 and message in result['msg'], (args, result)
    assert emu.stats()['total'] == 0


# ---- many users in one task -----------------------------------------------------------------------------------
FLEET_ADDRESS = 'Wanted@Example.org'


def _fleet_records(index):
    """tenant-003 bounced it, tenant-010 (EU) blocked it and has it in a group, tenant-014 (disabled) got a spam
    report; tenant-021 holds another address only."""
    records = {}
    if index == 3:
        records['bounces'] = [{'email': 'wanted@example.org', 'status': '5.1.1', 'reason': '550 no such user',
                               'created': '2025-05-01 10:00:00'}]
    if index == 10:
        records['blocks'] = [{'email': 'WANTED@example.org', 'status': '4.7.1', 'reason': 'rate',
                              'created': '2025-05-02 10:00:00'}]
        records['groups'] = [{'id': 9010, 'name': 'Offers', 'suppressions': ['wanted@example.org']}]
    if index == 14:
        records['spam_reports'] = [{'email': 'wanted@example.org', 'ip': '10.0.0.14', 'created': '2025-05-03 10:00:00'}]
    if index == 21:
        records['invalid_emails'] = [{'email': 'other@example.org', 'reason': 'Bad Syntax',
                                      'created': '2025-05-04 10:00:00'}]
    return records


@pytest.fixture(scope='module')
def fleet(tmp_path_factory):
    path = tmp_path_factory.mktemp('fleet') / 'fleet.yml'
    data = fleet_fixture(30, _fleet_records)
    data['accounts'][0]['blocks'] = [{'email': 'wanted@example.org', 'status': '5.0.0', 'reason': 'parent',
                                      'created': '2025-05-05 10:00:00'}]
    path.write_text(yaml.safe_dump(data))
    with Emulator('--data', str(path)) as emulator:
        yield emulator


def _fleet(emu, args, tmp_path, **kwargs):
    return run_module('sendgrid_suppression_info', dict(dict(api_key=KEY, api_url=emu.url, api_version='v3'), **args), tmp_path, **kwargs)


def test_one_address_across_the_account_and_every_subuser(fleet, tmp_path):
    fleet.reset_stats()
    rc, result = _fleet(fleet, {'emails': [FLEET_ADDRESS], 'include_account': True,
                                'subusers': {'include_disabled': True}}, tmp_path)
    assert rc == 0 and result['changed'] is False and result['unanswered'] == [], result
    assert result['users_asked'] == 32, 'the account, its customer fleet@example.com and its 30 subusers'
    (answer,) = result['addresses']
    assert answer['email'] == FLEET_ADDRESS and answer['suppressed'] and answer['complete']
    assert [entry['user'] for entry in answer['users']] == [None, 'tenant-003', 'tenant-010', 'tenant-014']
    parent, bounced, blocked, reported = answer['users']
    assert parent['lists'] == ['blocks'] and parent['records']['blocks']['reason'] == 'parent'
    assert bounced['lists'] == ['subuser_bounces'] and bounced['records']['subuser_bounces']['status'] == '5.1.1'
    assert blocked['lists'] == ['blocks'] and blocked['groups'] == [{'id': 9010, 'name': 'Offers'}]
    assert reported['lists'] == ['spam_reports'] and reported['records']['spam_reports']['ip'] == '10.0.0.14'
    assert 'lists' not in answer and 'read' not in result, 'the one-user keys are not guessed for many users'
    stats = fleet.stats()
    # One address: five single-address GETs and one group GET a user, the subusers in one page, and the key's
    # scopes asked once before the first read.
    assert stats['total'] == 32 * 6 + 2 and stats['writes'] == 0, stats['by_endpoint']
    assert stats['by_endpoint']['v3/scopes']['total'] == 1
    assert stats['by_endpoint']['v3/asm/suppressions/{email}']['total'] == 32


def test_a_prefix_without_the_disabled_and_every_user_when_asked(fleet, tmp_path):
    rc, result = _fleet(fleet, {'emails': [FLEET_ADDRESS, 'other@example.org'], 'subusers': {'username': 'TENANT-01'},
                                'include_unsuppressed': True}, tmp_path)
    assert rc == 0 and result['users_asked'] == 9, 'tenant-010..019 without the disabled tenant-014'
    wanted, other = result['addresses']
    assert [entry['user'] for entry in wanted['users']] == ['tenant-%03d' % n for n in range(10, 20) if n != 14]
    assert [entry['user'] for entry in wanted['users'] if entry['suppressed']] == ['tenant-010']
    assert not other['suppressed'] and all(entry['lists'] == [] for entry in other['users'])


def test_named_users_and_one_the_key_cannot_act_for(fleet, tmp_path):
    rc, result = _fleet(fleet, {'emails': ['other@example.org', FLEET_ADDRESS],
                                'users': ['tenant-021', 'not-mine@example.com', 'tenant-003', 'Tenant-021']},
                        tmp_path)
    assert rc == 0 and result['users_asked'] == 3, 'a user named twice is asked once'
    assert [entry['user'] for entry in result['unanswered']] == ['not-mine@example.com']
    assert result['unanswered'][0]['status'] == 403
    other, wanted = result['addresses']
    assert other['complete'] is False and wanted['complete'] is False
    assert [(entry['user'], entry['lists']) for entry in other['users']] == [('tenant-021', ['customer_invalid_emails'])]
    assert [(entry['user'], entry['lists']) for entry in wanted['users']] == [('tenant-003', ['subuser_bounces'])]
    assert '1 of 3 users could not be asked' in json.dumps(result['warnings'])


@pytest.mark.compat
def test_legacy_list_names_are_deprecated(fleet, tmp_path):
    rc, result = _fleet(fleet, {'emails': ['other@example.org'], 'user': 'tenant-021', 'list_names': 'legacy'},
                        tmp_path)
    assert rc == 0 and result['addresses'][0]['lists'] == ['invalid_emails']
    assert result['addresses'][0]['users'][0]['records']['invalid_emails']['reason'] == 'Bad Syntax'
    assert set(result['read']) == {'bounces', 'blocks', 'spam_reports', 'invalid_emails', 'unsubscribes', 'groups'}
    assert len(result['deprecations']) == 1 and '3.0.0' in json.dumps(result['deprecations'])
    rc, fleet_result = _fleet(fleet, {'emails': [FLEET_ADDRESS], 'users': ['tenant-003'], 'list_names': 'legacy'},
                              tmp_path)
    assert fleet_result['addresses'][0]['users'][0]['lists'] == ['bounces']


@pytest.mark.parametrize('args, message', [
    ({'users': ['tenant-003', ' ']}, 'users[1] must be a username'),
    pytest.param({'user': 'tenant-003', 'users': ['tenant-010']}, 'mutually exclusive', marks=pytest.mark.compat),
    ({'user': 'tenant-003', 'subusers': {}}, 'mutually exclusive'),
    ({'user': 'tenant-003', 'include_account': True}, 'include_account asks the account beside users or subusers'),
    ({'subusers': {'prefix': 'tenant-'}}, 'prefix'),
    ({'subusers': {}, 'api_version': 'v2', 'api_user': 'x'}, 'needs api_version v3'),
])
def test_bad_fleet_input_is_refused_before_any_request(fleet, tmp_path, args, message):
    fleet.reset_stats()
    rc, result = _fleet(fleet, dict({'emails': [FLEET_ADDRESS], 'api_version': 'v3'}, **args), tmp_path)
    assert rc == 1 and message in result['msg'], result
    assert fleet.stats()['total'] == 0


def test_a_fleet_question_checks_the_keys_scopes_before_its_first_read(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    args = {'emails': ['reader@example.com'], 'subusers': {'username': 'tenant-'}, 'api_key': 'SG.demo-blocks-purge'}
    rc, result = _info(emu, args, tmp_path)
    assert rc == 1 and result['msg'].startswith('the API key lacks scopes this run needs, so nothing was read or '
                                                'changed: `suppression.read` or `suppression.bounces.read`: reading')
    assert '`subusers.read`: reading the subusers' in result['msg']
    assert list(emu.stats()['by_endpoint']) == ['v3/scopes']
    rc, result = _info(emu, dict(args, api_key='SG.demo-read-only'), tmp_path)
    assert rc == 0 and result['users_asked'] == 1, result
