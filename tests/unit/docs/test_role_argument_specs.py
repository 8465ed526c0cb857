"""The role's meta/argument_specs.yml is static text Ansible reads; the module's argument spec is the one home of
the cleanup's options (cleanup_arguments.py). This holds the two equal: each option of the module is a role
variable `suppression_cleanup_<option>` of the same type and default (the role's dry_run defaults to a dry run),
and the role has no variable the module does not take, apart from its own `user`."""

import os

import yaml

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_arguments import argument_spec

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PREFIX = 'suppression_cleanup_'
# What the role sets itself, and what it has that the module does not.
SET_BY_THE_ROLE = {'report_name', 'option_prefix'}
ROLE_ONLY = {'user': 'str'}
# Defaults that differ on purpose: the role keeps its reports beside the playbook, and makes a dry run unless told.
ROLE_DEFAULTS = {'report_dir': '{{ playbook_dir }}/suppression_cleanup_reports', 'dry_run': True}


def _role_options():
    path = os.path.join(ROOT, 'roles', 'suppression_cleanup', 'meta', 'argument_specs.yml')
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)['argument_specs']['main']['options']


def test_every_module_option_is_a_role_variable_of_the_same_type_and_default():
    role = _role_options()
    for name, spec in argument_spec().items():
        if name in SET_BY_THE_ROLE:
            continue
        variable = role.get(PREFIX + name)
        assert variable is not None, 'the role has no variable %s%s' % (PREFIX, name)
        assert variable.get('type', 'str') == spec.get('type', 'str'), name
        assert variable.get('default') == ROLE_DEFAULTS.get(name, spec.get('default')), name
        if 'choices' in variable:
            assert variable['choices'] == spec['choices'], name


def test_the_role_has_no_variable_the_module_does_not_take():
    module = set(argument_spec()) - SET_BY_THE_ROLE
    role = {name[len(PREFIX):]: spec.get('type', 'str') for name, spec in _role_options().items()}
    assert set(role) - module == set(ROLE_ONLY)
    assert {name: role[name] for name in ROLE_ONLY} == ROLE_ONLY
