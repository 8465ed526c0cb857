"""options.py: one options object read from any plugin through get(name), every rule named, and unknown names
refused with the closest valid one."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import (
    DEFAULT_BATCH_SIZE, OptionError, Options, check_known, unknown_name_messages)


def _read(**values):
    return Options.read(dict(dict(api_key='SG.k'), **values).get)


def test_defaults():
    options = _read()
    assert (options.api_version, options.batch_size) == ('v3', DEFAULT_BATCH_SIZE)
    assert options.connection['api_url'] == 'https://api.sendgrid.com'
    assert (options.connection['timeout'], options.connection['max_retries'], options.connection['concurrency']) == \
        (30, 5, 8)


@pytest.mark.parametrize('values,message', [
    ({'api_version': 'v4'}, "api_version must be v3 or v2, got 'v4'"),
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
