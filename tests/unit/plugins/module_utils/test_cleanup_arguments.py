"""cleanup_arguments.py: the one argument spec the module and its action read, the same options its DOCUMENTATION
has (ansible-test's validate-modules holds their types equal; this holds the names)."""

import yaml

from ansible_collections.mailops.sendgrid.plugins.module_utils.catalogue import list_names
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_arguments import argument_spec
from ansible_collections.mailops.sendgrid.plugins.modules import sendgrid_suppression_cleanup


def test_the_spec_and_the_documentation_name_the_same_options():
    documented = set(yaml.safe_load(sendgrid_suppression_cleanup.DOCUMENTATION)['options'])
    fragments = {'api_key', 'api_user', 'api_url', 'api_version', 'region', 'timeout', 'validate_certs', 'ca_path',
                 'max_retries', 'concurrency', 'batch_size', 'remove_opt_outs'}
    assert set(argument_spec()) == documented | fragments


def test_every_catalogue_list_is_a_choice_and_user_and_subusers_exclude_each_other():
    lists = argument_spec()['lists']
    assert lists['options']['list']['choices'] == list_names()
    assert lists['mutually_exclusive'] == [('user', 'subusers')]
    assert argument_spec()['option_prefix'] == {'type': 'str', 'default': ''}
