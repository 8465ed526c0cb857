"""What a careless user types: booleans the role must read as its validation did, blank options that must not fall
back to a default, addresses listed twice with different case, look-alike Unicode letters, queries that match
nothing. In each case nothing is deleted that was not selected."""

import json
import os
import subprocess
import sys

import pytest
import yaml
from ansible.plugins.loader import lookup_loader
from module_helpers import run_module
from emulator.process import FIXTURES

KEY = 'SG.demo-key'
KELVIN = '\u212a'      # KELVIN SIGN: str.lower() makes it "k", SendGrid does not
ACCOUNT_RECORDS = {'invalid_emails': [
    {'email': 'kate@x.test', 'reason': 'Bad Syntax', 'created': '2024-01-01 00:00:00'},
    {'email': 'Shared@x.test', 'reason': 'Bad Syntax', 'created': '2024-01-02 00:00:00'},
    {'email': 'shared@x.test', 'reason': 'Known bad domain', 'created': '2024-01-03 00:00:00'},
    {'email': 'solo@x.test', 'reason': 'Bad Syntax', 'created': '2024-01-04 00:00:00'},
]}
SUBUSER_RECORDS = {'bounces': [
    {'email': 'Kate@x.test', 'status': '5.1.1', 'reason': 'hard', 'created': '2024-02-01 00:00:00'},
    {'email': 'kate@x.test', 'status': '4.2.2', 'reason': 'soft', 'created': '2024-02-02 00:00:00'},
    {'email': 'gone@x.test', 'status': '5.1.1', 'reason': 'hard', 'created': '2024-02-03 00:00:00'},
]}


@pytest.fixture
def emulator(emulator_factory):
    return emulator_factory(data=os.path.join(FIXTURES, 'demo.yml'), extra={'reseller@example.com': ACCOUNT_RECORDS, 'subuser@example.com': SUBUSER_RECORDS})


def _listed(emu, term, user=None):
    return sorted(r['email'] for r in lookup_loader.get('mailops.sendgrid.suppressions').run(
        [term], variables={}, api_key=KEY, api_url=emu.url, user=user))


def _role(emu, tmp_path, **role_vars):
    """(rc, output, report) of one run of the role; the report is None when the run wrote none."""
    reports = tmp_path / ('reports-%d' % len(list(tmp_path.iterdir())))
    variables = {'suppression_cleanup_lists': [{'list': 'invalid_emails'}], 'suppression_cleanup_api_url': emu.url,
                 'suppression_cleanup_api_key': KEY, 'suppression_cleanup_report_dir': str(reports)}
    variables.update(role_vars)
    playbook = tmp_path / 'role.yml'
    playbook.write_text(yaml.safe_dump([{'hosts': 'localhost', 'gather_facts': False, 'roles': [
        {'role': 'mailops.sendgrid.suppression_cleanup', 'vars': variables}]}]))
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(playbook)],
                          capture_output=True, text=True, timeout=300, check=False,
                          env=dict(os.environ, ANSIBLE_NOCOLOR='1'))
    found = sorted(reports.glob('*.json')) if reports.exists() else []
    return proc.returncode, proc.stdout + proc.stderr, json.loads(found[-1].read_text()) if found else None


@pytest.mark.slow
@pytest.mark.parametrize('dry_run', ['y', 't', ' true', pytest.param('yes', marks=pytest.mark.compat), 'on', 1, 'TRUE'])
def test_the_role_reads_any_true_spelling_or_nothing_as_a_dry_run(emulator, tmp_path, dry_run):
    rc, output, report = _role(emulator, tmp_path, suppression_cleanup_select_all=True,
                               suppression_cleanup_dry_run=dry_run)
    assert rc == 0, output[-2000:]
    assert emulator.stats()['writes'] == 0
    assert report['dry_run'] is True and report['totals']['deleted'] == 0
    assert 'DRY RUN - nothing was deleted' in output


@pytest.mark.slow
@pytest.mark.parametrize('spelling', ['n', 'f', ' false', pytest.param('no', marks=pytest.mark.compat), 'off', 0])
def test_the_role_reads_any_false_spelling_as_a_real_run(emulator, tmp_path, spelling):
    rc, output, report = _role(emulator, tmp_path, suppression_cleanup_emails=['solo@x.test'],
                               suppression_cleanup_dry_run=spelling, suppression_cleanup_select_all='n')
    assert rc == 0, output[-2000:]
    assert report['dry_run'] is False and report['totals']['deleted'] == 1
    assert 'solo@x.test' not in _listed(emulator, 'invalid_emails')


@pytest.mark.slow
def test_select_all_spelled_y_selects_all(emulator, tmp_path):
    rc, output, report = _role(emulator, tmp_path, suppression_cleanup_select_all='y')
    assert rc == 0, output[-2000:]
    assert report['select_all'] is True and report['totals']['selected'] == 9


