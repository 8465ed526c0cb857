"""The role, whatever its variables: a real run (dry_run false), a reviewed plan applied, recover_only. Under
--check, and imported with check_mode: true, it sends no write; recover_only then only says which report it would
write, and writes none."""

import glob
import os
import subprocess
import sys

import pytest

from contract import ContractRuns, ContractTests, Runner, role_plays, write_fixture
from emulator.process import Emulator
from scenarios import ROLE_CUSTOMERS, ROLE_PLAN_LISTS, ROLE_SCENARIOS, records, role_scenario

SCENARIOS = ROLE_SCENARIOS
HERE = os.path.dirname(os.path.abspath(__file__))


def _set_up(runner, folder, emulator):
    """The plan the role applies (made by the role's dry run), and a killed run for recover_only to report."""
    plan = role_scenario('make the plan', select_all=True, lists=ROLE_PLAN_LISTS,
                         plan_file='{{ playbook_dir }}/role-plan.json', report_dir='{{ playbook_dir }}/reports-setup')
    rc, output, dummy_rows = runner.run('setup', role_plays([plan], 'v3'), verbose=False)
    assert rc == 0 and os.path.exists(os.path.join(folder, 'role-plan.json')), output[-3000:]
    emails = ['r-recover-gone@contract.example'] + [record['email'] for record in records('blocks', 'r-recover', 1)]
    subprocess.run([sys.executable, os.path.join(HERE, 'killed_run.py'), os.path.join(folder, 'reports-role-recover'),
                    emulator.url, 'r-recover'] + emails, check=False, timeout=60,
                   env=dict(os.environ, PYTHONPATH=os.environ['ANSIBLE_COLLECTIONS_PATH']))
    assert glob.glob(os.path.join(folder, 'reports-role-recover', '*.journal'))


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp('contract-role'))
    with Emulator('--data', write_fixture(os.path.join(folder, 'fixture.yml'), ROLE_CUSTOMERS)) as emulator:
        runner = Runner(folder, emulator)
        _set_up(runner, folder, emulator)
        yield ContractRuns(runner, SCENARIOS, lambda **how: role_plays(SCENARIOS, 'v3', **how), role=True,
                           observe=lambda label: sorted(glob.glob(os.path.join(folder, 'reports-role-recover',
                                                                               '*-interrupted.json'))))


class TestRole(ContractTests):

    def test_recover_only_in_check_mode_writes_no_report_and_says_which_it_would(self, runs):
        assert runs.observed['check'] == [] and runs.observed['task_check_mode'] == []
        assert len(runs.observed['real']) == 1, 'the real run writes the report of the killed run'
        told = runs.rows['check']['role recover_only']['result']['interrupted_runs']
        assert [entry['report']['json'] for entry in told] == runs.observed['real']
