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


class _Failed(Exception):
    pass


class _Module:
    """What run_service reads of an AnsibleModule."""

    def __init__(self, url, check_mode):
        self.params = {'api_key': 'SG.runner-key', 'api_url': url, 'api_version': 'v3'}
        self.check_mode = check_mode
        self._diff = False

    def fail_json(self, **result):
        raise _Failed(result)


def _deletes(client, dummy_options):
    client.call('DELETE', 'suppression/blocks', body={'emails': ['a@b.c']})
    return {'changed': True}


@pytest.mark.parametrize('check_mode,read_only', [(True, False), (False, True)])
def test_a_service_in_check_mode_or_read_only_fails_on_a_write_before_it_is_sent(canned, check_mode, read_only):
    from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_service
    server = canned(status=204)
    with pytest.raises(_Failed) as failed:
        run_service(_Module(server.url, check_mode), _deletes, read_only=read_only)
    assert failed.value.args[0]['msg'].startswith('write blocked in check mode: DELETE v3/suppression/blocks')
    assert server.hits == 0 and 'SG.runner-key' not in repr(failed.value.args[0])
    assert run_service(_Module(server.url, False), _deletes) == {'changed': True} and server.hits == 1
