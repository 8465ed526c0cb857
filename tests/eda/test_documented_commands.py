"""The event-driven guide's rulebook commands, typed as written (tests/unit/docs/guide_commands.Console) under
ansible-rulebook: its "Trying it against the emulator" block from `make emulator &` to the blocked bounce that the
rulebook's listener acknowledges, then its production block (`cat vars.yml`, `cat inventory.yml`, the key, and
ansible-rulebook in a terminal of its own) against the same emulator and webhooks.

What the test changes, and why: the guide's ports (8025, 5000) become free ones, since tests never hard-code a
port; the `vars.yml` the guide shows names the webhooks file the guide's play writes beside it (the guide's
production path is /srv/eda); the production block's key `SG.xxxx` is the emulator's, and its terminal is given the
emulator's URL, which the guide's reader exported in the other terminal."""

import os
import shutil
import socket
import sys
import time

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'unit', 'docs'))
from documented_examples import examples  # noqa: E402  pylint: disable=wrong-import-position
from guide_commands import (  # noqa: E402  pylint: disable=wrong-import-position
    Command, Console, all_shown, blocks, run_as_shown, shown, substituted)

KEY = 'SG.demo-key'


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(('127.0.0.1', port)) == 0


def _wait(condition, timeout, what, console):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail('%s within %d s; the console said:\n%s' % (what, timeout, console.printed()[-6000:]))
        time.sleep(0.25)


def _repository(folder):
    """What `make emulator` needs of the repository, and the venv that runs this test as its .venv (made by the
    `make eda` that runs this test, so make has nothing to install)."""
    for name in ('Makefile', 'requirements.txt', 'requirements-dev.txt'):
        shutil.copy2(os.path.join(ROOT, name), folder / name)
    shutil.copytree(os.path.join(ROOT, 'tests', 'emulator'), folder / 'tests' / 'emulator',
                    ignore=shutil.ignore_patterns('__pycache__'))
    os.symlink(os.path.dirname(os.path.dirname(sys.executable)), folder / '.venv')


@pytest.fixture
def reader(tmp_path):
    """The folder and environment of the guide's reader, and the substitutions of this test."""
    assert shutil.which('ansible-rulebook'), 'ansible-rulebook is not installed: `make eda` installs it'
    emulator_port, listener_port = _free_port(), _free_port()
    substitutions = [('8025', str(emulator_port)), ('5000', str(listener_port)),
                     ('/srv/eda/sendgrid-webhooks.yml', 'sendgrid-webhooks.yml'), ('SG.xxxx', KEY)]
    _repository(tmp_path)
    play = next(example.text for example in examples()
                if example.source.endswith('event_driven.rst') and 'sendgrid_event_webhook' in example.text)
    (tmp_path / 'webhooks.yml').write_text(substituted(play, substitutions))
    env = dict(os.environ, PORT=str(emulator_port), XDG_STATE_HOME=str(tmp_path / 'state'), ANSIBLE_NOCOLOR='1')
    for name in ('SENDGRID_API_URL', 'SENDGRID_API_KEY', 'SENDGRID_API_VERSION', 'SENDGRID_API_USER'):
        env.pop(name, None)
    return tmp_path, env, substitutions, listener_port


def _counts(console):
    return requests.get(console.emulator_url + '/_emulator/events', timeout=30).json()


def test_the_guides_rulebook_run_against_the_emulator(reader):
    folder, env, substitutions, listener = reader
    production, trying = blocks('event_driven.rst')[3:5]
    for command in production:                          # the files the reader made, as the guide shows them
        if command.line.startswith('cat '):
            (folder / command.line.split()[1]).write_text(substituted('\n'.join(command.output) + '\n',
                                                                      substitutions))
    start, export, webhooks, rulebook, post, count = trying
    with Console(folder, env, substitutions) as console:
        for command in (start, export, webhooks):
            run_as_shown(console, command)
        console.emulator_url = 'http://127.0.0.1:%s' % substitutions[0][1]
        run_as_shown(console, rulebook)
        _wait(lambda: _listening(listener), 180, 'the rulebook did not listen', console)
        run_as_shown(console, post)
        expected = substituted(count.output[0], substitutions)
        # The reader asks again until the rulebook has acknowledged the post (the emulator posts asynchronously).
        _wait(lambda: shown(expected, console.run(count)[1]), 120, 'the post was not acknowledged', console)
        all_shown(console, start)
        console.run(Command('kill %2', []))             # this test's, not the guide's: the other terminal's turn
        _wait(lambda: not _listening(listener), 60, 'the rulebook did not stop', console)
        _production_terminal(folder, env, substitutions, production, listener, console)


def _production_terminal(folder, env, substitutions, production, listener, console):
    """The production block in a terminal of its own: the files shown, the key, the rulebook in the foreground;
    it listens, and a blocked bounce the emulator posts to the account's webhook is acknowledged."""
    cat_vars, cat_inventory, key, rulebook = production
    with Console(folder, dict(env, SENDGRID_API_URL=console.emulator_url), substitutions) as terminal:
        for command in (cat_vars, cat_inventory, key):
            run_as_shown(terminal, command)
        terminal.type(rulebook)
        _wait(lambda: _listening(listener), 180, 'the production command did not listen', terminal)
        answer = requests.post(console.emulator_url + '/_emulator/events', headers={'Authorization': 'Bearer ' + KEY},
                               json={'events': [{'event': 'bounce', 'type': 'blocked', 'email': 'b@outage.example'}]},
                               timeout=30)
        assert answer.json()['events'] == 1
        _wait(lambda: _counts(console)['acknowledged'] == 2, 120, 'the post was not acknowledged', terminal)
