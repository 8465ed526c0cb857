"""The tests sendgrid_block and sendgrid_spam_report share, each run by the module's own test file with its
`case` fixture (module, list, the demo fixture's listed addresses of the account), against the emulator: check and diff modes, bulk deletes in batches,
delete_all, an idempotent second run, present as an assertion, on-behalf-of, faults, and v2 refused before any
request."""

import math
import os

import pytest
from ansible.plugins.loader import lookup_loader
from module_helpers import run_module
from emulator.process import FIXTURES, Emulator

DEMO = os.path.join(FIXTURES, 'demo.yml')
V3 = {'api_key': 'SG.demo-key', 'api_version': 'v3'}
BLOCK = ('sendgrid_block', 'blocks', ['blocked@example.net', 'outage@example.org'])
SPAM_REPORT = ('sendgrid_spam_report', 'spam_reports', ['complainer@example.com'])


def _module(name, emu, args, tmp_path, **kwargs):
    return run_module(name, dict(V3, api_url=emu.url, **args), tmp_path, **kwargs)


def _listed(emu, list_name, **options):
    return [r['email'] for r in lookup_loader.get('mailops.sendgrid.suppressions').run(
        [list_name], variables={}, api_url=emu.url, **dict(V3, **options))]


@pytest.mark.compat
def test_check_diff_run_and_a_second_run_with_no_write(emulator_factory, tmp_path, case):
    name, list_name, listed = case
    emu = emulator_factory(data=DEMO)
    args = {'emails': [listed[0].upper(), 'never@example.com']}
    rc, check = _module(name, emu, args, tmp_path, check_mode=True, diff=True)
    assert rc == 0 and check['changed'] and check['deleted'] == [listed[0]] and emu.stats()['writes'] == 0
    assert check['diff'] == {'before': {'list': list_name, 'user': None, 'emails': [listed[0]]},
                             'after': {'list': list_name, 'user': None, 'emails': []}}
    assert 'added' not in check, 'only the unsubscribe lists can be added to'
    rc, result = _module(name, emu, args, tmp_path)
    assert rc == 0 and result['deleted'] == [listed[0]] and result['missing'] == ['never@example.com']
    assert result['counts'] == {'matched': 1, 'deleted': 1, 'missing': 1, 'failed': 0}
    assert result['records'][0]['email'] == listed[0] and result['list'] == list_name
    assert emu.stats()['writes'] == 1 and _listed(emu, list_name) == listed[1:]
    emu.reset_stats()
    rc, again = _module(name, emu, args, tmp_path)
    assert rc == 0 and again['changed'] is False and emu.stats()['writes'] == 0


def test_present_asserts_and_never_writes(emulator_factory, tmp_path, case):
    name, list_name, listed = case
    emu = emulator_factory(data=DEMO)
    rc, ok = _module(name, emu, {'emails': listed, 'state': 'present'}, tmp_path)
    assert rc == 0 and ok['changed'] is False and ok['missing'] == []
    rc, failed = _module(name, emu, {'emails': [listed[0], 'nobody@example.com'], 'state': 'present'}, tmp_path)
    assert rc == 1 and failed['msg'] == '1 address(es) not listed in %s: nobody@example.com' % list_name
    rc, refused = _module(name, emu, {'delete_all': True, 'state': 'present'}, tmp_path)
    assert rc == 1 and refused['msg'] == 'delete_all requires state=absent'
    assert emu.stats()['writes'] == 0


