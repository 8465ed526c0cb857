"""Every command of every guide (docs/docsite/rst) runs in a test as written, or this file says why it cannot run
here. The commands are typed into a bash as a reader types them (guide_commands.Console); what a test changes is
said where it changes it: a port the guide names becomes a free one (tests never hard-code a port), a key written
as `...` becomes the emulator's demo key."""

import ast
import os
import shutil
import socket
import subprocess
import sys

import pytest
import requests
import yaml
from documented_examples import ROOT, examples
from emulator.process import FIXTURES, Emulator
from guide_commands import Console, all_shown, blocks, every_command, run_as_shown

BIN = os.path.dirname(sys.executable)
with open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8') as _galaxy:
    VERSION = yaml.safe_load(_galaxy)['version']
KEY = 'SG.demo-key'
HERE = 'tests/unit/docs/test_guide_commands.py::'
WORKFLOWS = 'tests/unit/docs/test_documented_workflows.py::'
TERMINAL = 'tests/unit/docs/test_stopped_run_in_a_terminal.py::'
EDA = 'tests/eda/test_documented_commands.py::'
NOT_RUN = 'not run here: '
# Where each command of each guide runs, by its text on one line: the test that runs it as written, or why none can.
WHERE = {
    'bulk_cleanup.rst': {
        'ansible-playbook purge.yml # dry run: "... needs suppression_cleanup_confirm_count: 12345"':
            WORKFLOWS + 'test_the_guides_guard_as_written',
        'ansible-playbook purge.yml -e suppression_cleanup_dry_run=false -e suppression_cleanup_confirm_count=12345':
            WORKFLOWS + 'test_the_guides_guard_as_written',
        'ansible-playbook purge.yml -e suppression_cleanup_plan_file=plan.json # dry run, writes the plan':
            WORKFLOWS + 'test_the_guides_plan_workflow_as_written',
        'ansible-playbook purge.yml -e suppression_cleanup_apply_plan=plan.json -e suppression_cleanup_dry_run=false':
            WORKFLOWS + 'test_the_guides_plan_workflow_as_written',
        'ansible-playbook purge.yml -e suppression_cleanup_plan_file=plan.json -e suppression_cleanup_remove_opt_outs=true':
            WORKFLOWS + 'test_the_guides_plan_of_opt_outs_as_written',
        'ansible-playbook purge.yml -e suppression_cleanup_apply_plan=plan.json -e suppression_cleanup_dry_run=false '
        '-e suppression_cleanup_remove_opt_outs=true': WORKFLOWS + 'test_the_guides_plan_of_opt_outs_as_written',
        'ansible-playbook purge.yml -e suppression_cleanup_recover_only=true':
            WORKFLOWS + 'test_the_guides_plan_workflow_as_written',
        'ansible-playbook purge.yml -e suppression_cleanup_dry_run=false -e suppression_cleanup_confirm_count=4000':
            TERMINAL + 'test_the_guides_stopped_run_as_a_person_sees_it_in_a_terminal',
    },
    'moving_opt_outs.rst': {
        'aws sesv2 list-suppressed-destinations --reasons COMPLAINT --output json | jq -c '
        "'.SuppressedDestinationSummaries[]' > ~/ses-complaints.jsonl": NOT_RUN + (
            'it reads a live Amazon SES account with the aws CLI and jq, over the network; the JSON Lines file it '
            'writes is a source the import reads, tested in tests/unit/plugins/module_utils/test_opt_out_sources.py'),
    },
    'emulator.rst': {
        'python -m pip install -r tests/emulator/requirements.txt': HERE + 'test_the_emulator_guide_in_a_fresh_venv',
        'python tests/emulator/serve.py --port 8025 --data tests/emulator/fixtures/demo.yml --generate 1000 &':
            HERE + 'test_the_emulator_guide_in_a_fresh_venv',
        'export SENDGRID_API_URL=http://127.0.0.1:8025 SENDGRID_API_KEY=SG.demo-key':
            HERE + 'test_the_emulator_guide_in_a_fresh_venv',
        'curl -s -H "Authorization: Bearer $SENDGRID_API_KEY" -H \'on-behalf-of: subuser@example.com\' '
        '"$SENDGRID_API_URL/v3/suppression/bounces?limit=500&offset=0"': HERE + 'test_the_emulator_guide_in_a_fresh_venv',
        'kill %1': HERE + 'test_the_emulator_guide_in_a_fresh_venv',
    },
    'event_driven.rst': {
        'sudo apt-get install openjdk-17-jre-headless # Debian, Ubuntu': NOT_RUN + (
            'it installs a system package as root; `make java` (tests/tools/ensure_java.sh) installs this package for '
            '`make eda`, ' + HERE + 'test_the_event_guides_installs_are_the_projects'),
        'sudo dnf install java-17-openjdk-headless # Fedora, RHEL': NOT_RUN + (
            'Fedora and RHEL; ensure_java.sh names the same package, ' + HERE
            + 'test_the_event_guides_installs_are_the_projects'),
        'python3 -m pip install ansible-rulebook ansible-core aiohttp cryptography requests jmespath': NOT_RUN + (
            'ansible-rulebook brings a Java rules engine and minutes of downloads; `make eda` installs these packages '
            'from the project\'s requirements files, ' + HERE + 'test_the_event_guides_installs_are_the_projects'),
        'ansible-galaxy collection install mailops.sendgrid': NOT_RUN + (
            'it installs the release published on Galaxy, over the network; the tarball install runs in '
            + HERE + 'test_the_tarball_commands'),
        'ansible-playbook webhooks.yml': HERE + 'test_the_webhook_play_and_the_move_of_its_listener',
        'ansible-playbook webhooks.yml -e \'sendgrid_old_events_url=http://127.0.0.1:5000/sendgrid/{user}\' '
        '-e \'sendgrid_events_url=https://eda.example.com:5000/sendgrid/{user}\'':
            HERE + 'test_the_webhook_play_and_the_move_of_its_listener',
        'cat vars.yml': EDA + 'test_the_guides_rulebook_run_against_the_emulator',
        'cat inventory.yml': EDA + 'test_the_guides_rulebook_run_against_the_emulator',
        'export SENDGRID_API_KEY=SG.xxxx': EDA + 'test_the_guides_rulebook_run_against_the_emulator',
        'ansible-rulebook --rulebook mailops.sendgrid.sendgrid_suppression_events --vars vars.yml --inventory '
        'inventory.yml': EDA + 'test_the_guides_rulebook_run_against_the_emulator',
        'make emulator &': EDA + 'test_the_guides_rulebook_run_against_the_emulator',
        'export SENDGRID_API_URL=http://127.0.0.1:8025 SENDGRID_API_KEY=SG.demo-key':
            EDA + 'test_the_guides_rulebook_run_against_the_emulator',
        'ansible-rulebook --rulebook mailops.sendgrid.sendgrid_suppression_events --vars vars.yml --inventory '
        'inventory.yml &': EDA + 'test_the_guides_rulebook_run_against_the_emulator',
        'curl -s -X POST http://127.0.0.1:8025/_emulator/events -H \'Authorization: Bearer SG.demo-key\' -H '
        '\'Content-Type: application/json\' -d \'{"events": [{"event": "bounce", "type": "blocked", "email": '
        '"a@outage.example"}], "batch_size": 100}\'': EDA + 'test_the_guides_rulebook_run_against_the_emulator',
        'curl -s http://127.0.0.1:8025/_emulator/events': EDA + 'test_the_guides_rulebook_run_against_the_emulator',
    },
    'fleet.rst': {
        'SENDGRID_API_KEY=... ansible-playbook -i inventory/fleet.sendgrid.yml --forks 16 fleet.yml':
            HERE + 'test_the_fleet_command',
        'ansible-galaxy collection build': HERE + 'test_the_tarball_commands',
        'cp mailops-sendgrid-*.tar.gz docs/ee/mailops-sendgrid.tar.gz': HERE + 'test_the_tarball_commands',
        'cd docs/ee && ansible-builder build -t registry.example.com/mailops-sendgrid-ee:latest': NOT_RUN + (
            'it builds a container image, which needs podman or docker; tests/tools/build_install.py (make '
            'build-install) makes the same build context with `ansible-builder create` from this tarball and checks '
            'the Containerfile and the requirements ansible-builder finds'),
    },
    'getting_started.rst': {
        'ansible-galaxy collection install mailops.sendgrid': NOT_RUN + (
            'it installs the release published on Galaxy, over the network; the tarball install runs in '
            + HERE + 'test_the_tarball_commands'),
        # The version galaxy.yml says (test_release_metadata.py holds the guides to it).
        'ansible-galaxy collection install mailops-sendgrid-%s.tar.gz' % VERSION: HERE + 'test_the_tarball_commands',
        'python3 -m pip install -r ~/.ansible/collections/ansible_collections/mailops/sendgrid/requirements.txt':
            HERE + 'test_the_tarball_commands',
    },
}


