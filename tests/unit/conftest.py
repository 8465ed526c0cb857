"""Fixtures shared by every unit test: emulator processes on free ports, and the collection on sys.path."""

import os
import sys
import tempfile

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tests'))

from collection_path import put_collection_on_path  # noqa: E402


put_collection_on_path()

# A real cleanup run without report_dir journals under the Ansible home: the tests' own, never the user's.
os.environ['ANSIBLE_HOME'] = tempfile.mkdtemp(prefix='mailops-ansible-home-')

# The tests written against Web API v2 pin it here, for every plugin run in or under this process (lookups read
# SENDGRID_API_VERSION, modules and playbooks inherit it); a v3 test names api_version itself.
os.environ['SENDGRID_API_VERSION'] = 'v2'

from emulator.process import FIXTURES, Emulator  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line('markers', 'compat: runs on the lowest and the newest ansible-core too (make compat-low, '
                            'compat-high): one test for each way the collection meets ansible-core (a module\'s '
                            'argument spec, check and diff mode, the action, lookups, filters, the inventory, the '
                            'role, the play\'s output and warnings, runner events, signals) and the engine\'s quick '
                            'tests')
    config.addinivalue_line('markers', 'slow: runs whole playbooks or big purges; make check leaves it out unless it '
                            'is marked compat too')


ENGINE_TESTS = os.path.join(ROOT, 'tests', 'unit', 'plugins', 'module_utils') + os.sep


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The engine's tests are compat unless slow: they are quick, and the newest ansible-core's tier runs them on
    another Python. (tryfirst: before `-m` selects.)"""
    for item in items:
        if str(item.path).startswith(ENGINE_TESTS) and not item.get_closest_marker('slow'):
            item.add_marker(pytest.mark.compat)


@pytest.fixture(scope='module')
def seeds_emulator():
    """One emulator on the seeds' data for a whole test module; tests that change data use emulator_factory."""
    with Emulator('--data', os.path.join(FIXTURES, 'seeds.yml')) as emu:
        yield emu


@pytest.fixture
def emulator_factory(tmp_path):
    """emulator_factory(*args, data=dict|path|None, extra=dict): a fresh emulator, stopped after the test."""
    started = []

    def start(*args, data=None, extra=None):
        path = data if isinstance(data, str) else os.path.join(FIXTURES, 'seeds.yml')
        if isinstance(data, dict) or extra:
            loaded = data if isinstance(data, dict) else yaml.safe_load(open(path, encoding='utf-8'))
            for username, lists in (extra or {}).items():
                _add_records(loaded, username, lists)
            path = str(tmp_path / ('fixture%d.yml' % len(started)))
            with open(path, 'w', encoding='utf-8') as handle:
                yaml.safe_dump(loaded, handle)
        emu = Emulator('--data', path, *args).start()
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.stop()


def _walk(users):
    for user in users or []:
        yield user
        yield from _walk(user.get('customers'))
        yield from _walk(user.get('subusers'))


def _add_records(data, username, lists):
    for user in _walk(data.get('accounts')):
        if user['username'] == username:
            for list_name, records in lists.items():
                user.setdefault(list_name, []).extend(records)
            return
    raise KeyError(username)


@pytest.fixture
def unused_port():
    """A port nothing listens on (bound, then released)."""
    import socket
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture
def canned():
    """canned(status=, body=, headers=, hang=): servers that answer every request the same; closed after."""
    from canned_server import CannedServer
    servers = []

    def make(**kwargs):
        servers.append(CannedServer(**kwargs))
        return servers[-1]
    yield make
    for server in servers:
        server.close()
