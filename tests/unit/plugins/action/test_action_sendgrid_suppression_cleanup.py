"""The action plugin of sendgrid_suppression_cleanup, called as the task executor calls it: bad arguments and bad
settings fail before any request (nothing listens at the API URL), the query is compiled or refused, and a real
run's records go under the Ansible home when no report_dir is set. Whole runs are in
modules/test_sendgrid_suppression_cleanup.py."""

import os
from unittest.mock import MagicMock

import pytest
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task

from ansible_collections.mailops.sendgrid.plugins.action import sendgrid_suppression_cleanup as action
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import OptionError

pytestmark = pytest.mark.compat

NOWHERE = {'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9', 'api_version': 'v3'}


def _plugin(args, check_mode=False):
    task = Task()
    task.args = dict(NOWHERE, **args)
    task.check_mode = check_mode
    return action.ActionModule(task, MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)


def _run(args, check_mode=False):
    return _plugin(args, check_mode).run(task_vars={})


@pytest.mark.parametrize('args,message', [
    ({'lists': [{'list': 'blocks'}], 'days': 'many'}, "argument 'days' is of type"),
    ({'lists': [{'list': 'blockz'}], 'days': 3}, 'blockz'),
    ({'lists': [{'list': 'blocks'}]}, 'no selector is set'),
    ({'lists': [{'list': 'blocks'}], 'days': 3, 'plan_file': '/a', 'apply_plan': '/b'},
     'mutually exclusive: plan_file|apply_plan'),
    ({'lists': [{'list': 'blocks'}], 'query': '[?', 'days': 3}, 'query'),
])
def test_bad_input_fails_before_any_request(args, message):
    result = _run(args)
    assert result['failed'] and message in result['msg'], result
    assert 'SG.k' not in repr(result)


def test_a_query_is_compiled_once_or_named_when_it_is_not_jmespath():
    assert action._query(None) is None
    assert action._query("[?status == '5.1.1']").search([{'status': '5.1.1'}, {'status': '4'}]) == [{'status': '5.1.1'}]
    with pytest.raises(OptionError, match="query '\\[\\?' is not a valid JMESPath expression"):
        action._query('[?')


def test_a_real_run_without_report_dir_records_under_the_ansible_home(monkeypatch, tmp_path):
    monkeypatch.setenv('ANSIBLE_HOME', str(tmp_path))
    assert action.default_report_dir() == os.path.join(str(tmp_path), 'mailops.sendgrid', 'cleanup_reports')


@pytest.mark.parametrize('check_mode,dry_run,expected', [
    (False, False, False), (False, True, True), (True, False, True), (True, True, True)])
def test_dry_run_asks_for_one_outside_check_mode_and_never_turns_check_mode_off(check_mode, dry_run, expected):
    assert _plugin({}, check_mode)._dry_run({'dry_run': dry_run}) is expected


def test_a_blocked_write_fails_the_task_with_its_message(monkeypatch):
    from ansible_collections.mailops.sendgrid.plugins.module_utils.write_guard import WriteBlocked

    def blocked(request):
        assert request.dry_run, 'dry_run: true makes a dry run outside check mode'
        raise WriteBlocked('DELETE v3/suppression/blocks')
    monkeypatch.setattr(action.cleanup, 'run', blocked)
    result = _run({'lists': [{'list': 'blocks'}], 'days': 3, 'dry_run': True})
    assert result['failed'] and not result['changed']
    assert result['msg'].startswith('write blocked in check mode: DELETE v3/suppression/blocks changes data')


def test_relative_paths_are_relative_to_the_playbooks_folder():
    params = {'plan_file': 'plan.json', 'apply_plan': None, 'report_dir': '/srv/reports', 'days': 3}
    resolved = action._beside_the_playbook(params, {'playbook_dir': '/play'})
    assert resolved == {'plan_file': '/play/plan.json', 'apply_plan': None, 'report_dir': '/srv/reports', 'days': 3}
    assert action._beside_the_playbook({'apply_plan': 'p/plan.json'}, {'playbook_dir': '/play'}) == {
        'apply_plan': '/play/p/plan.json'}
    assert action._beside_the_playbook(params, {}) == params, 'no playbook: as given'