def _test_exists(reference):
    path, name = reference.split('::')
    with open(os.path.join(ROOT, path), encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    return any(isinstance(node, ast.FunctionDef) and node.name == name for node in tree.body)


def test_every_command_of_every_guide_runs_in_a_test_or_says_why_not():
    found = {guide: commands for guide, commands in every_command().items() if commands}
    assert {guide: sorted(set(commands)) for guide, commands in found.items()} == \
        {guide: sorted(where) for guide, where in WHERE.items()}
    for guide, where in WHERE.items():
        for command, how in where.items():
            if how.startswith(NOT_RUN):
                references = [word.rstrip(',') for word in how.split() if '::' in word]
                assert all(_test_exists(reference) for reference in references), (guide, command)
            else:
                assert _test_exists(how), '%s: %s names %s, which does not exist' % (guide, command, how)


def _fresh_venv(path):
    """A virtual environment with nothing but pip, as `python3 -m venv` makes it."""
    subprocess.run([sys.executable, '-m', 'venv', str(path)], check=True, capture_output=True)
    return path / 'bin'


def _environment(path_first, **values):
    """The environment of a reader's shell: `path_first` first on the PATH, no collection path or PYTHONPATH of
    the tests, pip's download cache kept across runs (the user's own)."""
    env = dict(os.environ, PATH='%s:%s' % (path_first, os.environ['PATH']), ANSIBLE_NOCOLOR='1',
               PIP_CACHE_DIR=os.environ.get('PIP_CACHE_DIR') or os.path.expanduser('~/.cache/pip'), **values)
    for name in ('PYTHONPATH', 'VIRTUAL_ENV', 'SENDGRID_API_USER', 'SENDGRID_API_VERSION'):
        env.pop(name, None)
    return env


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_the_emulator_guide_in_a_fresh_venv(tmp_path):
    assert shutil.which('curl'), 'the guide asks for curl'
    venv = _fresh_venv(tmp_path / 'venv')
    lacking = subprocess.run([str(venv / 'python'), '-c', 'import cheroot'], capture_output=True, check=False)
    assert lacking.returncode != 0, 'the venv is not fresh'
    commands, = blocks('emulator.rst')
    with Console(ROOT, _environment(venv), substitutions=[('8025', str(_free_port()))]) as console:
        outputs = [run_as_shown(console, command) for command in commands]
        all_shown(console, commands[1])
    assert '"email": "gone@example.net"' in outputs[3]


def _copy_of_the_repository(destination):
    shutil.copytree(ROOT, destination, symlinks=True, ignore=shutil.ignore_patterns(
        '.venv*', 'build', '.git', '__pycache__', '.pytest_cache', '*.tar.gz', 'site', 'output', 'results'))
    return destination


def test_the_tarball_commands(tmp_path):
    """fleet.rst builds the tarball and puts it beside the execution environment's definition; getting_started.rst
    installs a tarball and the collection's Python requirements (into a fresh venv, the reader's)."""
    repository = _copy_of_the_repository(tmp_path / 'repository')
    venv = _fresh_venv(tmp_path / 'venv')
    home = tmp_path / 'home'
    home.mkdir()
    env = _environment(venv, HOME=str(home))
    for name in ('ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_HOME'):       # the tests' own; a reader has ~/.ansible
        env.pop(name, None)
    env['PATH'] = '%s:%s:%s' % (venv, BIN, os.environ['PATH'])      # ansible-galaxy: the one under test
    build, copy = [command for command in blocks('fleet.rst')[1] if 'ansible-builder' not in command.text]
    dummy, tarball, requirements = blocks('getting_started.rst')[0]
    with Console(repository, env) as console:
        run_as_shown(console, build)
        run_as_shown(console, copy)
    assert (repository / 'docs' / 'ee' / 'mailops-sendgrid.tar.gz').is_file()
    reader = tmp_path / 'downloads'
    reader.mkdir()
    for built in repository.glob('mailops-sendgrid-*.tar.gz'):
        shutil.copy(built, reader)
    with Console(reader, env) as console:
        run_as_shown(console, tarball)
        run_as_shown(console, requirements)
    installed = home / '.ansible' / 'collections' / 'ansible_collections' / 'mailops' / 'sendgrid'
    with open(installed / 'MANIFEST.json', encoding='utf-8') as handle:
        assert '"name": "sendgrid"' in handle.read()
    subprocess.run([str(venv / 'python'), '-c', 'import requests, jmespath, urllib3, ijson'], check=True)


@pytest.fixture(scope='module')
def demo():
    """The demo account, which has the tenant subusers the fleet and webhook guides name."""
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        yield emu


def _guide_yaml(guide, needle):
    return next(example.text for example in examples() if example.source == 'docs/docsite/rst/' + guide
                and needle in example.text)


def test_the_fleet_command(demo, tmp_path):
    (tmp_path / 'inventory').mkdir()
    (tmp_path / 'inventory' / 'fleet.sendgrid.yml').write_text(_guide_yaml('fleet.rst', 'plugin: mailops.sendgrid'))
    (tmp_path / 'fleet.yml').write_text(_guide_yaml('fleet.rst', 'hosts: sendgrid_subusers_enabled'))
    command, = blocks('fleet.rst')[0]
    env = _environment(BIN, HOME=str(tmp_path), SENDGRID_API_URL=demo.url, SENDGRID_API_VERSION='v3')
    with Console(tmp_path, env, substitutions=[('SENDGRID_API_KEY=...', 'SENDGRID_API_KEY=' + KEY)]) as console:
        output = run_as_shown(console, command)
    assert 'tenant-42' in output and 'failed=0' in output and 'tenant-7 ' not in output, output


def _webhook_urls(emu, user=None):
    headers = {'Authorization': 'Bearer ' + KEY}
    if user:
        headers['on-behalf-of'] = user
    answer = requests.get(emu.url + '/v3/user/webhooks/event/settings/all', headers=headers, timeout=30).json()
    return sorted(webhook['url'] for webhook in answer['webhooks'])


def test_the_webhook_play_and_the_move_of_its_listener(demo, tmp_path):
    (tmp_path / 'webhooks.yml').write_text(_guide_yaml('event_driven.rst', 'sendgrid_event_webhook'))
    first, = blocks('event_driven.rst')[1]
    move, = blocks('event_driven.rst')[2]
    env = _environment(BIN, SENDGRID_API_URL=demo.url, SENDGRID_API_KEY=KEY, SENDGRID_API_VERSION='v3')
    with Console(tmp_path, env) as console:
        run_as_shown(console, first)
        assert _webhook_urls(demo) == ['http://127.0.0.1:5000/sendgrid/account']
        assert _webhook_urls(demo, 'tenant-42') == ['http://127.0.0.1:5000/sendgrid/tenant-42']
        written = yaml.safe_load((tmp_path / 'sendgrid-webhooks.yml').read_text())
        run_as_shown(console, move)
    assert _webhook_urls(demo) == ['https://eda.example.com:5000/sendgrid/account']
    assert _webhook_urls(demo, 'tenant-42') == ['https://eda.example.com:5000/sendgrid/tenant-42']
    moved = yaml.safe_load((tmp_path / 'sendgrid-webhooks.yml').read_text())
    new_urls = [hook['url'].replace('http://127.0.0.1:5000', 'https://eda.example.com:5000') for hook in written]
    assert sorted(hook['url'] for hook in moved) == sorted(new_urls)


def _requirement_names(*files):
    names = set()
    for name in files:
        with open(os.path.join(ROOT, name), encoding='utf-8') as handle:
            for line in handle:
                line = line.split('#')[0].strip()
                if line and not line.startswith('-r'):
                    names.add(line.split('>')[0].split('=')[0].split('<')[0].strip().lower())
    return names


def test_the_event_guides_installs_are_the_projects():
    """The packages the event guide installs by hand are those `make eda` installs, and its Java packages those
    ensure_java.sh installs or names."""
    apt, dnf, pip, dummy = blocks('event_driven.rst')[0]
    named = set(pip.line.split('install', 1)[1].split())
    assert named <= _requirement_names('requirements.txt', 'requirements-dev.txt', 'requirements-eda.txt')
    with open(os.path.join(ROOT, 'tests', 'tools', 'ensure_java.sh'), encoding='utf-8') as handle:
        script = handle.read()
    assert apt.line.split()[3] in script and dnf.line.split()[3] in script
