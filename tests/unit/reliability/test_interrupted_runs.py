"""A bulk delete whose service dies half-way, and a service that never answers."""

import json
import os
import subprocess
import sys
import time

import requests
import yaml
from module_helpers import COLLECTIONS_ROOT, run_module
from emulator.process import Emulator

KEY = 'SG.kill-key'


def _fixture(tmp_path):
    path = tmp_path / 'fixture.yml'
    path.write_text(yaml.safe_dump({'accounts': [{'username': 'kill@example.com', 'api_keys': [KEY]}]}))
    return str(path)


def _emails(emu):
    return [r['email'] for r in requests.post(emu.url + '/api/invalidemails.get.json',
                                              data={'api_user': 'apikey', 'api_key': KEY}, timeout=30).json()]


def _wait_for_writes(emu, count, timeout=60):
    """Wait until the run is well under way (some deletes landed), however slow the machine."""
    deadline = time.monotonic() + timeout
    while emu.stats()['writes'] < count:
        if time.monotonic() > deadline:
            raise AssertionError('the bulk delete did not start')
        time.sleep(0.05)


def _start_module(args, tmp_path):
    path = tmp_path / 'args.json'
    path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    return subprocess.Popen(
        [sys.executable, '-m', 'ansible_collections.mailops.sendgrid.plugins.modules.sendgrid_invalid_email',
         str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=COLLECTIONS_ROOT))


def test_service_killed_mid_run_then_rerun_finishes_the_remainder(tmp_path):
    db = tmp_path / 'state.sqlite'
    first_emu = Emulator('--data', _fixture(tmp_path), '--db', db, '--generate', 400, '--latency-ms', 20).start()
    try:
        emails = _emails(first_emu)
        module = _start_module({'api_key': KEY, 'api_url': first_emu.url, 'emails': emails, 'concurrency': 4,
                                'max_retries': 2}, tmp_path)
        _wait_for_writes(first_emu, 40)
        first_emu.kill()
        stdout, dummy = module.communicate(timeout=120)
    finally:
        first_emu.stop()
    first = json.loads(stdout)
    assert module.returncode == 1 and first['failed']
    assert 0 < len(first['deleted']) < 400
    assert len(first['deleted']) + len(first['failed_emails']) == 400
    assert 'run again to finish' in first['msg'] and 'not deleted (see failed_emails' in first['msg']
    assert any(f['msg'].startswith('not attempted: ') for f in first['failed_emails'])
    assert KEY not in stdout

    with Emulator('--db', db) as second_emu:
        remaining = set(_emails(second_emu))
        assert remaining.isdisjoint(first['deleted'])
        rc, second = run_module('sendgrid_invalid_email', {'api_key': KEY, 'api_url': second_emu.url,
                                                           'emails': emails}, tmp_path)
        assert rc == 0
        assert set(second['deleted']) == remaining
        assert set(second['missing']) == set(emails) - remaining
        assert _emails(second_emu) == []


def test_silent_service_fails_after_timeout(canned, tmp_path):
    server = canned(hang=True)
    started = time.monotonic()
    rc, result = run_module('sendgrid_invalid_email', {'api_key': KEY, 'api_url': server.url, 'email': 'a',
                                                       'timeout': 1}, tmp_path)
    assert rc == 1 and time.monotonic() - started < 10
    assert 'no answer from %s within timeout=1.0 seconds' % server.url in result['msg']
