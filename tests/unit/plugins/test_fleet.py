"""A fleet: the subusers inventory and the cleanup role over 50 subusers with forks 10, each subuser's own
selection deleted and nothing else, a report per subuser, and the run-wide summary once."""

import json
import os
import subprocess
import sys

import pytest
import yaml
from emulator.process import Emulator

import requests
from fleet_helpers import KEY, fleet_fixture

pytestmark = pytest.mark.slow

COUNT = 50


def _bounces(index):
    """Two permanent bounces (selected by status 5.) and one temporary (kept) per subuser."""
    return {'bounces': [
        {'email': 'gone%d@example.net' % index, 'status': '5.1.1', 'reason': 'unknown user', 'created': '2025-01-01 00:00:00'},
        {'email': 'moved%d@example.net' % index, 'status': '5.1.6', 'reason': 'moved', 'created': '2025-01-02 00:00:00'},
        {'email': 'full%d@example.net' % index, 'status': '4.2.2', 'reason': 'mailbox full', 'created': '2025-01-03 00:00:00'},
    ]}


def test_one_cleanup_per_subuser_in_parallel(tmp_path):
    data = tmp_path / 'fleet.yml'
    data.write_text(yaml.safe_dump(fleet_fixture(COUNT, records=_bounces)))
    source = tmp_path / 'fleet.sendgrid.yml'
    source.write_text(yaml.safe_dump({'plugin': 'mailops.sendgrid.subusers', 'username': 'tenant-'}))
    play = [{'hosts': 'sendgrid_subusers', 'gather_facts': False, 'roles': [{
        'role': 'mailops.sendgrid.suppression_cleanup',
        'vars': {'suppression_cleanup_lists': [{'list': 'subuser_bounces'}], 'suppression_cleanup_status': '5.',
                 'suppression_cleanup_dry_run': False, 'suppression_cleanup_report_dir': str(tmp_path / 'reports')}}]}]
    playbook = tmp_path / 'fleet.yml.play'
    playbook.write_text(yaml.safe_dump(play))
    with Emulator('--data', str(data)) as emu:
        env = dict(os.environ, SENDGRID_API_KEY=KEY, SENDGRID_API_URL=emu.url, SENDGRID_API_VERSION='v3',
                   ANSIBLE_NOCOLOR='1', ANSIBLE_FORKS='10')
        proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', str(source),
                               str(playbook)], capture_output=True, text=True, timeout=900, check=False, env=env)
        output = proc.stdout + proc.stderr
        assert proc.returncode == 0, output[-4000:]
        writes = emu.stats()['writes']
        left = {}
        for index in range(COUNT):
            user = 'tenant-%03d' % index
            answer = requests.get(emu.url + '/v3/suppression/bounces', timeout=30,
                                  headers={'Authorization': 'Bearer ' + KEY, 'on-behalf-of': user}).json()
            left[user] = sorted(record['email'] for record in answer)
    for index in range(COUNT):
        assert left['tenant-%03d' % index] == ['full%d@example.net' % index], 'exactly the selection, per subuser'
    assert writes == COUNT, 'one bulk delete per subuser'
    reports = sorted((tmp_path / 'reports').glob('*-run.json'))
    assert len(reports) == COUNT
    first = json.loads(reports[0].read_text())
    assert first['lists'][0]['user'] == 'tenant-000' and first['totals']['deleted'] == 2
    assert reports[0].name.startswith('suppression_cleanup-tenant-000-')
    flat = ' '.join(output.split())
    assert flat.count('of 50 host(s) cleaned') == 1, 'the run-wide summary, once'
    assert '50 of 50 host(s) cleaned: selected 100, deleted 100' in flat
    assert 'failed, by host: none' in flat
