"""The suppression_cleanup role's API URL and region: the host's sendgrid_api_url and sendgrid_region (which the
subusers inventory sets) unless the role's own variables say otherwise, and region picking SendGrid's URL."""

import os
import subprocess
import sys

import pytest
import yaml
from emulator.process import FIXTURES

pytestmark = pytest.mark.slow

DEMO = os.path.join(FIXTURES, 'demo.yml')


def _play(tmp_path, host_vars, role_vars, env):
    values = dict({'suppression_cleanup_api_key': 'SG.demo-key', 'suppression_cleanup_lists': [{'list': 'blocks'}],
                   'suppression_cleanup_select_all': True,
                   'suppression_cleanup_report_dir': str(tmp_path / 'reports')}, **role_vars)
    play = [{'hosts': 'localhost', 'gather_facts': False, 'vars': host_vars,
             'roles': [{'role': 'mailops.sendgrid.suppression_cleanup', 'vars': values}]}]
    path = tmp_path / ('play-%d.yml' % len(list(tmp_path.glob('play-*.yml'))))
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    environment = dict(os.environ, ANSIBLE_NOCOLOR='1', SENDGRID_API_VERSION='v3', **env)
    environment.pop('SENDGRID_API_URL', None)
    environment.pop('SENDGRID_REGION', None)
    environment.update(env)
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(path)],
                          capture_output=True, text=True, timeout=600, check=False, env=environment)
    return proc.returncode, proc.stdout + proc.stderr


def test_the_host_s_api_url_is_used_unless_the_role_names_one(emulator_factory, tmp_path, unused_port):
    emu = emulator_factory(data=DEMO)
    nowhere = 'http://127.0.0.1:%d' % unused_port
    rc, output = _play(tmp_path, {'sendgrid_api_url': emu.url, 'sendgrid_region': 'eu'}, {},
                       {'SENDGRID_API_URL': nowhere})
    assert rc == 0 and 'DRY RUN' in output and 'blocks: 2 selected' in output, output[-2000:]
    assert emu.stats()['by_endpoint']['v3/suppression/blocks']['total'] == 1
    rc, output = _play(tmp_path, {'sendgrid_api_url': nowhere}, {'suppression_cleanup_api_url': emu.url}, {})
    assert rc == 0, output[-2000:]


@pytest.mark.compat
def test_the_region_picks_sendgrid_s_own_url(tmp_path, unused_port):
    # No API URL anywhere: the request goes to the EU region's URL, through a proxy that is not there (no request
    # leaves this machine), and the error names where it was going.
    proxy = 'http://127.0.0.1:%d' % unused_port
    rc, output = _play(tmp_path, {}, {'suppression_cleanup_region': 'eu', 'suppression_cleanup_max_retries': 0},
                       {'HTTPS_PROXY': proxy, 'https_proxy': proxy, 'NO_PROXY': '', 'no_proxy': ''})
    assert rc != 0 and 'api.eu.sendgrid.com' in output and 'SG.demo-key' not in output


@pytest.mark.compat
def test_an_unknown_region_is_refused_before_any_request(tmp_path):
    rc, output = _play(tmp_path, {}, {'suppression_cleanup_region': 'us'}, {})
    assert rc != 0 and "suppression_cleanup_region must be global or eu, got 'us'" in output
