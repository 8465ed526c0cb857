"""The bulk-cleanup guide's workflows, run literally from its text: the guide's playbook saved as purge.yml, then
each command of its console blocks, against the emulator on the demo account: the guard, the reviewed plan (also
of opt-outs) and the recovery of a stopped run."""

import os
import re
import subprocess
import sys

import pytest
from emulator.process import FIXTURES

from documented_examples import CONSOLE_BLOCK, GUIDE, RST_BLOCK, console_lines, section
from guide_commands import Console, blocks, run_as_shown

pytestmark = pytest.mark.slow


def _commands(block):
    """The console block's commands, without the prompt and the comments."""
    return [typed for typed in console_lines(block) if typed != '^C']


@pytest.fixture
def demo(emulator_factory):
    """The demo account, with records in the guide's window (2015 to 2022) on both of its lists."""
    old = [{'email': 'old%d@retired.test' % number, 'created': '2020-01-0%d 00:00:00' % number} for number in (1, 2)]
    return emulator_factory(data=os.path.join(FIXTURES, 'demo.yml'), extra={
        'reseller@example.com': {'invalid_emails': old},
        'subuser@example.com': {'bounces': [dict(old[0], status='5.1.1', reason='no such user')]}})


def test_the_guides_plan_workflow_as_written(demo, tmp_path):
    text = open(GUIDE, encoding='utf-8').read()
    playbook = RST_BLOCK.search(text).group(2)
    (tmp_path / 'purge.yml').write_text(re.sub(r'(?m)^ {3}', '', playbook))
    commands = _commands(CONSOLE_BLOCK.search(section(text, 'A reviewed plan')).group(2))
    assert [command[:2] for command in commands] == [['ansible-playbook', 'purge.yml']] * 2
    env = dict(os.environ, SENDGRID_API_URL=demo.url, SENDGRID_API_KEY='SG.demo-key', SENDGRID_API_VERSION='v3',
               ANSIBLE_NOCOLOR='1')
    outputs = []
    for command in commands:
        command[0] = os.path.join(os.path.dirname(sys.executable), command[0])
        proc = subprocess.run(command, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=600,
                              check=False)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        outputs.append(proc.stdout)
    assert 'DRY RUN - nothing was deleted' in outputs[0] and (tmp_path / 'plan.json').exists()
    assert 'plan: %s (3 addresses, digest ' % (tmp_path / 'plan.json') in outputs[0], 'the guide: it prints the path'

    assert 'Cleanup finished' in outputs[1] and 'selected 3, deleted 3' in outputs[1], outputs[1]
    assert demo.stats()['writes'] == 2, 'one bulk delete per list'

    recover, = [command for command in _commands(CONSOLE_BLOCK.search(section(text, 'When a run is stopped')).group(2))
                if 'suppression_cleanup_recover_only=true' in command]
    recover[0] = os.path.join(os.path.dirname(sys.executable), recover[0])
    proc = subprocess.run(recover, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0 and 'no interrupted run in ' in proc.stdout, proc.stdout[-3000:]
    assert demo.stats()['writes'] == 2, 'nothing more deleted'


def _console(emu, folder):
    """A shell in `folder` holding the guide's purge.yml, with the connection the guide's reader exported."""
    text = open(GUIDE, encoding='utf-8').read()
    (folder / 'purge.yml').write_text(re.sub(r'(?m)^ {3}', '', RST_BLOCK.search(text).group(2)))
    env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_KEY='SG.demo-key', SENDGRID_API_VERSION='v3',
               ANSIBLE_NOCOLOR='1', PATH='%s:%s' % (os.path.dirname(sys.executable), os.environ['PATH']))
    return Console(folder, env)


@pytest.fixture
def many(emulator_factory):
    """The demo account with exactly the guide's 12,345 records in its window (2015 to 2022) on its two lists."""
    def records(prefix, count):
        return [{'email': '%s%05d@retired.test' % (prefix, number), 'created': '2019-06-01 00:00:00',
                 'status': '5.1.1', 'reason': 'no such user'} for number in range(count)]
    return emulator_factory(data=os.path.join(FIXTURES, 'demo.yml'), extra={
        'reseller@example.com': {'invalid_emails': records('invalid', 12000)},
        'subuser@example.com': {'bounces': records('bounce', 345)}})


def test_the_guides_guard_as_written(many, tmp_path):
    dry_run, real_run = blocks('bulk_cleanup.rst')[0]
    with _console(many, tmp_path) as console:
        output = run_as_shown(console, dry_run)
        assert 'suppression_cleanup_confirm_count: 12345' in output and many.stats()['writes'] == 0, output
        output = run_as_shown(console, real_run)
    assert 'Cleanup finished' in output and 'deleted 12345' in output, output[-3000:]


def test_the_guides_plan_of_opt_outs_as_written(demo, tmp_path):
    make, apply = blocks('bulk_cleanup.rst')[2]
    with _console(demo, tmp_path) as console:
        output = run_as_shown(console, make)
        assert 'DRY RUN - nothing was deleted' in output and (tmp_path / 'plan.json').exists(), output
        output = run_as_shown(console, apply)
    assert 'Cleanup finished' in output and 'selected 3, deleted 3' in output, output[-3000:]
    assert demo.stats()['writes'] == 2, 'one bulk delete per list'