@pytest.mark.slow
def test_the_role_holds_back_an_address_whose_other_records_are_not_selected(emulator, tmp_path):
    lists = [{'list': 'invalid_emails'}, {'list': 'subuser_bounces', 'user': 'subuser@example.com'}]
    # "Bad Syntax" selects Shared@x.test but not shared@x.test; 5.x selects Kate@x.test but not kate@x.test.
    rc, output, report = _role(emulator, tmp_path, suppression_cleanup_lists=lists, suppression_cleanup_dry_run=False,
                               suppression_cleanup_reason='^(Bad Syntax|hard)$', suppression_cleanup_status=None,
                               suppression_cleanup_domains=['x.test'])
    assert rc == 0, output[-2000:]
    assert report['totals']['held_back'] == 2
    by_list = {entry['list']: entry for entry in report['lists']}
    assert by_list['invalid_emails']['held_back_addresses'] == ['Shared@x.test']
    assert by_list['subuser_bounces']['held_back_addresses'] == ['Kate@x.test']
    held = [r for entry in report['lists'] for r in entry['records'] if r['outcome'] == 'held_back']
    assert sorted(r['email'] for r in held) == ['Kate@x.test', 'Shared@x.test']
    assert all('1 other record(s) of this address that were not selected' in r['error'] for r in held)
    assert 'held back 2 selected record(s)' in output and 'Shared@x.test' in output
    # Deleted: only addresses whose every record was selected.
    assert [e for e in _listed(emulator, 'invalid_emails') if e.endswith('x.test')] == [
        'Shared@x.test', 'shared@x.test']
    assert [e for e in _listed(emulator, 'subuser_bounces', 'subuser@example.com') if e.endswith('x.test')] == [
        'Kate@x.test', 'kate@x.test']


@pytest.mark.slow
def test_the_role_deletes_a_shared_address_once_every_record_of_it_is_selected(emulator, tmp_path):
    rc, output, report = _role(emulator, tmp_path, suppression_cleanup_emails=['SHARED@x.test'],
                               suppression_cleanup_dry_run=False)
    assert rc == 0, output[-2000:]
    assert report['totals'] == {'selected': 2, 'held_back': 0, 'deleted': 2, 'already_gone': 0, 'failed': 0, 'not_deleted': 0, 'not_attempted': 0,
                                'unknown': 0, 'left_alone': 0}
    assert 'shared@x.test' not in [e.lower() for e in _listed(emulator, 'invalid_emails')]


@pytest.mark.slow
def test_a_guard_counts_only_what_would_be_deleted(emulator, tmp_path):
    rc, output, report = _role(emulator, tmp_path, suppression_cleanup_reason='^Bad Syntax$',
                               suppression_cleanup_domains=['x.test'], suppression_cleanup_dry_run=False,
                               suppression_cleanup_max_delete=2)
    assert rc == 0, 'Shared@x.test is held back, so 2 are selected, at the guard: %s' % output[-2000:]
    assert report['totals']['selected'] == 2 and report['totals']['held_back'] == 1


def test_a_look_alike_letter_never_matches_an_ascii_address(emulator, tmp_path):
    look_alike = KELVIN + 'ate@x.test'
    rc, result = run_module('sendgrid_invalid_email', {'api_key': KEY, 'api_url': emulator.url,
                                                       'email': look_alike}, tmp_path)
    assert rc == 0 and result['changed'] is False and result['missing'] == [look_alike]
    rc, result = run_module('sendgrid_invalid_email', {'api_key': KEY, 'api_url': emulator.url,
                                                       'email': look_alike, 'state': 'present'}, tmp_path)
    assert rc == 1 and 'not listed' in result['msg']
    assert lookup_loader.get('mailops.sendgrid.suppressions').run(
        ['invalid_emails'], variables={}, api_key=KEY, api_url=emulator.url, emails=[look_alike]) == []
    assert lookup_loader.get('mailops.sendgrid.suppressions').run(
        ['invalid_emails'], variables={}, api_key=KEY, api_url=emulator.url, email=look_alike) == []
    assert emulator.stats()['writes'] == 0
    assert 'kate@x.test' in _listed(emulator, 'invalid_emails')


@pytest.mark.slow
@pytest.mark.parametrize('query', ["[?reason=='nothing'] | [0]", 'missing_field', "[?reason=='Bad Syntax'] | [5]"])
def test_a_query_that_yields_null_selects_nothing(emulator, tmp_path, query):
    assert lookup_loader.get('mailops.sendgrid.suppressions').run(
        ['invalid_emails'], variables={}, api_key=KEY, api_url=emulator.url, query=query) == []
    rc, output, report = _role(emulator, tmp_path, suppression_cleanup_query=query, suppression_cleanup_dry_run=False)
    assert rc == 0, output[-2000:]
    assert report['totals']['selected'] == 0 and emulator.stats()['writes'] == 0


def test_email_beside_an_explicit_delete_all_false_works(emulator, tmp_path):
    rc, result = run_module('sendgrid_invalid_email', {'api_key': KEY, 'api_url': emulator.url, 'email': 'solo@x.test',
                                                       'delete_all': False}, tmp_path)
    assert rc == 0 and result['deleted'] == ['solo@x.test']


def test_an_empty_api_url_never_falls_back_to_the_environment(emulator, tmp_path):
    env = {'SENDGRID_API_URL': emulator.url}
    rc, result = run_module('sendgrid_invalid_email', {'api_key': KEY, 'api_url': '', 'email': 'solo@x.test'},
                            tmp_path, env=env)
    assert rc == 1 and 'api_url must not be empty or blank' in result['msg']
    rc, result = run_module('sendgrid_invalid_email', {'api_key': KEY, 'email': 'solo@x.test', 'user': ''},
                            tmp_path, env=env)
    assert rc == 1 and 'user must not be empty or blank' in result['msg']
    assert emulator.stats()['writes'] == 0
    assert 'solo@x.test' in _listed(emulator, 'invalid_emails')
