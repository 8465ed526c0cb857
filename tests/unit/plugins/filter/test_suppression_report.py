"""The deprecated suppression_report filter: it still builds the report, a shape it cannot read is a filter error,
and a play that uses it is warned of the removal in 3.0.0 (meta/runtime.yml plugin_routing)."""

import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.mailops.sendgrid.plugins.filter.suppression_report import FilterModule, suppression_report

pytestmark = pytest.mark.compat

SELECTION = [{'list': 'blocks', 'user': None, 'records': [
    {'email': 'a@example.com', 'status': '4.0.0', 'reason': 'outage', 'created': '2025-03-01 08:00:00'},
    {'email': 'b@example.com', 'status': '4.0.0', 'reason': '=cmd', 'created': '2025-03-02 08:00:00'}]}]
RESULTS = [{'index': 0, 'deleted': ['a@example.com'], 'missing': ['B@example.com'], 'failed_emails': []}]


def test_builds_the_counts_and_the_files():
    report = suppression_report(SELECTION, RESULTS, dry_run=False, started=1, finished=3)
    assert report['totals']['deleted'] == 1 and report['totals']['already_gone'] == 1
    records = json.loads(report['json'])['lists'][0]['records']
    assert [record['outcome'] for record in records] == ['deleted', 'already_gone']
    assert "'=cmd" in report['csv']


def test_a_dry_run_selects_only():
    report = suppression_report(SELECTION, dry_run=True, started=1, finished=2)
    assert report['totals']['selected'] == 2 and report['totals']['deleted'] == 0


def test_a_foreign_shape_is_a_filter_error():
    with pytest.raises(AnsibleFilterError, match='not shaped as the suppression_cleanup role makes them'):
        suppression_report([{'records': [{}]}], dry_run=False, started=0, finished=0)
    assert FilterModule().filters() == {'suppression_report': suppression_report}


def test_a_play_using_it_is_warned_of_the_removal(tmp_path):
    playbook = tmp_path / 'play.yml'
    playbook.write_text(
        "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
        "    - ansible.builtin.debug:\n"
        "        msg: \"{{ [{'list': 'blocks', 'user': none, 'records': []}]"
        " | mailops.sendgrid.suppression_report(started=0, finished=0) }}\"\n")
    env = dict(os.environ, ANSIBLE_DEPRECATION_WARNINGS='true', ANSIBLE_NOCOLOR='1')
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(playbook)],
                         capture_output=True, text=True, env=env, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    output = ' '.join((run.stdout + run.stderr).split())
    assert 'suppression_report' in output and 'deprecated' in output.lower() and '3.0.0' in output
