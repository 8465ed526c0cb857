"""The action skeleton of the export and the import: bad arguments fail naming them before any step, and every kind
of failure of the step is a task result that names it, with what it leaves behind, never a traceback."""

import types

import pytest
from module_helpers import run_action

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import OptionError
from ansible_collections.mailops.sendgrid.plugins.module_utils.write_guard import WriteBlocked
from ansible_collections.mailops.sendgrid.plugins.plugin_utils.controller_step import ControllerStep


def _action(outcome):
    class ActionModule(ControllerStep):
        module_name = 'sendgrid_suppression_thing'
        aftermath = '; nothing was left half done'

        def argument_spec(self):
            return {'name': {'type': 'str', 'required': True}}

        def request(self, params):
            return types.SimpleNamespace(progress=None, params=params)

        def step(self, request):
            if isinstance(outcome, BaseException):
                raise outcome
            return dict(outcome, name=request.params['name'])

        def os_problem(self, exc):
            return 'cannot write: %s' % exc.strerror
    return types.SimpleNamespace(ActionModule=ActionModule)


@pytest.fixture(autouse=True)
def no_progress(monkeypatch):
    import contextlib
    from ansible_collections.mailops.sendgrid.plugins.plugin_utils import controller_step
    monkeypatch.setattr(controller_step, 'reporting', lambda progress, tell: contextlib.nullcontext())


def test_the_steps_result_is_the_tasks():
    assert run_action(_action({'changed': True}), {'name': 'x'})['name'] == 'x'


def test_an_unknown_option_fails_before_the_step():
    result = run_action(_action(AssertionError('the step ran')), {'name': 'x', 'nmae': 'y'})
    assert result['failed'] and 'nmae' in result['msg']


@pytest.mark.parametrize('error,expected', [
    (OptionError('days must be greater than 0'), 'days must be greater than 0'),
    (WriteBlocked('DELETE v3/suppression/blocks'), 'write blocked in check mode'),
    (SendGridError('the server failed', status=500), 'the server failed (HTTP 500); nothing was left half done'),
    (OSError(13, 'Permission denied'), 'cannot write: Permission denied'),
    (stopping.RunStopped('stopped by SIGINT'), 'the thing was stopped by SIGINT; nothing was left half done'),
])
def test_each_failure_is_a_result_that_names_it(error, expected):
    result = run_action(_action(error), {'name': 'x'})
    assert result['failed'] and not result['changed'] and expected in result['msg'], result
