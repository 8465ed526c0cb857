"""The contract covers the collection as it is, not as it was when the suite was written: every module of the action
group in meta/runtime.yml, each with a scenario for every option that writes the most that its documentation
declares, and the role with a real run, a plan applied and recover_only. A module added to the action group, or a
destructive option added to a module, fails here until scenarios.py has a scenario for it."""

import os

import pytest
import yaml

from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import get_docstring

from contract import ROOT
from scenarios import ROLE_SCENARIOS, V2_SCENARIOS, V3_SCENARIOS

# The options that make a task write the most, and the values that do: each a module documents needs a scenario
# that sets it so (for `state`, one for each of its choices).
DESTRUCTIVE = {
    'delete_all': (True,),
    'remove_opt_outs': (True,),
    'force': (True,),
    'select_all': (True,),
    'signed': (True,),
    'create_groups': (True,),
    'spam_reports_as': ('unsubscribes',),
    'apply_plan': None,             # any plan
    'subusers': None,               # any selection of subusers: one task writes for each
    'state': 'choices',
}
ROLE_DESTRUCTIVE = {'suppression_cleanup_dry_run': False, 'suppression_cleanup_apply_plan': None,
                    'suppression_cleanup_recover_only': True}


def _action_group():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)['action_groups']['sendgrid']


def _options(module):
    doc = get_docstring(os.path.join(ROOT, 'plugins', 'modules', '%s.py' % module), fragment_loader,
                        collection_name='mailops.sendgrid')[0]
    return doc['options']


def _wanted(module):
    """(option, value, default) of what the module's scenarios must set; value None means any."""
    wanted = []
    for option, spec in sorted(_options(module).items()):
        values = DESTRUCTIVE.get(option, ())
        if values == 'choices':
            values = tuple(spec.get('choices') or ())
        default = spec.get('default')
        wanted += [(option, value, default) for value in values or ()]
        wanted += [(option, None, default)] if values is None else []
    return wanted


def _sets(scenario, option, value, default):
    """Whether the scenario's task runs with `option` at `value` (any, when None), given or by default."""
    given = scenario.args.get(option, default)
    return given is not None and (value is None or given == value)


@pytest.mark.parametrize('module', _action_group())
def test_every_module_of_the_action_group_has_a_scenario_for_each_option_that_writes(module):
    mine = [scenario for scenario in V3_SCENARIOS if scenario.module == 'mailops.sendgrid.%s' % module]
    assert mine, 'no contract scenario for %s: add one to tests/contracts/scenarios.py' % module
    missing = [(option, value) for option, value, default in _wanted(module)
               if not any(_sets(scenario, option, value, default) for scenario in mine)]
    assert missing == [], '%s has no scenario setting %s' % (module, missing)


def test_every_scenario_is_a_module_of_the_action_group():
    known = {'mailops.sendgrid.%s' % module for module in _action_group()}
    assert {scenario.module for scenario in V3_SCENARIOS + V2_SCENARIOS} <= known


def test_the_role_has_a_real_run_a_plan_applied_and_recover_only():
    for variable, value in ROLE_DESTRUCTIVE.items():
        assert any(variable in scenario.args and (value is None or scenario.args[variable] == value)
                   for scenario in ROLE_SCENARIOS), variable


def test_scenario_names_are_unique():
    names = [scenario.name for scenario in V3_SCENARIOS + V2_SCENARIOS + ROLE_SCENARIOS]
    assert sorted(set(names)) == sorted(names)
