"""mailops.sendgrid.sendgrid_suppression_cleanup: the whole cleanup in one Python step. Dry run and plan, a plan
applied exactly (drift reported, later records left alone), edited or foreign plans refused with no request, many
users and every subuser in one task, the guard, held-back addresses, and each list read once."""

import json

import pytest
from cleanup_play import DEMO, _cleanup, _emails, _play, _unsubscribe

pytestmark = pytest.mark.slow


def test_a_plan_is_applied_exactly(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO, extra={'reseller@example.com': {'unsubscribes': [
        {'email': 'a@old.test', 'created': '2025-01-01 00:00:00'},
        {'email': 'b@old.test', 'created': '2025-01-02 00:00:00'},
        {'email': 'c@old.test', 'created': '2025-01-03 00:00:00'}]}})
    plan = str(tmp_path / 'plan.json')
    rc, output, results = _play(tmp_path, emu, _cleanup(check_mode=True, lists=[{'list': 'unsubscribes'}],
                                                        domains=['old.test'], plan_file=plan,
                                                        report_dir=str(tmp_path / 'reports'),
                                                        remove_opt_outs=True))
    assert rc == 0, output
    dry = results[0]
    assert dry['dry_run'] and dry['selected'] == 3 and dry['plan']['addresses'] == 3
    assert dry['changed'], 'check mode reports the change the real run makes'
    assert emu.stats()['writes'] == 0
    assert len(list((tmp_path / 'reports').glob('*-dry-run.json'))) == 1
    emu.reset_stats()
    rc, output, results = _play(tmp_path, emu, _unsubscribe('new@old.test'), _unsubscribe('b@old.test', 'absent'),
                                _cleanup(apply_plan=plan, remove_opt_outs=True))
    assert rc == 0, output
    applied = results[2]
    assert applied['changed'] and applied['totals']['deleted'] == 2, applied
    assert applied['drift'] == [{'list': 'unsubscribes', 'user': None, 'group': None, 'gone': ['b@old.test'],
                                 'new_matches_left': ['new@old.test']}]
    assert _emails(emu, 'suppression/unsubscribes') == ['left@example.com', 'new@old.test']


@pytest.mark.parametrize('edit,message', [
    (lambda plan: plan['lists'][0]['addresses'].append('left@example.com'), 'the digest does not match'),
    (lambda plan: plan.update(api_url='https://api.sendgrid.com'), 'the plan was made for api_url'),
    (lambda plan: plan.update(format=7), 'not a plan this module wrote'),
])
def test_an_edited_or_foreign_plan_is_refused_before_any_request(emulator_factory, tmp_path, edit, message):
    emu = emulator_factory(data=DEMO)
    plan = tmp_path / 'plan.json'
    rc, output, dummy = _play(tmp_path, emu, _cleanup(check_mode=True, lists=[{'list': 'blocks'}],
                                                      select_all=True, plan_file=str(plan)))
    assert rc == 0, output
    document = json.loads(plan.read_text())
    edit(document)
    if 'digest' not in message:
        from ansible_collections.mailops.sendgrid.plugins.module_utils.plan_file import digest
        document['digest'] = digest(document)      # a consistent plan, made elsewhere
    plan.write_text(json.dumps(document))
    emu.reset_stats()
    rc, output, results = _play(tmp_path, emu, _cleanup(apply_plan=str(plan)))
    assert results[0]['failed'] and message in results[0]['msg'], results[0]
    assert emu.stats()['total'] == 0


