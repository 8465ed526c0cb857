"""module_runner.py: the argument spec every module shares matches the documented options, and the key is
no_log."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.doc_fragments.sendgrid import ModuleDocFragment
from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import suppression_argument_spec
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import connection_argument_spec

import yaml


def test_the_connection_spec_is_the_documented_one():
    documented = dict(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options'],
                      **yaml.safe_load(ModuleDocFragment.CONCURRENCY)['options'],
                      **yaml.safe_load(ModuleDocFragment.BATCH_SIZE)['options'])
    spec = connection_argument_spec()
    assert sorted(spec) == sorted(documented)
    for name, option in spec.items():
        assert option['type'] == documented[name]['type'], name
        assert option.get('default') == documented[name].get('default'), name
        assert option.get('required', False) == documented[name].get('required', False), name


def test_the_key_is_never_logged():
    assert connection_argument_spec()['api_key']['no_log'] is True


@pytest.mark.parametrize('name', ['email', 'emails', 'state'])
def test_the_email_options_are_the_documented_ones(name):
    documented = yaml.safe_load(ModuleDocFragment.SUPPRESSION)['options']
    assert suppression_argument_spec()[name]['type'] == documented[name]['type']
