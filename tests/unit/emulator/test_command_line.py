"""The emulator started as a user starts it: `python -m emulator` (what `make emulator` runs) and the file
`serve.py`; each prints where it listens and the environment variables of the fixture's account."""

import os
import subprocess
import sys

import pytest

from emulator.process import SERVE
from emulator.serve import print_environment
from emulator.store import Store

TESTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def first_lines(cmd, env, count):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        return [proc.stdout.readline().rstrip('\n') for dummy in range(count)]
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()


@pytest.mark.parametrize('how', ['module', 'file'])
def test_start_prints_the_demo_accounts_environment(how):
    env = dict(os.environ, PYTHONPATH=TESTS)
    cmd = [sys.executable, '-m', 'emulator'] if how == 'module' else [sys.executable, SERVE]
    lines = first_lines(cmd + ['--port', '0'], env, 5)
    url = lines[0].split('listening on ', 1)[1].split(' ', 1)[0]
    assert url.startswith('http://127.0.0.1:')
    assert lines[1] == '# the environment for the account reseller@example.com (Web API v3; SENDGRID_API_VERSION=v2 for v2):'
    assert lines[2:] == ['export SENDGRID_API_URL=%s' % url, 'export SENDGRID_API_KEY=SG.demo-key',
                         'export SENDGRID_API_VERSION=v3']


def test_a_fixture_without_keys_prints_no_environment(capsys):
    store = Store()
    store.load({'accounts': [{'username': 'a@example.com', 'password': 'pw'}]})
    print_environment(store, 'http://127.0.0.1:1')
    assert capsys.readouterr().out == ''
