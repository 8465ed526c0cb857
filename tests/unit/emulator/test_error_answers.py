"""Every refusal the emulator makes: the documented error shapes, a 4xx status, never a change."""

import pytest

from v2_helpers import call, xml_tree

RESELLER = {'api_user': 'your_sendgrid_username', 'api_key': 'your_sendgrid_password'}
ACCOUNT = {'api_user': 'youremail@domain.com', 'api_key': 'secureSecret'}
DISTRIBUTOR = {'api_user': 'username', 'api_key': 'secureSecret'}
CUSTOMER = dict(RESELLER, method='invalidemails', user='eexampexample@example.com')
SUBUSER = dict(RESELLER, method='bounces', user='example@example.com')
DIST = dict(DISTRIBUTOR, method='bounces', user='customer@example.com')

WRONG = {'error': {'code': 401, 'message': 'Permission denied, wrong credentials'}}


def _records_total(emu):
    return emu._json('/_emulator/health')['records']


@pytest.mark.parametrize('path,params', [
    ('api/invalidemails.get.json', {}),
    ('api/invalidemails.count.json', {}),
    ('api/invalidemails.delete.json', {'email': 'brandon'}),
    ('apiv2/reseller.manage.json', {'method': 'invalidemails', 'task': 'get', 'user': 'eexampexample@example.com'}),
    ('apiv2/reseller.subuserManage.json', {'method': 'bounces', 'task': 'delete', 'user': 'example@example.com'}),
    ('api/distributor.manage.json', {'method': 'bounces', 'task': 'delete', 'user': 'customer@example.com'}),
])
@pytest.mark.parametrize('creds', [
    {'api_user': 'youremail@domain.com', 'api_key': 'wrong'},
    {'api_user': 'apikey', 'api_key': 'SG.not-a-key'},
    {'api_user': 'nobody@example.com', 'api_key': 'secureSecret'},
    {},
], ids=['wrong-password', 'wrong-key', 'unknown-user', 'missing'])
def test_wrong_credentials_change_nothing(seeds_emulator, path, params, creds):
    before = _records_total(seeds_emulator)
    resp = call(seeds_emulator, path, dict(params, **creds))
    assert (resp.status_code, resp.json()) == (401, WRONG)
    assert _records_total(seeds_emulator) == before


