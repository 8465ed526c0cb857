"""The suppression_cleanup role in one step: a dry run that writes a plan, a real run that applies it exactly,
every subuser's list in one run, and each list read once."""

import json
import os
import subprocess
import sys

import pytest
import yaml
from emulator.process import FIXTURES

pytestmark = pytest.mark.slow

DEMO = os.path.join(FIXTURES, 'demo.yml')


def _role(tmp_path, emu, cwd=None, **role_vars):
    values = {'suppression_cleanup_api_key': 'SG.demo-key', 'suppression_cleanup_api_version': 'v3',
              'suppression_cleanup_api_url': emu.url, 'suppression_cleanup_report_dir': str(tmp_path / 'reports')}
    values.update({'suppression_cleanup_%s' % key: value for key, value in role_vars.items()})
    play = [{'hosts': 'localhost', 'gather_facts': False,
             'roles': [{'role': 'mailops.sendgrid.suppression_cleanup', 'vars': values}],
             'post_tasks': [{'ansible.builtin.copy': {'content': '{{ suppression_cleanup_report | to_json }}',
                                                      'dest': str(tmp_path / 'fact.json')}},
                            {'ansible.builtin.copy': {'content': '{{ suppression_cleanup_run_summary | to_json }}',
                                                      'dest': str(tmp_path / 'summary.json')}}]}]
    path = tmp_path / 'play.yml'
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(path)],
                          capture_output=True, text=True, timeout=600, check=False, cwd=cwd,
                          env=dict(os.environ, ANSIBLE_NOCOLOR='1'))
    fact = json.loads((tmp_path / 'fact.json').read_text()) if proc.returncode == 0 else None
    return proc.returncode, proc.stdout + proc.stderr, fact


def test_a_dry_run_plan_applied_by_a_real_run(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    plan = str(tmp_path / 'plan.json')
    rc, output, fact = _role(tmp_path, emu, lists=[{'list': 'blocks'}, {'list': 'spam_reports', 'user': 'tenant-42'}],
                             start_date='2025-01-01', plan_file=plan, remove_opt_outs=True)
    assert rc == 0, output[-3000:]
    assert fact['dry_run'] and fact['plan']['addresses'] == 3 and emu.stats()['writes'] == 0
    emu.reset_stats()
    rc, output, fact = _role(tmp_path, emu, apply_plan=plan, dry_run=False, remove_opt_outs=True)
    assert rc == 0, output[-3000:]
    assert fact['totals']['deleted'] == 3 and [d['gone'] for d in fact['drift']] == [[], []]
    summary = json.loads((tmp_path / 'summary.json').read_text())
    assert [int(summary[name]) for name in ('hosts', 'cleaned', 'deleted')] == [1, 1, 3], 'summed up for one host too'
    assert 'Cleanup finished' in output and 'blocks: 2 selected' in output
    assert emu.stats()['by_endpoint']['v3/suppression/blocks']['by_method'] == {'GET': 1, 'DELETE': 1}


def test_relative_plan_and_report_paths_are_beside_the_playbook_and_the_plan_is_told(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    rc, output, fact = _role(tmp_path, emu, cwd=str(elsewhere), lists=[{'list': 'blocks'}], start_date='2025-01-01',
                             plan_file='plans/plan.json', report_dir='reports')
    assert rc == 0, output[-3000:]
    plan = tmp_path / 'plans' / 'plan.json'
    assert fact['plan']['path'] == str(plan) and plan.exists() and fact['path'].startswith(str(tmp_path / 'reports'))
    assert 'plan: %s (2 addresses, digest %s); a real run applies it with suppression_cleanup_apply_plan' % (
        plan, fact['plan']['digest']) in output
    assert os.listdir(str(elsewhere)) == [], 'nothing where ansible-playbook was started'
    rc, output, fact = _role(tmp_path, emu, cwd=str(elsewhere), apply_plan='plans/plan.json', report_dir='reports',
                             dry_run=False)
    assert rc == 0 and fact['totals']['deleted'] == 2, output[-3000:]


def test_every_subusers_list_in_one_run(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, output, fact = _role(tmp_path, emu, lists=[{'list': 'spam_reports', 'subusers': {'username': 'tenant-'}}],
                             select_all=True, dry_run=False, remove_opt_outs=True)
    assert rc == 0, output[-3000:]
    assert [(entry['user'], entry['deleted']) for entry in fact['lists']] == [('tenant-42', 1)]


def test_an_edited_plan_is_refused_before_any_request(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    plan = tmp_path / 'plan.json'
    rc, output, dummy = _role(tmp_path, emu, lists=[{'list': 'blocks'}], select_all=True, plan_file=str(plan))
    document = json.loads(plan.read_text())
    document['lists'][0]['addresses'].append('left@example.com')
    plan.write_text(json.dumps(document))
    emu.reset_stats()
    rc, output, dummy = _role(tmp_path, emu, apply_plan=str(plan), dry_run=False)
    assert rc != 0 and 'the digest does not match the content' in output
    assert emu.stats()['total'] == 0
