"""A purge longer than the progress interval tells how it goes while it runs: in ansible-playbook's output, and
through ansible-runner (the engine under AWX) as events recorded as they come, not only at the task's end; where
its journal is, before its first delete, so that a cancelled job's output says it."""

import os
import re

import pytest
from stopped_runs import KEY, Purge, wait_until_unlocked

pytestmark = pytest.mark.slow

ansible_runner = pytest.importorskip('ansible_runner')


@pytest.fixture
def long_purge(tmp_path):
    # 60 requests of 100 addresses at four a second: about 15 s, one interval and a half.
    run = Purge(tmp_path, records=6000)
    yield run
    run.stop()


def _runner_project(purge, tmp_path):
    """(private data dir, environment) of ansible-runner for the purge's playbook."""
    project = tmp_path / 'runner' / 'project'
    project.mkdir(parents=True)
    os.replace(purge.playbook(), project / 'purge.yml')
    env = {name: value for name, value in purge.env().items()
           if name.startswith(('SENDGRID_', 'ANSIBLE_', 'PATH', 'PYTHONPATH', 'HOME'))}
    return str(tmp_path / 'runner'), env


@pytest.mark.compat
def test_progress_lines_while_a_long_purge_runs_and_as_runner_events(long_purge, tmp_path):
    private, env = _runner_project(long_purge, tmp_path)
    result = ansible_runner.run(private_data_dir=private, playbook='purge.yml', envvars=env, quiet=True)
    assert result.status == 'successful', result.stdout.read()
    events = list(result.events)
    task_start = next(index for index, event in enumerate(events) if event['event'] == 'playbook_on_task_start')
    task_end = next(index for index, event in enumerate(events) if event['event'] == 'runner_on_ok')
    told = [event['stdout'] for event in events[task_start:task_end]
            if event['event'] == 'verbose' and 'sendgrid_suppression_cleanup [Purge]: ' in event['stdout']]
    assert told and 'deleting 6000 records; the journal is ' in told[0], 'where the journal is, before the deletes'
    progress = [line for line in told if 'selected deleted' in line]
    assert progress, 'no progress event between the task start and its result'
    assert 'of 6,000 selected deleted' in progress[0] and '/s, about ' in progress[0]
    assert len(progress) <= 3, 'a line every ten seconds, not one per request'
    assert KEY not in ''.join(event.get('stdout', '') for event in events)
    assert long_purge.listed() == set()


def test_a_cancelled_job_showed_its_journal_and_the_next_run_tells_what_it_did(long_purge, tmp_path):
    """An AWX cancel, as ansible-runner does it: SIGKILL to ansible-playbook's process group, once the purge has
    deleted some records. On ansible-core 2.19 the worker has a session of its own and stops when it sees its parent
    gone; before, it is killed with the group. Either way the job output named the journal before the first delete,
    and the next run tells what the cancelled job deleted, with the numbers the emulator lost."""
    private, env = _runner_project(long_purge, tmp_path)
    thread, runner = ansible_runner.run_async(
        private_data_dir=private, playbook='purge.yml', envvars=env, quiet=True,
        cancel_callback=lambda: len(long_purge.listed()) < 6000)
    thread.join(600)
    assert runner.status == 'canceled', runner.status
    told = [event['stdout'] for event in runner.events if 'the journal is ' in event.get('stdout', '')]
    journal = re.search(r'the journal is (\S+\.journal) ', told[0]).group(1)
    wait_until_unlocked(journal)
    long_purge.wait_until_quiet()
    lost = 6000 - len(long_purge.listed())
    assert 0 < lost < 6000
    rc, output, result = long_purge.run(recover_only=True)
    assert rc == 0, output[-3000:]
    interrupted, = result['interrupted_runs']
    assert interrupted['deleted'] == lost and interrupted['msg'] in output
    totals = interrupted['totals']
    assert sum(totals[name] for name in ('deleted', 'already_gone', 'failed', 'not_deleted', 'not_attempted',
                                         'unknown')) == totals['selected'] == 6000
