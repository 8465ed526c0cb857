"""Every documented example runs as written against the emulator on the demo fixture (what `make emulator`
serves), with the connection from the environment variables the docs name; those the docs call idempotent run
twice, and the second run changes nothing."""

import os
import subprocess
import sys

import pytest
import yaml
from documented_examples import examples
from emulator.process import FIXTURES, Emulator

pytestmark = pytest.mark.slow

EXAMPLES = examples()
RUNNABLE = [example for example in EXAMPLES if example.kind not in ('configuration', 'rulebook')]
BIN = os.path.dirname(sys.executable)
# Plays that only read, or only call the collection's modules, are idempotent; a role's run writes new reports, and
# a check-mode preview reports again what a real run would change.
NOT_IDEMPOTENT = ('role:', 'include_role', 'import_role', 'roles:', 'check_mode: true')


def _environment(emu, home):
    env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_KEY='SG.demo-key', HOME=str(home),
               ANSIBLE_FORCE_COLOR='0', ANSIBLE_NOCOLOR='1')
    for name in ('SENDGRID_API_VERSION', 'SENDGRID_API_USER'):
        env.pop(name, None)              # the documented default, v3
    return env


def _inventories(example, workdir):
    """The inventory sources the same document shows, written as files a playbook of it runs with."""
    paths = []
    for other in EXAMPLES:
        if other.source == example.source and other.kind == 'inventory':
            path = workdir / ('example%d.sendgrid.yml' % other.index)
            path.write_text(other.text)
            paths.append(str(path))
    return paths


def _run(command, env, workdir):
    proc = subprocess.run(command, cwd=str(workdir), env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _playbook(example):
    if example.kind == 'playbook':
        return example.text
    return yaml.safe_dump([{'name': example.id, 'hosts': 'localhost', 'gather_facts': False,
                            'tasks': example.data}], sort_keys=False)


def test_the_documentation_has_examples_to_run():
    sources = {example.source for example in RUNNABLE}
    assert len(RUNNABLE) >= 30
    assert {'README.md', 'roles/suppression_cleanup/README.md', 'docs/docsite/rst/getting_started.rst',
            'plugins/lookup/suppressions.py', 'plugins/inventory/subusers.py'} <= sources
    assert all(example.source.startswith('docs/docsite/rst/fleet') for example in EXAMPLES
               if example.kind == 'configuration'), 'only the AWX credential type is configuration, not a run'


@pytest.mark.parametrize('example', RUNNABLE, ids=[example.id for example in RUNNABLE])
def test_example_runs_as_written(example, tmp_path):
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        env = _environment(emu, tmp_path)
        inventories = _inventories(example, tmp_path)
        if example.kind == 'inventory':
            rc, output = _run([os.path.join(BIN, 'ansible-inventory'), '-i', inventories[0], '--list'], env,
                              tmp_path)
            assert rc == 0 and '"sendgrid_user"' in output, output
            assert '[WARNING]' not in output, output
            return
        playbook = tmp_path / 'example.yml'
        playbook.write_text(_playbook(example))
        command = [os.path.join(BIN, 'ansible-playbook'), str(playbook)]
        for inventory in inventories:
            command += ['-i', inventory]
        rc, output = _run(command, env, tmp_path)
        assert rc == 0, output
        assert 'ok=' in output and 'skipping: no hosts matched' not in output, output
        rc, again = _run(command, env, tmp_path)
        assert rc == 0, again
        if not any(word in example.text for word in NOT_IDEMPOTENT):
            assert 'changed=0' in again and 'changed=1' not in again, 'a second run changed something:\n' + again


def _null_valued_keys(value, path='example'):
    """Where a mapping of an example has a key without a value: how a comma inside an unquoted flow-mapping value
    (`{description: What changed, at most weekly}`) silently splits it into a key of its own."""
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None and isinstance(key, str) and ' ' in key.strip():
                yield '%s: %r' % (path, key)
            yield from _null_valued_keys(item, '%s.%s' % (path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _null_valued_keys(item, '%s[%d]' % (path, index))


def test_no_example_has_a_value_split_by_a_comma():
    found = [place for example in EXAMPLES if example.kind != 'configuration'
             for place in _null_valued_keys(yaml.safe_load(example.text), example.id)]
    assert found == []
