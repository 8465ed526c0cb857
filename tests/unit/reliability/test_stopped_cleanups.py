"""A purge stopped while it deletes, as a user, a supervisor or the OOM killer stops it: Ctrl-C to the process
group, SIGTERM to ansible-playbook, SIGKILL to ansible-playbook alone (its worker is left an orphan), SIGKILL to the
worker. The run said where its journal and report are before its first delete; it ends within seconds and without
a traceback, no request reaches the API after it, the journal names every address the API no longer lists, the
report's totals add up to the selection, the next run tells what the stopped run did, and the same command, the same
confirm_count, finishes exactly."""

import json
import os
import signal
import time

import pytest
from stopped_runs import KEY, Purge, journal_entries, journalled, wait_until_unlocked

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_summary import deleted_of_selected
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import is_live

pytestmark = pytest.mark.slow


FIRST_REQUESTS_ANSWERED = 0


@pytest.fixture
def purge(tmp_path):
    made = []

    def make(**kwargs):
        made.append(Purge(tmp_path, **kwargs))
        return made[-1]
    yield make
    for each in made:
        each.stop()


def _signal(process, how):
    if how == 'SIGINT to the group':
        os.killpg(process.pid, signal.SIGINT)
    elif how == 'SIGTERM to ansible-playbook':
        os.kill(process.pid, signal.SIGTERM)
    else:
        os.kill(process.pid, signal.SIGKILL)


@pytest.mark.parametrize('api_version,records,batch', [pytest.param('v3', 1000, 100, marks=pytest.mark.compat),
                                                       ('v2', 200, 1)])
@pytest.mark.parametrize('how', ['SIGINT to the group', 'SIGTERM to ansible-playbook',
                                 'SIGKILL to ansible-playbook alone'])
def test_a_stopped_purge_stops_reports_and_finishes_when_run_again(purge, how, api_version, records, batch):
    run = purge(api_version=api_version, records=records)
    process = run.start(batch_size=batch)
    # The person stops the run once they have seen it start deleting (a controller killed before it printed a line
    # the worker sent takes that line with it).
    seen = run.read_until('the journal is ')
    run.wait_for_deletes(2)
    signalled = time.monotonic()
    _signal(process, how)
    output = seen + process.communicate(timeout=60)[0]
    assert time.monotonic() - signalled < 15, 'ansible-playbook took %.1f s to end: %s' % (
        time.monotonic() - signalled, output[-3000:])
    assert 'Traceback' not in output, output
    journal, = run.journals()
    # Before its first delete the run said where its journal and report are: the only words of it a person sees.
    told = output.index('the journal is %s and the report will be %s' % (journal, journal[:-len('.journal')] + '.json'))
    assert 'TASK [Purge]' in output[:told]
    wait_until_unlocked(journal)
    writes = run.emulator.stats()['writes']
    ended = time.monotonic()
    assert time.monotonic() - signalled < 20, 'the worker outlived ansible-playbook by more than one attempt'
    # No request reaches the API once the run has ended: an observation window, not a synchronisation.
    time.sleep(1.5)
    assert run.emulator.stats()['writes'] == writes and time.monotonic() - ended >= 1.5

    gone = run.original - run.listed()
    assert gone and len(gone) < records, 'stopped half-way'
    assert journalled(journal) == gone, 'the journal names exactly what is gone'
    entries = journal_entries(journal)
    assert entries[-1]['end'] == 'interrupted' and entries[-1]['stopped'].startswith('stopped by SIG') or \
        entries[-1]['stopped'] == 'the controller process that ran this task is gone'
    assert KEY not in open(journal, encoding='utf-8').read()
    report = json.loads(open(entries[-1]['report']['json'], encoding='utf-8').read())
    assert report['interrupted'] and report['totals']['deleted'] == len(gone)
    assert report['totals']['not_attempted'] == records - len(gone)
    assert oct(os.stat(journal).st_mode & 0o777) == '0o600'
    assert oct(os.stat(run.report_dir).st_mode & 0o777) == '0o700'

    run.restart_unlimited()
    rc, output, result = run.run(batch_size=batch)
    assert rc == 0, output[-3000:]
    assert result['totals']['deleted'] == records - len(gone) and run.listed() == set()
    assert result['continues'] == [entries[-1]['report']['json']]
    # The stopped run's last line reached nobody: the next run tells it.
    told, = result['interrupted_runs']
    assert told['deleted'] == len(gone) and told['selected'] == records
    assert ': it deleted %d of the %d records it selected (already gone 0, failed 0, not attempted %d); its report ' \
        'is %s' % (len(gone), records, records - len(gone), entries[-1]['report']['json']) in output
    assert 'deleting from ' not in output, 'a short run prints no progress lines'


