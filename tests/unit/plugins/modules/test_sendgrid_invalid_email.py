"""mailops.sendgrid.sendgrid_invalid_email against a real emulator."""

import os

import pytest
from module_helpers import run_module
from emulator.process import FIXTURES

KEY = 'SG.demo-key'


@pytest.fixture
def emu(emulator_factory):
    return emulator_factory(data=os.path.join(FIXTURES, 'demo.yml'))


def invalid_email(emu, tmp_path, **args):
    check_mode = args.pop('check_mode', False)
    diff = args.pop('diff', False)
    env = args.pop('env', None)
    args.setdefault('api_url', emu.url)
    args.setdefault('api_key', KEY)
    return run_module('sendgrid_invalid_email', args, tmp_path, check_mode=check_mode, diff=diff, env=env)


@pytest.mark.compat
def test_delete_one_then_nothing_to_do(emu, tmp_path):
    rc, result = invalid_email(emu, tmp_path, email='BRANDON')
    assert rc == 0 and result['changed'] is True
    assert result['deleted'] == ['brandon'] and result['missing'] == []
    assert result['records'] == [{'email': 'brandon', 'reason': 'Invalid address', 'created': '2012-08-17 11:04:38'}]
    emu.reset_stats()
    rc, again = invalid_email(emu, tmp_path, email='BRANDON')
    assert rc == 0 and again['changed'] is False and again['missing'] == ['BRANDON']
    assert emu.stats()['writes'] == 0


def test_delete_many_lists_once(emu, tmp_path):
    emu.reset_stats()
    rc, result = invalid_email(emu, tmp_path, emails=['test@example.com', 'isaac@hotmail', 'typo@gmial.com',
                                                      'never@listed.org'], concurrency=3)
    assert rc == 0 and result['changed']
    assert sorted(result['deleted']) == ['isaac@hotmail', 'test@example.com', 'typo@gmial.com']
    assert result['missing'] == ['never@listed.org']
    assert result['counts'] == {'matched': 3, 'deleted': 3, 'missing': 1, 'failed': 0}
    stats = emu.stats()
    assert stats['by_endpoint']['api/invalidemails.get']['total'] == 1
    assert stats['writes'] == 3


@pytest.mark.compat
def test_check_mode_makes_no_write_and_predicts_the_run(emu, tmp_path):
    emu.reset_stats()
    rc, predicted = invalid_email(emu, tmp_path, emails=['brandon', 'nobody@x.org'], check_mode=True, diff=True)
    assert rc == 0 and emu.stats()['writes'] == 0
    rc, real = invalid_email(emu, tmp_path, emails=['brandon', 'nobody@x.org'], diff=True)
    for key in ('changed', 'deleted', 'missing', 'records', 'counts', 'diff'):
        assert predicted[key] == real[key], key


@pytest.mark.compat
def test_diff_shows_sorted_addresses_before_and_after(emu, tmp_path):
    rc, result = invalid_email(emu, tmp_path, emails=['typo@gmial.com', 'old.customer@example.org'], diff=True)
    assert rc == 0
    assert result['diff']['before']['emails'] == ['Old.Customer@Example.org', 'typo@gmial.com']
    assert result['diff']['after']['emails'] == []
    rc, plain = invalid_email(emu, tmp_path, email='brandon')
    assert 'diff' not in plain


def test_present_passes_when_listed_and_fails_naming_the_missing(emu, tmp_path):
    rc, result = invalid_email(emu, tmp_path, emails=['brandon', 'Test@Example.com'], state='present')
    assert rc == 0 and result['changed'] is False
    rc, result = invalid_email(emu, tmp_path, emails=['brandon', 'ghost@example.com'], state='present')
    assert rc == 1 and result['failed'] is True
    assert result['msg'] == '1 address(es) not listed in invalid_emails: ghost@example.com'
    assert result['missing'] == ['ghost@example.com']


def test_delete_all_removes_every_listed_address(emu, tmp_path):
    rc, result = invalid_email(emu, tmp_path, delete_all=True)
    assert rc == 0 and len(result['deleted']) == 5
    emu.reset_stats()
    rc, again = invalid_email(emu, tmp_path, delete_all=True)
    assert rc == 0 and again['changed'] is False and emu.stats()['writes'] == 0


