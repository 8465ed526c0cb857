"""A purge stopped while it deletes, as a user, a supervisor or the OOM killer stops it: Ctrl-C to the process
group, SIGTERM to ansible-playbook, SIGKILL to ansible-playbook alone (its worker is left an orphan), SIGKILL to the
worker. The run ends within seconds and without a traceback, no request reaches the API after it, the journal
names every address the API no longer lists, and running it again finishes exactly."""

import json
import os
import signal
import time

import pytest
from stopped_runs import KEY, Purge, journal_entries, journalled, wait_until_unlocked

pytestmark = pytest.mark.slow


SEED = 2


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
    run.wait_for_deletes(2)
    signalled = time.monotonic()
    _signal(process, how)
    output = process.communicate(timeout=60)[0]
    assert time.monotonic() - signalled < 15, 'ansible-playbook took %.1f s to end: %s' % (
        time.monotonic() - signalled, output[-3000:])
    assert 'Traceback' not in output, output
    journal, = run.journals()
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
    assert 'sendgrid_suppression_cleanup [Purge]' not in output, 'a short run prints no progress'


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
    rc, output, result = run.run(recover_only=True)
    assert rc == 0, output[-3000:]
    gone = run.original - run.listed()
    sent = journalled(journal) | journalled(journal, 'unknown')
    assert gone and gone <= sent, 'every address the API no longer lists is in the journal'
    finished, = result['interrupted_runs']
    assert finished['deleted'] == len(gone) and finished['selected'] == 2000 and finished['verified']
    assert 'an interrupted cleanup run' in output and 'running the cleanup again finishes the job' in output
    report = json.loads(open(finished['report']['json'], encoding='utf-8').read())
    assert report['interrupted'] and report['verified']
    rows = {row['email']: row for row in report['records']}
    assert {email for email, row in rows.items() if row['still_listed'] is False} == gone
    assert all(rows[email]['outcome'] in ('deleted', 'unknown') for email in gone)
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
    # One request at a time, so that the seeded faults fall on the same requests every time: the list's one page
    # answered, and some of the fifty deletes of ten failing.
    run = purge(records=500, rate_limit=0, extra_args=('--fault-rate', 0.2, '--seed', SEED))
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