def test_wrong_credentials_xml(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.get.xml', {'api_user': 'apikey', 'api_key': 'nope'})
    assert resp.status_code == 401
    assert xml_tree(resp) == ('result', [('error', [('code', '401'),
                                                    ('message', 'Permission denied, wrong credentials')])])


def test_api_key_of_one_account_is_not_a_password(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.get.json',
                {'api_user': 'youremail@domain.com', 'api_key': 'your_sendgrid_api_key'})
    assert resp.status_code == 401


@pytest.mark.parametrize('path,params,message', [
    ('apiv2/reseller.manage.json', dict(DISTRIBUTOR, method='invalidemails', task='get',
                                        user='eexampexample@example.com'),
     'Customer eexampexample@example.com is not registered under your account'),
    ('apiv2/reseller.manage.json', dict(RESELLER, method='invalidemails', task='delete',
                                        user='customer@example.com', email='email1@domain.com'),
     'Customer customer@example.com is not registered under your account'),
    ('apiv2/reseller.manage.json', dict(RESELLER, method='invalidemails', task='get', user='example@example.com'),
     'Customer example@example.com is not registered under your account'),
    ('apiv2/reseller.subuserManage.json', dict(DISTRIBUTOR, method='bounces', task='delete',
                                               user='example@example.com'),
     'Customer subuser example@example.com is not registered under your account'),
    ('apiv2/reseller.subuserManage.json', dict(RESELLER, method='bounces', task='get',
                                               user='eexampexample@example.com'),
     'Customer subuser eexampexample@example.com is not registered under your account'),
    ('api/distributor.manage.json', dict(RESELLER, method='bounces', task='delete', user='customer@example.com'),
     'Customer customer@example.com is not registered under your account'),
])
def test_users_outside_the_account_are_refused(seeds_emulator, path, params, message):
    before = _records_total(seeds_emulator)
    resp = call(seeds_emulator, path, params)
    assert (resp.status_code, resp.json()) == (403, {'message': 'error', 'errors': [message]})
    assert _records_total(seeds_emulator) == before


@pytest.mark.parametrize('path,params,message', [
    ('apiv2/reseller.manage.json', dict(CUSTOMER, method='bounces', task='get'),
     'method must be set to invalidemails'),
    ('apiv2/reseller.manage.json', dict(CUSTOMER, task='purge'), 'task must be set to get or delete'),
    ('apiv2/reseller.manage.json', dict(RESELLER, method='invalidemails', task='get'),
     'Missing required parameter: user'),
    ('apiv2/reseller.manage.json', dict(CUSTOMER, task='delete'), 'Missing required parameter: email'),
    ('apiv2/reseller.manage.json', dict(RESELLER, method='invalidemails', user='eexampexample@example.com'),
     'Missing required parameter: task'),
    ('apiv2/reseller.subuserManage.json', dict(SUBUSER, method='invalidemails', task='get'),
     'method must be set to bounces'),
    ('apiv2/reseller.subuserManage.json', dict(RESELLER, method='bounces', task='get'),
     'Missing required parameter: user'),
    ('api/distributor.manage.json', dict(DIST, task='list'), 'task must be set to get or delete'),
    ('api/distributor.manage.json', dict(DIST, task='get', days='0'), 'days must be an integer greater than 0'),
    ('api/distributor.manage.json', dict(DIST, task='get', days='-3'), 'days must be an integer greater than 0'),
    ('api/distributor.manage.json', dict(DIST, task='get', days='week'), 'days must be an integer greater than 0'),
    ('api/distributor.manage.json', dict(DIST, task='get', days='7', start_date='2009-01-01',
                                         end_date='2010-01-01'),
     'Use either days or start_date and end_date, not both'),
    ('api/distributor.manage.json', dict(DIST, task='get', start_date='2009-01-01'),
     'start_date and end_date must be given together'),
    ('api/invalidemails.get.json', dict(ACCOUNT, days='1.5'), 'days must be an integer greater than 0'),
    ('api/invalidemails.get.json', dict(ACCOUNT, start_date='2011/06/06'), 'start_date must be in YYYY-MM-DD format'),
    ('api/invalidemails.get.json', dict(ACCOUNT, end_date='2011-02-30'), 'end_date must be in YYYY-MM-DD format'),
    ('api/invalidemails.get.json', dict(ACCOUNT, start_date='2012-01-01', end_date='2011-01-01'),
     'start_date must be earlier than end_date'),
    ('api/invalidemails.get.json', dict(ACCOUNT, start_date='2012-01-01', end_date='2012-01-01'),
     'start_date must be earlier than end_date'),
    ('api/invalidemails.get.json', dict(ACCOUNT, days='3', start_date='2012-01-01'),
     'Use either days or start_date and end_date, not both'),
    ('api/invalidemails.get.json', dict(ACCOUNT, limit='-1'), 'limit must be an integer of 0 or more'),
    ('api/invalidemails.get.json', dict(ACCOUNT, offset='-5'), 'offset must be an integer of 0 or more'),
    ('api/invalidemails.get.json', dict(ACCOUNT, limit='ten'), 'limit must be an integer of 0 or more'),
    ('api/invalidemails.get.json', dict(ACCOUNT, date='yes'), 'date must be set to 1'),
    ('api/invalidemails.count.json', dict(ACCOUNT, start_date='yesterday'), 'start_date must be in YYYY-MM-DD format'),
    ('api/invalidemails.delete.json', dict(ACCOUNT), 'Missing required parameter: email'),
    ('api/invalidemails.delete.json', dict(ACCOUNT, email='nobody@example.com'), 'Email does not exist'),
    ('apiv2/reseller.manage.json', dict(CUSTOMER, task='delete', email='nobody@example.com'), 'Email does not exist'),
])
def test_parameter_errors(seeds_emulator, path, params, message):
    before = _records_total(seeds_emulator)
    resp = call(seeds_emulator, path, params)
    assert (resp.status_code, resp.json()) == (400, {'message': 'error', 'errors': [message]})
    assert _records_total(seeds_emulator) == before


@pytest.mark.parametrize('path', ['apiv2/reseller.subuserManage.json', 'api/distributor.manage.json'])
def test_bounce_delete_of_unlisted_email(seeds_emulator, path):
    params = dict(SUBUSER if 'subuser' in path else DIST, task='delete', email='nobody@example.com')
    resp = call(seeds_emulator, path, params)
    assert (resp.status_code, resp.json()) == (400, {'message': 'Email does not exist'})


def test_parameter_error_xml(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.get.xml', dict(ACCOUNT, days='0'))
    assert resp.status_code == 400
    assert xml_tree(resp) == ('result', [('message', 'error'),
                                         ('errors', [('error', 'days must be an integer greater than 0')])])


def test_unknown_endpoint(seeds_emulator):
    resp = call(seeds_emulator, 'api/spamreports.get.json', ACCOUNT)
    assert resp.status_code == 404
    assert resp.json()['message'] == 'error'


def test_other_http_methods_are_refused(seeds_emulator):
    import requests
    resp = requests.delete(seeds_emulator.url + '/api/invalidemails.delete.json', timeout=10)
    assert resp.status_code == 405