def test_customer_list_with_user(emu, tmp_path):
    rc, result = invalid_email(emu, tmp_path, user='customer@example.com', email='isaac@hotmail',
                               api_user='reseller@example.com', api_key='s3cret')
    assert rc == 0 and result['list'] == 'customer_invalid_emails' and result['deleted'] == ['isaac@hotmail']
    assert result['user'] == 'customer@example.com'


def test_customer_not_under_the_account(emu, tmp_path):
    rc, result = invalid_email(emu, tmp_path, user='someone-elses-customer@example.com', email='not-yours@example.com')
    assert rc == 1
    assert result['msg'] == ('customer_invalid_emails, user someone-elses-customer@example.com: Customer '
                             'someone-elses-customer@example.com is not registered under your account '
                             '(HTTP 403, apiv2/reseller.manage)')
    assert result['status'] == 403


@pytest.mark.compat
def test_wrong_credentials_never_show_the_key(emu, tmp_path):
    rc, result = invalid_email(emu, tmp_path, email='brandon', api_key='SG.wrong-secret-key')
    assert rc == 1
    assert 'Permission denied, wrong credentials (HTTP 401' in result['msg']
    assert 'SG.wrong-secret-key' not in repr(result)


@pytest.mark.compat
def test_environment_fallbacks(emu, tmp_path):
    env = {'SENDGRID_API_KEY': 's3cret', 'SENDGRID_API_USER': 'reseller@example.com', 'SENDGRID_API_URL': emu.url}
    rc, result = run_module('sendgrid_invalid_email', {'email': 'brandon'}, tmp_path, env=env)
    assert rc == 0 and result['deleted'] == ['brandon']
    assert 's3cret' not in repr(result)


@pytest.mark.parametrize('args,message', [
    pytest.param({'email': 'a', 'emails': ['b']}, 'parameters are mutually exclusive: email|emails',
                 marks=pytest.mark.compat),
    ({'email': 'a', 'delete_all': True}, 'delete_all cannot be combined with email or emails'),
    ({'emails': ['a'], 'delete_all': True}, 'delete_all cannot be combined with email or emails'),
    pytest.param({}, 'one of the following is required: email, emails, delete_all', marks=pytest.mark.compat),
    ({'email': ''}, "email must be a non-empty string, got ''"),
    ({'email': '  '}, "email must be a non-empty string, got '  '"),
    ({'emails': ['a', '']}, r"emails[1] must be a non-empty string, got ''"),
    ({'email': 'a', 'timeout': 'nan'}, 'timeout must be greater than 0 and at most 3600 seconds, got nan'),
    ({'email': 'a', 'ca_path': '/nonexistent/ca.pem'},
     "ca_path must be an existing file (or directory) of PEM certificate authorities, got '/nonexistent/ca.pem'"),
    ({'delete_all': True, 'state': 'present'}, 'delete_all requires state=absent'),
    pytest.param({'email': 'a', 'state': 'gone'}, 'value of state must be one of: absent, present, got: gone',
                 marks=pytest.mark.compat),
    ({'email': 'a', 'timeout': 0}, 'timeout must be greater than 0 and at most 3600 seconds, got 0.0'),
    ({'email': 'a', 'max_retries': -1}, 'max_retries must be an integer from 0 to 20, got -1'),
    ({'email': 'a', 'concurrency': 0}, 'concurrency must be an integer from 1 to 64, got 0'),
    pytest.param({'email': 'a', 'concurrency': 'many'}, "argument 'concurrency' is of type", marks=pytest.mark.compat),
    ({'email': 'a', 'api_url': 'api.sendgrid.com'}, 'api_url must be an http:// or https:// URL'),
    pytest.param({'email': 'a', 'unknown': 1}, 'Unsupported parameters for', marks=pytest.mark.compat),
])
def test_bad_input_fails_before_any_request(emu, tmp_path, args, message):
    emu.reset_stats()
    rc, result = invalid_email(emu, tmp_path, **args)
    assert rc == 1 and message in result['msg']
    assert emu.stats()['total'] == 0


@pytest.mark.compat
def test_missing_api_key(emu, tmp_path):
    rc, result = run_module('sendgrid_invalid_email', {'email': 'a', 'api_url': emu.url}, tmp_path)
    assert rc == 1 and result['msg'].startswith('api_key is not set: give the option api_key, or set the environment '
                                                'variable SENDGRID_API_KEY')
