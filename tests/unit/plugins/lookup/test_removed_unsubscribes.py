"""The removed_unsubscribes lookup: the unsubscribes a cleanup removed, read from its report or its journal (a
killed run's too), added back exactly once by sendgrid_unsubscribe; what is no report is refused."""

import json

import pytest
from cleanup_play import DEMO, _cleanup, _global_emails, _group_emails, _play

pytestmark = pytest.mark.slow

_UNDO = {'mailops.sendgrid.sendgrid_unsubscribe': {
    'user': '{{ item.user if item.user else omit }}', 'group': '{{ item.group if item.group is not none else omit }}',
    'emails': '{{ item.emails }}', 'state': 'present'},
    'loop': "{{ query('mailops.sendgrid.removed_unsubscribes', undo_from) }}"}


@pytest.mark.parametrize('source', [pytest.param('json', marks=pytest.mark.compat), 'journal'])
def test_removed_unsubscribes_are_added_back_exactly_once(emulator_factory, tmp_path, source):
    emu = emulator_factory(data=DEMO)
    before = (_global_emails(emu), _global_emails(emu, 'subuser@example.com'), _group_emails(emu, 101))
    rc, output, results = _play(tmp_path, emu, _cleanup(
        lists=[{'list': 'unsubscribes'}, {'list': 'unsubscribes', 'user': 'subuser@example.com'},
               {'list': 'group_unsubscribes', 'group': 'Newsletters'}, {'list': 'spam_reports'},
               {'list': 'subuser_bounces'}],
        select_all=True, remove_opt_outs=True, report_dir=str(tmp_path / 'reports')))
    assert rc == 0 and results[0]['totals']['deleted'] == 6, results[0]
    assert (_global_emails(emu), _global_emails(emu, 'subuser@example.com'), _group_emails(emu, 101)) == ([], [], [])
    report = json.load(open(results[0]['report']['json'], encoding='utf-8'))
    assert [entry.get('group_id') for entry in report['lists']] == [None, None, 101, None, None]
    undo_from = results[0]['report']['json'] if source == 'json' else results[0]['journal']
    emu.reset_stats()
    undo = dict(_UNDO, vars={'undo_from': undo_from})
    rc, output, results = _play(tmp_path, emu, dict(undo, check_mode=True), undo, undo)
    assert rc == 0, output
    # Older ansible-core wraps a warning's lines.
    assert 'the run removed 1 spam report(s), which the API cannot add back' in ' '.join(output.split())
    checked, applied, again = results
    assert checked['changed'] and applied['changed'] and not again['changed'], results
    assert sorted(sum((item['added'] for item in applied['results']), [])) == sorted(
        before[0] + before[1] + before[2])
    assert (_global_emails(emu), _global_emails(emu, 'subuser@example.com'), _group_emails(emu, 101)) == before
    # The check run wrote nothing; the second undo wrote nothing.
    assert emu.stats()['writes'] == 3


@pytest.mark.compat
def test_removed_unsubscribes_refuses_what_is_no_report(tmp_path):
    (tmp_path / 'other.json').write_text('[1, 2]')
    rc, output, results = _play(tmp_path, type('NoEmulator', (), {'url': 'http://127.0.0.1:9'})(), {
        'ansible.builtin.debug': {'msg': "{{ query('mailops.sendgrid.removed_unsubscribes', '%s') }}" % (
            tmp_path / 'other.json')}})
    assert results[0]['failed'] and 'is not a cleanup report' in results[0]['msg'], results[0]


def test_the_undo_reads_a_killed_runs_report_too(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    reports = tmp_path / 'reports'
    rc, output, results = _play(tmp_path, emu, _cleanup(
        lists=[{'list': 'group_unsubscribes', 'group': 'Newsletters'}], select_all=True, remove_opt_outs=True,
        concurrency=1, report_dir=str(reports)))
    assert rc == 0 and results[0]['totals']['deleted'] == 2, results[0]
    journal = results[0]['journal']
    # As if killed while its last request was in flight: no answer to it, no end.
    lines = open(journal, encoding='utf-8').read().splitlines()
    kept = [line for line in lines if '"end"' not in line]
    answers = [index for index, line in enumerate(kept) if 'seq' in json.loads(line) and 'delete' not in json.loads(line)]
    del kept[answers[-1]]
    with open(journal, 'w', encoding='utf-8') as handle:
        handle.write('\n'.join(kept) + '\n')
    rc, output, results = _play(tmp_path, emu, _cleanup(recover_only=True, report_dir=str(reports)))
    assert rc == 0, output
    killed = list(reports.glob('*-interrupted.json'))
    assert len(killed) == 1
    rows = json.load(open(str(killed[0]), encoding='utf-8'))['records']
    # The request in flight is checked against the list: gone, so deleted (verified).
    assert sorted((row['outcome'], row['verified']) for row in rows) == [('deleted', False), ('deleted', True)]
    assert all(row['group_id'] == 101 for row in rows)
    rc, output, results = _play(tmp_path, emu, dict(_UNDO, vars={'undo_from': str(killed[0])}))
    assert rc == 0 and results[0]['changed'], output
    assert _group_emails(emu, 101) == ['former@example.com', 'reader@example.com']
