"""Runs at -vvvv of each module, the lookup and the role, passing and failing: the key shows up nowhere."""

import os
import subprocess
import sys

import pytest
import yaml
from emulator.process import FIXTURES, Emulator

pytestmark = pytest.mark.slow

SECRET = 'SG.top-secret-key-4f1c9e'


def _fixture(tmp_path):
    data = yaml.safe_load(open(os.path.join(FIXTURES, 'demo.yml'), encoding='utf-8'))
    data['accounts'][0]['api_keys'].append(SECRET)
    path = tmp_path / 'fixture.yml'
    path.write_text(yaml.safe_dump(data))
    return str(path)


def _play(url, reports, secrets_file):
    # The key comes from a vars file, as from a vault: the playbook text, which Ansible quotes on errors, has none.
    key = '{{ sendgrid_key }}'
    connection = {'api_key': key, 'api_url': url, 'max_retries': 0}
    return [{
        'name': 'Every plugin with a known key',
        'hosts': 'localhost',
        'gather_facts': False,
        'vars_files': [secrets_file],
        'tasks': [
            {'name': 'Module, passing', 'mailops.sendgrid.sendgrid_invalid_email': dict(connection, email='brandon')},
            {'name': 'Module, failing', 'mailops.sendgrid.sendgrid_subuser_bounce':
                dict(connection, user='someone-elses-subuser@example.com', email='x'), 'ignore_errors': True},
            {'name': 'Lookup, passing', 'ansible.builtin.debug': {
                'msg': "{{ query('mailops.sendgrid.suppressions', 'invalid_emails', api_key=k, api_url=u) }}"},
             'vars': {'k': key, 'u': url}},
            {'name': 'Lookup, failing', 'ansible.builtin.debug': {
                'msg': "{{ query('mailops.sendgrid.suppressions', 'subuser_bounces', user='nobody@example.com', "
                       "api_key=k, api_url=u) }}"}, 'vars': {'k': key, 'u': url}, 'ignore_errors': True},
            {'name': 'Role, dry run then real run', 'ansible.builtin.include_role': {
                'name': 'mailops.sendgrid.suppression_cleanup'},
             'vars': {'suppression_cleanup_api_key': key, 'suppression_cleanup_api_url': url,
                      'suppression_cleanup_lists': [{'list': 'invalid_emails'}], 'suppression_cleanup_days': 36500,
                      'suppression_cleanup_dry_run': False, 'suppression_cleanup_report_dir': reports}},
            {'name': 'Role, failing on a foreign subuser', 'block': [{
                'name': 'Run it', 'ansible.builtin.include_role': {'name': 'mailops.sendgrid.suppression_cleanup'},
                'vars': {'suppression_cleanup_api_key': key, 'suppression_cleanup_api_url': url,
                         'suppression_cleanup_lists': [{'list': 'subuser_bounces',
                                                        'user': 'someone-elses-subuser@example.com'}],
                         'suppression_cleanup_select_all': True, 'suppression_cleanup_report_dir': reports}}],
             'rescue': [{'name': 'Note the failure', 'ansible.builtin.debug': {'msg': 'failed as expected'}}]},
        ],
    }]


@pytest.mark.compat
def test_the_key_appears_nowhere(tmp_path):
    reports = tmp_path / 'reports'
    with Emulator('--data', _fixture(tmp_path)) as emu:
        playbook = tmp_path / 'play.yml'
        secrets = tmp_path / 'vault.yml'
        secrets.write_text(yaml.safe_dump({'sendgrid_key': SECRET}))
        playbook.write_text(yaml.safe_dump(_play(emu.url, str(reports), str(secrets)), sort_keys=False))
        proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-vvvv',
                               str(playbook)], capture_output=True, text=True, timeout=600, check=False,
                              env=dict(os.environ, ANSIBLE_NOCOLOR='1'))
        urls = [r['url'] for r in emu.requests()]
        writes = emu.stats()['writes']
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert 'failed as expected' in output and 'is not registered under your account' in output
    assert writes >= 5, 'the passing runs really deleted'
    assert SECRET not in output
    assert urls and not any(SECRET in url for url in urls)
    report_files = list(reports.iterdir())
    assert sorted(path.suffix for path in report_files) == ['.csv', '.journal', '.json', '.md'], \
        'the journal, JSON and CSV of the real run; the failing run stopped at selection'
    assert not any(SECRET in path.read_text() for path in report_files)