# Twenty requests of 100, two at a time, each 300 ms in flight: killed after the first, in the middle, and while the
# last two are in flight (their answers never journalled: the next run asks SendGrid whether they landed).
@pytest.mark.parametrize('after', [1, 10, 18])
def test_a_worker_killed_outright_is_reported_by_the_next_run(purge, after):
    run = purge(records=2000, extra_args=('--latency-ms', 300))
    process = run.start()
    run.wait_for_deletes(after)
    journal, = run.journals()
    worker = journal_entries(journal)[0]['pid']
    os.kill(worker, signal.SIGKILL)
    output = process.communicate(timeout=60)[0]
    assert process.returncode != 0

    # The same API URL as the killed run's, so that the report says which addresses SendGrid still lists; once the
    # requests the killed run left in flight have landed.
    run.wait_until_quiet()
    run.emulator.reset_stats()
    in_flight = journalled(journal, 'unknown')
    rc, output, result = run.run(recover_only=True)
    assert rc == 0, output[-3000:]
    gone = run.original - run.listed()
    assert gone and gone <= journalled(journal) | in_flight, 'every address the API no longer lists is in the journal'
    finished, = result['interrupted_runs']
    assert finished['deleted'] == len(gone) and finished['selected'] == 2000 and finished['verified']
    report = json.loads(open(finished['report']['json'], encoding='utf-8').read())
    assert report['interrupted'] and report['verified']
    rows = {row['email']: row for row in report['records']}
    assert {email for email, row in rows.items() if row['still_listed'] is False} == gone
    assert {email for email, row in rows.items() if row['outcome'] == 'deleted'} == gone, 'in flight and gone: deleted'
    assert {email for email, row in rows.items() if row['verified']} == in_flight
    # The totals add up to the selection and say what the emulator lost; the line says the same numbers.
    totals = report['totals']
    assert totals['deleted'] == len(gone) and totals['unknown'] == 0
    assert totals['not_attempted'] == 2000 - len(rows) and totals['not_deleted'] == len(in_flight - gone)
    assert sum(totals[name] for name in ('deleted', 'already_gone', 'failed', 'not_deleted', 'not_attempted',
                                         'unknown')) == totals['selected'] == 2000
    assert finished['msg'] in output and 'an interrupted cleanup run (started ' in output
    assert 'deleted %d of the 2000 addresses it selected' % len(gone) in finished['msg']
    assert '%s; its report is %s; running the cleanup again finishes the job' % (
        deleted_of_selected(totals, 'addresses'), finished['report']['json']) in finished['msg']
    assert run.emulator.stats()['writes'] == 0, 'recover_only deletes nothing'
    assert journal_entries(journal)[-1]['end'] == 'interrupted', 'closed on its behalf: reported once'
    rc, output, result = run.run(recover_only=True)
    assert 'interrupted_runs' not in result

    rc, output, result = run.run()
    assert rc == 0 and run.listed() == set()
    assert result['totals']['deleted'] == 2000 - len(gone)


@pytest.mark.compat
def test_sigterm_to_the_worker_alone_fails_the_task_with_one_line(purge):
    run = purge(records=1000)
    process = run.start(verbosity='-vvvv')
    run.wait_for_deletes(2)
    journal, = run.journals()
    os.kill(journal_entries(journal)[0]['pid'], signal.SIGTERM)
    output = process.communicate(timeout=60)[0]
    assert process.returncode == 2, output
    assert 'the cleanup was stopped by SIGTERM: it deleted ' in output
    assert 'running it again finishes the job' in output and 'Traceback' not in output


def test_the_journal_records_each_outcome_as_the_api_answered_under_faults(purge):
    # One request at a time, so that the seeded faults fall on the same requests every time: the key's scopes and
    # the list's pages answered (this seed's first draws are no fault), and some of the fifty deletes of ten failing.
    run = purge(records=500, rate_limit=0, extra_args=('--fault-rate', 0.2, '--seed', FIRST_REQUESTS_ANSWERED))
    rc, output, result = run.run(max_retries=0, batch_size=10, concurrency=1, ignore_errors=True)
    assert result['totals']['failed'], 'some requests failed'
    journal, = run.journals()
    gone = run.original - run.listed()
    # A fault is answered before any change: what the journal says deleted is gone, what failed is still listed,
    # and so is what the run never sent once failures in a row stopped it.
    assert journalled(journal) == gone
    failed, never_sent = journalled(journal, 'failed'), journalled(journal, 'not_attempted')
    assert failed and failed | never_sent == run.listed()
    totals = result['totals']
    assert totals['deleted'] == len(gone) and totals['failed'] == len(failed)
    assert totals['not_attempted'] == len(never_sent) == 500 - len(gone) - len(failed)


def _role_play(run, **role_vars):
    values = dict({'suppression_cleanup_report_dir': run.report_dir, 'suppression_cleanup_api_key': KEY,
                   'suppression_cleanup_api_version': run.api_version}, **role_vars)
    path = run.tmp_path / 'role.yml'
    path.write_text(json.dumps([{'hosts': 'localhost', 'gather_facts': False,
                                 'roles': [{'role': 'mailops.sendgrid.suppression_cleanup', 'vars': values}]}]))
    return str(path)


