"""The bulk-cleanup guide's plan workflow, run literally from its text: the guide's playbook saved as purge.yml,
then each command of its console block, against the emulator on the demo account."""

import os
import re
import shlex
import subprocess
import sys

import pytest
from emulator.process import FIXTURES

from documented_examples import ROOT, RST_BLOCK

pytestmark = pytest.mark.slow

GUIDE = os.path.join(ROOT, 'docs', 'docsite', 'rst', 'bulk_cleanup.rst')
CONSOLE_BLOCK = re.compile(r'^( *)\.\. code-block:: console\n((?:\1 +.*\n|[ \t]*\n)+)', re.M)


def _section(text, title):
    start = text.index('\n%s\n%s\n' % (title, '-' * len(title)))
    following = re.search(r'\n[^\n]+\n-{3,}\n', text[start + len(title) + 2:])
    return text[start:start + len(title) + 2 + following.start()] if following else text[start:]


def _commands(block):
    """The console block's commands, without the prompt and the comments."""
    return [shlex.split(line.strip()[2:].split('#')[0]) for line in block.splitlines() if line.strip().startswith('$ ')]


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
    commands = _commands(CONSOLE_BLOCK.search(_section(text, 'A reviewed plan')).group(2))
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
    assert 'Cleanup finished' in outputs[1] and 'selected 3, deleted 3' in outputs[1], outputs[1]
    assert demo.stats()['writes'] == 2, 'one bulk delete per list'

    recover, = _commands(CONSOLE_BLOCK.search(_section(text, 'When a run is stopped')).group(2))
    recover[0] = os.path.join(os.path.dirname(sys.executable), recover[0])
    proc = subprocess.run(recover, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0 and 'no interrupted run in ' in proc.stdout, proc.stdout[-3000:]
    assert demo.stats()['writes'] == 2, 'nothing more deleted'