def test_a_plan_for_another_version_is_refused(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    plan = str(tmp_path / 'plan.json')
    rc, output, results = _play(tmp_path, emu, _cleanup(check_mode=True, lists=[{'list': 'invalid_emails'}],
                                                        select_all=True, plan_file=plan),
                                _cleanup(apply_plan=plan, api_version='v2', api_user='apikey'))
    assert results[1]['failed'] and 'the plan was made for api_version v3, not v2' in results[1]['msg']


def test_many_users_and_every_subuser_in_one_task(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, output, results = _play(tmp_path, emu, _cleanup(
        check_mode=True, select_all=True,
        lists=[{'list': 'unsubscribes'}, {'list': 'unsubscribes', 'user': 'subuser@example.com'},
               {'list': 'spam_reports', 'subusers': {'username': 'TENANT-'}}]))
    assert rc == 0, output
    lists = [(e['list'], e['user'], e['selected']) for e in results[0]['lists']]
    assert lists == [('unsubscribes', None, 1), ('unsubscribes', 'subuser@example.com', 1),
                     ('spam_reports', 'tenant-42', 1)], 'tenant-7 is disabled'
    rc, output, results = _play(tmp_path, emu, _cleanup(
        check_mode=True, select_all=True,
        lists=[{'list': 'spam_reports', 'subusers': {'username': 'tenant-', 'include_disabled': True}}]))
    assert [e['user'] for e in results[0]['lists']] == ['tenant-42', 'tenant-7']


def test_a_user_outside_the_account_is_refused_before_any_write(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, output, results = _play(tmp_path, emu, _cleanup(
        select_all=True, lists=[{'list': 'blocks'}, {'list': 'blocks', 'user': 'someone-elses-subuser@example.com'}]))
    assert results[0]['failed'] and 'someone-elses-subuser@example.com' in results[0]['msg']
    assert emu.stats()['writes'] == 0
    assert len(_emails(emu, 'suppression/blocks')) == 2


@pytest.mark.compat
def test_the_guard_and_the_confirmation(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    task = {'lists': [{'list': 'blocks'}], 'select_all': True, 'max_delete': 1}
    rc, output, results = _play(tmp_path, emu, _cleanup(**task), _cleanup(confirm_count=3, **task))
    assert '2 records are selected, more than max_delete (1); nothing was deleted' in results[0]['msg']
    assert 'confirm_count is 3 but 2 records are selected' in results[1]['msg']
    assert emu.stats()['writes'] == 0
    rc, output, results = _play(tmp_path, emu, _cleanup(confirm_count=2, **task))
    assert results[0]['totals']['deleted'] == 2 and _emails(emu, 'suppression/blocks') == []


@pytest.mark.compat
def test_held_back_addresses_and_one_read_per_list(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO, extra={'reseller@example.com': {'bounces': [
        {'email': 'Kate@x.test', 'status': '5.1.1', 'reason': 'hard', 'created': '2025-01-01 00:00:00'},
        {'email': 'kate@x.test', 'status': '4.2.2', 'reason': 'soft', 'created': '2025-01-02 00:00:00'}]}})
    emu.reset_stats()
    rc, output, results = _play(tmp_path, emu, _cleanup(lists=[{'list': 'subuser_bounces'}], status='5.'))
    assert rc == 0, output
    entry = results[0]['lists'][0]
    assert (entry['selected'], entry['held_back'], entry['held_back_addresses']) == (1, 1, ['Kate@x.test'])
    assert entry['deleted'] == 1, 'bounced@example.com, the one 5.x bounce not shared'
    reads = emu.stats()['by_endpoint']['v3/suppression/bounces']['by_method']
    assert reads == {'GET': 1, 'DELETE': 1}, 'one read of the list, one bulk delete'


@pytest.mark.parametrize('options,message', [
    ({'lists': [{'list': 'blocks'}]}, 'no selector is set'),
    pytest.param({'lists': [{'list': 'blocks'}], 'dayz': 3}, 'dayz', marks=pytest.mark.compat),
    ({'lists': [{'list': 'blockz'}], 'select_all': True}, 'blockz'),
    pytest.param({'lists': [{'list': 'blocks', 'user': 'x', 'subusers': {}}], 'select_all': True}, 'mutually exclusive',
                 marks=pytest.mark.compat),
    ({'lists': [{'list': 'blocks'}], 'select_all': True, 'max_delete': 0}, 'max_delete must be at least 1'),
    ({'lists': [{'list': 'blocks'}], 'query': '[?'}, 'is not a valid JMESPath expression'),
    ({'lists': [{'list': 'blocks'}], 'days': 3, 'timeout': 'nan'}, 'timeout must be greater than 0'),
])
def test_bad_input_is_refused_before_any_request(emulator_factory, tmp_path, options, message):
    emu = emulator_factory(data=DEMO)
    rc, output, results = _play(tmp_path, emu, _cleanup(**options))
    assert results[0]['failed'] and message in results[0]['msg'], results[0]
    assert emu.stats()['total'] == 0


def test_select_all_never_widens_the_selectors_that_are_set(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, output, results = _play(tmp_path, emu, _cleanup(check_mode=True, select_all=True, start_date='2025-03-02',
                                                        lists=[{'list': 'blocks'}]))
    assert rc == 0, output
    assert results[0]['selected'] == 1, 'outage@example.org (2025-03-02) only, not the block of 2025-03-01'


def test_every_subuser_of_two_prefixes_and_the_plan_keeps_each_region(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    plan = tmp_path / 'plan.json'
    rc, output, results = _play(tmp_path, emu, _cleanup(
        check_mode=True, select_all=True, plan_file=str(plan),
        lists=[{'list': 'subuser_bounces', 'subusers': {'username': 'tenant-'}},
               {'list': 'subuser_bounces', 'subusers': {'username': 'eu-'}}]), _cleanup(apply_plan=str(plan)))
    assert rc == 0, output
    assert [(e['user'], e['selected']) for e in results[0]['lists']] == [('tenant-42', 2), ('eu-tenant-5', 1)], \
        'each entry reads its own prefix'
    entries = json.loads(plan.read_text())['lists']
    assert [(e['user'], e.get('region')) for e in entries] == [('tenant-42', 'global'), ('eu-tenant-5', 'eu')]
    # The emulator, given as api_url, serves both regions: the plan is applied through it.
    assert results[1]['totals']['deleted'] == 3 and emu.stats()['by_endpoint']['v3/subusers']['total'] == 2
