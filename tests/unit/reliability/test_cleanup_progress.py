"""A purge longer than the progress interval tells how it goes while it runs: in ansible-playbook's output, and
through ansible-runner (the engine under AWX) as events recorded as they come, not only at the task's end."""

import os

import pytest
from stopped_runs import KEY, Purge

pytestmark = pytest.mark.slow

ansible_runner = pytest.importorskip('ansible_runner')


@pytest.fixture
def long_purge(tmp_path):
    # 60 requests of 100 addresses at four a second: about 15 s, one interval and a half.
    run = Purge(tmp_path, records=6000)
    yield run
    run.stop()


@pytest.mark.compat
def test_progress_lines_while_a_long_purge_runs_and_as_runner_events(long_purge, tmp_path):
    playbook = long_purge.playbook()
    project = tmp_path / 'runner' / 'project'
    project.mkdir(parents=True)
    os.replace(playbook, project / 'purge.yml')
    env = {name: value for name, value in long_purge.env().items()
           if name.startswith(('SENDGRID_', 'ANSIBLE_', 'PATH', 'PYTHONPATH', 'HOME'))}
    result = ansible_runner.run(private_data_dir=str(tmp_path / 'runner'), playbook='purge.yml', envvars=env,
                                quiet=True)
    assert result.status == 'successful', result.stdout.read()
    events = list(result.events)
    task_start = next(index for index, event in enumerate(events) if event['event'] == 'playbook_on_task_start')
    task_end = next(index for index, event in enumerate(events) if event['event'] == 'runner_on_ok')
    progress = [event for event in events[task_start:task_end]
                if event['event'] == 'verbose' and 'sendgrid_suppression_cleanup [Purge]: ' in event['stdout']]
    assert progress, 'no progress event between the task start and its result'
    assert 'of 6,000 selected deleted' in progress[0]['stdout'] and '/s, about ' in progress[0]['stdout']
    assert len(progress) <= 3, 'a line every ten seconds, not one per request'
    assert KEY not in ''.join(event.get('stdout', '') for event in events)
    assert long_purge.listed() == set()
