"""A run without a key says what to set, in the job output a person reads: the option, the environment variable
SENDGRID_API_KEY, the lookups' play variable sendgrid_api_key and the modules' action group for module_defaults;
from a module, the lookup, the cleanup's action and the inventory, each before any request and in one short line."""

import os
import subprocess
import sys

import pytest
import yaml

BIN = os.path.dirname(sys.executable)
# Nothing listens there: a request would fail with another message, so the message seen was given before any.
NOWHERE = 'http://127.0.0.1:9'
WHAT_TO_SET = ('api_key is not set', 'option api_key', 'environment variable SENDGRID_API_KEY',
               'play variable sendgrid_api_key', 'module_defaults', 'group/mailops.sendgrid.sendgrid')
TASKS = {
    'module': {'mailops.sendgrid.sendgrid_block': {'email': 'a@example.com'}},
    'lookup': {'ansible.builtin.debug': {'msg': "{{ query('mailops.sendgrid.suppressions', 'blocks') }}"}},
    'action': {'mailops.sendgrid.sendgrid_suppression_cleanup': {'lists': [{'list': 'blocks'}],
                                                                 'domains': ['example.com']}},
}


def _environment(home):
    env = dict(os.environ, SENDGRID_API_URL=NOWHERE, SENDGRID_API_VERSION='v3', HOME=str(home), ANSIBLE_NOCOLOR='1',
               ANSIBLE_FORCE_COLOR='0')
    env.pop('SENDGRID_API_KEY', None)
    return env


def _says_what_to_set(output):
    flat = ' '.join(output.split())
    assert all(words in flat for words in WHAT_TO_SET), output
    assert 'connection refused' not in flat.lower() and 'missing required arguments' not in flat, output


@pytest.mark.parametrize('kind', sorted(TASKS))
def test_a_task_without_a_key_says_what_to_set(kind, tmp_path):
    playbook = tmp_path / 'play.yml'
    playbook.write_text(yaml.safe_dump([{'name': 'No key', 'hosts': 'localhost', 'gather_facts': False,
                                         'tasks': [dict(TASKS[kind], name='Without a key')]}], sort_keys=False))
    run = subprocess.run([os.path.join(BIN, 'ansible-playbook'), str(playbook)], env=_environment(tmp_path),
                         cwd=str(tmp_path), capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 2, run.stdout + run.stderr
    _says_what_to_set(run.stdout + run.stderr)
    fatal = [line for line in run.stdout.splitlines() if line.startswith('fatal:')]
    assert len(fatal) == 1 and len(fatal[0]) < 800, run.stdout


def test_the_inventory_without_a_key_says_what_to_set(tmp_path):
    source = tmp_path / 'fleet.sendgrid.yml'
    source.write_text('plugin: mailops.sendgrid.subusers\n')
    run = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', str(source), '--list'],
                         env=dict(_environment(tmp_path), ANSIBLE_INVENTORY_UNPARSED_FAILED='true'), cwd=str(tmp_path),
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode != 0, run.stdout + run.stderr
    _says_what_to_set(run.stderr)
