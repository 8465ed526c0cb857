"""options.py: one options object read from any plugin through get(name), every rule named, and unknown names
refused with the closest valid one."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.constants import DEFAULT_BATCH_SIZE
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import OptionError, SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import (
    Options, check_known, connection_argument_spec, unknown_name_messages)


def _read(**values):
    return Options.read(dict(dict(api_key='SG.k'), **values).get)


def test_defaults():
    options = _read()
    assert (options.api_version, options.batch_size) == ('v3', DEFAULT_BATCH_SIZE)
    assert options.connection['api_url'] == 'https://api.sendgrid.com'
    assert (options.connection['timeout'], options.connection['max_retries'], options.connection['concurrency']) == \
        (30, 5, 8)


def test_an_absent_option_is_never_asked_for_and_reads_as_unset():
    values = dict(api_key='SG.k', region='eu')

    def get_option(name):            # as a plugin's get_option: a name it does not document raises
        if name in ('batch_size', 'concurrency'):
            raise KeyError(name)
        return values.get(name)
    options = Options.read(get_option, absent=('batch_size', 'concurrency', 'region'))
    assert options.batch_size == DEFAULT_BATCH_SIZE and options.connection['concurrency'] == 8
    assert options.connection['api_url'] == 'https://api.sendgrid.com'      # region absent: not the EU URL


@pytest.mark.parametrize('values,message', [
    ({'api_version': 'v4'}, "api_version must be v3 or v2, got 'v4'"),
    ({'region': 'us'}, "region must be global or eu, got 'us'"),
    ({'batch_size': 0}, 'batch_size must be an integer from 1 to 1000, got 0'),
    ({'batch_size': True}, 'batch_size must be an integer from 1 to 1000, got True'),
    ({'timeout': float('nan')}, 'timeout must be greater than 0 and at most 3600 seconds, got nan'),
    ({'timeout': float('inf')}, 'timeout must be greater than 0 and at most 3600 seconds, got inf'),
    ({'timeout': 0}, 'timeout must be greater than 0'),
    ({'max_retries': 2.5}, 'max_retries must be an integer from 0 to 20'),
    ({'concurrency': 65}, 'concurrency must be an integer from 1 to 64'),
    ({'ca_path': '/nonexistent/ca.pem'}, 'ca_path must be an existing file'),
    ({'api_key': ' '}, 'api_key must not be empty or blank'),
    ({'api_url': 'ftp://x'}, 'api_url must be an http:// or https:// URL'),
])
def test_every_rule_names_the_option(values, message):
    with pytest.raises(SendGridError, match=message.replace('(', r'\(').replace(')', r'\)')):
        _read(**values)


def test_a_missing_key_names_every_place_a_key_is_read_from():
    with pytest.raises(SendGridError) as raised:
        Options.read({}.get)
    assert str(raised.value) == (
        'api_key is not set: give the option api_key, or set the environment variable SENDGRID_API_KEY; a lookup also '
        'reads the play variable sendgrid_api_key, and a module the api_key of module_defaults for the action group '
        'group/mailops.sendgrid.sendgrid')
    # Not required in the spec, where Ansible's own message would say none of it.
    assert 'required' not in connection_argument_spec()['api_key']


def test_a_missing_key_is_named_as_the_caller_spells_it():
    with pytest.raises(SendGridError, match='^suppression_cleanup_api_key is not set: set the variable '
                                            'suppression_cleanup_api_key, or the environment variable '
                                            'SENDGRID_API_KEY$'):
        Options.read({}.get, prefix='suppression_cleanup_')


def test_an_existing_ca_path_is_kept(tmp_path):
    path = tmp_path / 'ca.pem'
    path.write_text('not checked here')
    assert _read(ca_path=str(path)).connection['ca_path'] == str(path)


def test_unknown_names_get_the_closest_valid_one():
    assert unknown_name_messages(['domain', 'days', 'zzz'], ['days', 'domains', 'status']) == [
        'unknown option domain: did you mean domains?', 'unknown option zzz: valid: days, domains, status']
    with pytest.raises(OptionError, match='unknown keyword stauts: did you mean status?'):
        check_known({'stauts': '5.'}, ['status'], 'keyword')
    check_known({'status': '5.'}, ['status'])


def test_region_picks_the_default_url_and_an_explicit_url_wins():
    assert _read(region='eu').connection['api_url'] == 'https://api.eu.sendgrid.com'
    assert _read(region='global').connection['api_url'] == 'https://api.sendgrid.com'
    assert _read(region='eu', api_url='http://127.0.0.1:9').connection['api_url'] == 'http://127.0.0.1:9'


@pytest.mark.parametrize('api_url,region,expected', [
    ('https://api.sendgrid.com', 'eu', 'https://api.eu.sendgrid.com'),
    ('https://api.eu.sendgrid.com', 'global', 'https://api.sendgrid.com'),
    ('https://api.sendgrid.com', 'global', 'https://api.sendgrid.com'),
    # An emulator or a proxy serves every region at its one URL.
    ('http://127.0.0.1:9', 'eu', 'http://127.0.0.1:9'),
])
def test_a_user_of_a_region_is_managed_through_its_url(api_url, region, expected):
    options = _read(api_url=api_url)
    regional = options.for_region(region)
    assert regional.connection['api_url'] == expected
    assert (regional.api_version, regional.batch_size, regional.connection['api_key']) == ('v3', 500, 'SG.k')
    assert (regional is options) == (expected == api_url)
