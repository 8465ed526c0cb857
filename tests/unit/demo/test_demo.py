"""make demo tells its story in a screen: what it does, each step's outcome, before and after, where the report
and the full Ansible output are; and that output is complete in the log it names."""

import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def test_the_demo_is_short_and_names_its_log(tmp_path):
    env = dict(os.environ, DEMO_OUTPUT=str(tmp_path))
    env.pop('SENDGRID_API_VERSION', None)
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'tests', 'demo', 'run.py')], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) <= 30 and max(len(line) for line in lines if str(tmp_path) not in line) <= 120, proc.stdout
    assert lines[-1] == 'demo: both API versions ran'
    for version in ('v3', 'v2'):
        log = tmp_path / ('demo-%s.log' % version)
        assert 'full Ansible output: %s' % log in proc.stdout
        text = log.read_text()
        assert 'PLAY RECAP' in text and 'TASK [mailops.sendgrid.suppression_cleanup' in text
        assert re.search(r'localhost: ok=\d+ changed=\d+ unreachable=0 failed=0', proc.stdout)
        reports = os.listdir(tmp_path / 'reports' / version)
        assert any(name.endswith('-run.json') for name in reports) and any(name.endswith('-run.csv') for name in reports)
    assert proc.stdout.count('would delete brandon, isaac@hotmail (2 of 3 addresses') == 2
    assert proc.stdout.count('run again, it changed nothing (deleted 0)') == 2
    assert proc.stdout.count('the dry run selected 5, the real run (confirming that count) deleted 5') == 2
    assert proc.stdout.count('the emulator held 25 records before, 17 after') == 2