@pytest.mark.compat
def test_the_role_stopped_fails_with_one_line_and_recover_only_reports_a_killed_run(purge):
    import subprocess
    from stopped_runs import PLAYBOOK
    run = purge(records=2000)
    purge_vars = {'suppression_cleanup_lists': [{'list': 'invalid_emails'}], 'suppression_cleanup_select_all': True,
                  'suppression_cleanup_dry_run': False, 'suppression_cleanup_max_delete': 100000,
                  'suppression_cleanup_batch_size': 100, 'suppression_cleanup_concurrency': 2}
    process = subprocess.Popen([PLAYBOOK, _role_play(run, **purge_vars)], env=run.env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    run.process = process
    run.wait_for_deletes(2)
    journal, = run.journals()
    os.kill(journal_entries(journal)[0]['pid'], signal.SIGTERM)
    output = process.communicate(timeout=60)[0]
    assert process.returncode == 2 and 'Cleanup interrupted' in output
    assert 'the cleanup was stopped by SIGTERM: it deleted ' in output and 'Traceback' not in output

    run.wait_until_quiet()
    before = run.emulator.stats()['writes']
    process = subprocess.Popen([PLAYBOOK, _role_play(run, **purge_vars)], env=run.env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    run.process = process
    run.wait_for_deletes(before + 2)
    killed = [path for path in run.journals() if path != journal][0]
    os.kill(journal_entries(killed)[0]['pid'], signal.SIGKILL)
    output = process.communicate(timeout=60)[0]
    run.wait_until_quiet()
    proc = subprocess.run([PLAYBOOK, _role_play(run, suppression_cleanup_recover_only=True)], env=run.env(),
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert 'an interrupted cleanup run (started ' in proc.stdout, (output[-3000:], proc.stdout[-3000:])
    assert 'running the cleanup again finishes the job' in proc.stdout


@pytest.mark.compat
def test_a_real_run_without_report_dir_is_journalled_under_the_ansible_home(purge, tmp_path):
    run = purge(records=300, rate_limit=0)
    home = tmp_path / 'ansible-home'
    rc, output, result = run.run(report_dir=None, env={'ANSIBLE_HOME': str(home)})
    assert rc == 0, output[-3000:]
    folder = home / 'mailops.sendgrid' / 'cleanup_reports'
    assert result['journal'].startswith(str(folder)) and os.path.exists(result['report']['json'])
    assert 'no report_dir, so the journal and report are in %s' % folder in output
    assert oct(os.stat(folder).st_mode & 0o777) == '0o700'


def _kill_the_worker_mid_purge(run, writes, **options):
    run.emulator.reset_stats()
    process = run.start(**options)
    run.wait_for_deletes(writes)
    journal, = [path for path in run.journals() if is_live(path)]
    os.kill(journal_entries(journal)[0]['pid'], signal.SIGKILL)
    process.communicate(timeout=60)
    run.wait_until_quiet()
    return journal


def test_the_same_command_resumes_past_max_delete_and_a_grown_selection_is_refused(purge):
    # The default guard (1000) and the count a dry run told; twenty requests of 100, each 300 ms in flight.
    run = purge(records=2000, extra_args=('--latency-ms', 300))
    command = {'max_delete': None, 'confirm_count': 2000}
    first = _kill_the_worker_mid_purge(run, 4, **command)
    left = len(run.listed())
    assert 0 < left < 2000

    # Five more records arrived since: the same command is refused before any delete, and told the count.
    run.add(['late%d@example.com' % number for number in range(5)])
    run.emulator.reset_stats()
    rc, output, result = run.run(ignore_errors=True, **command)
    assert rc == 0 and result['failed'] and run.emulator.stats()['writes'] == 0 and len(run.listed()) == left + 5
    assert result['guard'] == {'selected': left + 5, 'max_delete': 1000, 'confirm_count': 2000,
                               'deleted_before': 2000 - left}
    assert 'set confirm_count: 2005 to confirm (or %d, what is selected now)' % (left + 5) in result['msg']

    # Confirmed again, stopped again (a chain of interrupted runs), then finished by the same command.
    command['confirm_count'] = 2005
    second = _kill_the_worker_mid_purge(run, 2, **command)
    assert journal_entries(second)[1]['deleted_before'] == 2000 - left
    rc, output, result = run.run(**command)
    assert rc == 0, output[-3000:]
    assert run.listed() == set() and result['totals']['failed'] == 0
    ended = [entry for entry in journal_entries(second) if 'end' in entry][-1]
    assert ended['report']['json'].endswith('-interrupted.json') and result['continues'] == [ended['report']['json']]
    assert {'continued_by': journal_entries(second)[0]['run']} in journal_entries(first)