def test_bulk_deletes_in_batches_then_delete_all(tmp_path, case):
    name, list_name, listed = case
    with Emulator('--data', DEMO, '--generate', '1200', '--generate-lists', list_name) as emu:
        everything = _listed(emu, list_name)
        emu.reset_stats()
        rc, result = _module(name, emu, {'emails': everything[:1100], 'batch_size': 250}, tmp_path)
        assert rc == 0 and len(result['deleted']) == 1100
        assert emu.stats()['writes'] == math.ceil(1100 / 250)
        emu.reset_stats()
        rc, again = _module(name, emu, {'emails': everything[:1100]}, tmp_path)
        assert rc == 0 and again['changed'] is False and emu.stats()['writes'] == 0
        assert emu.stats()['reads'] <= math.ceil(len(everything) / 500)
        # Spam reports are opt-outs: a whole list of them goes only in words (remove_opt_outs).
        words = {'remove_opt_outs': True} if list_name == 'spam_reports' else {}
        rc, cleared = _module(name, emu, dict(words, delete_all=True), tmp_path)
        assert rc == 0 and sorted(cleared['deleted']) == sorted(everything[1100:])
        assert emu.stats()['writes'] == 1, 'one delete_all request'
        assert _listed(emu, list_name) == []
        emu.reset_stats()
        rc, empty = _module(name, emu, dict(words, delete_all=True), tmp_path)
        assert rc == 0 and empty['changed'] is False and emu.stats()['writes'] == 0


def test_on_behalf_of_a_subuser_or_a_customer(tmp_path, case):
    name, list_name, listed = case
    with Emulator('--data', DEMO, '--generate', '3', '--generate-lists', list_name, '--seed', '2') as emu:
        mine = _listed(emu, list_name)
        theirs = _listed(emu, list_name, user='subuser@example.com')
        customer = _listed(emu, list_name, user='account-id 1234567')
        rc, result = _module(name, emu, {'user': 'subuser@example.com', 'emails': theirs[:2]}, tmp_path)
        assert rc == 0 and result['user'] == 'subuser@example.com' and result['deleted'] == theirs[:2]
        rc, result = _module(name, emu, {'user': 'account-id 1234567', 'email': customer[0]}, tmp_path)
        assert rc == 0 and result['deleted'] == [customer[0]]
        assert _listed(emu, list_name, user='subuser@example.com') == theirs[2:]
        assert _listed(emu, list_name, user='account-id 1234567') == customer[1:]
        assert _listed(emu, list_name) == mine, "the account's own list is untouched"
        emu.reset_stats()
        rc, foreign = _module(name, emu, {'user': 'someone-elses-subuser@example.com', 'delete_all': True},
                              tmp_path)
        assert rc == 1 and 'is not a customer or subuser of your account' in foreign['msg']
        assert emu.stats()['writes'] == 0


def test_faults_delete_exactly_the_selection(tmp_path, case):
    name, list_name, listed = case
    common = ('--data', DEMO, '--generate', '400', '--generate-lists', list_name, '--seed', '4')
    with Emulator(*common) as clean:
        everything = _listed(clean, list_name)
    wanted = everything[::2]
    with Emulator(*common, '--fault-rate', '0.2') as emu:
        args = {'emails': wanted, 'batch_size': 20, 'max_retries': 10}
        rc, result = _module(name, emu, args, tmp_path)
        if rc != 0:
            rc, result = _module(name, emu, args, tmp_path)
        emu.reset_stats()
        rc2, again = _module(name, emu, args, tmp_path)
        writes = emu.stats()['writes']
        left = _listed(emu, list_name, max_retries=10)
    assert rc == 0 and rc2 == 0 and again['changed'] is False and writes == 0
    assert sorted(left) == sorted(set(everything) - set(wanted))


def test_v2_is_refused_before_any_request(emulator_factory, tmp_path, case):
    name, list_name, listed = case
    emu = emulator_factory(data=DEMO)
    rc, result = run_module(name, {'api_user': 'reseller@example.com', 'api_key': 's3cret', 'api_version': 'v2',
                                   'api_url': emu.url, 'delete_all': True}, tmp_path)
    assert rc == 1 and result['msg'] == 'the list %s needs api_version v3: Web API v2 has no %s endpoints' % (
        list_name, list_name.replace('_', ' '))
    assert emu.stats()['total'] == 0


# The tests above, for a module's test file to take into its own namespace, where pytest collects them.
TESTS = {name: test for name, test in dict(globals()).items() if name.startswith('test_')}
