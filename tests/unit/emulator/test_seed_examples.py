"""One test per request/response example of the five documents in shared/seeds."""

import pytest

from v2_helpers import as_xml_records, call, json_pairs, pairs, xml_tree

RESELLER = {'api_user': 'your_sendgrid_username', 'api_key': 'your_sendgrid_password'}
ACCOUNT = {'api_user': 'youremail@domain.com', 'api_key': 'secureSecret'}
APIKEY = {'api_user': 'apikey', 'api_key': 'your_sendgrid_api_key'}
DISTRIBUTOR = {'api_user': 'username', 'api_key': 'secureSecret'}

CUSTOMER_INVALID = pairs(
    {'email': 'example@example.com', 'reason': 'Mail domain mentioned in email address is unknown',
     'created': '2009-06-01 19:41:39'},
    {'email': 'isaac@hotmail', 'reason': 'Bad Syntax', 'created': '2009-06-01 19:41:39'},
    {'email': 'example@example.com', 'reason': 'Known bad domain', 'created': '2009-06-01 19:41:39'},
)
ACCOUNT_INVALID = pairs(
    {'reason': 'Known bad domain', 'created': '2011-06-06 16:11:57', 'email': 'test@example.com'},
    {'reason': 'Invalid address', 'created': '2012-08-17 11:04:38', 'email': 'brandon'},
)


def _bounce(email, created='2009-06-01 19:41:39'):
    return {'email': email, 'status': '5.1.1',
            'reason': 'host [127.0.0.1] said: 550 5.1.1 unknown or illegal user: %s' % email, 'created': created}


SUBUSER_BOUNCES = pairs(_bounce('emaieexampexample@example.com'), _bounce('emaileexampexample@example.com'))
CUSTOMER_BOUNCES = pairs(_bounce('email1@domain.com'), _bounce('email2@domain2.com'))
SUCCESS_XML = ('result', [('message', 'success')])


# ---- 000: reseller.manage method=invalidemails ------------------------------------------------------------
SEED_000_GET = dict(RESELLER, method='invalidemails', user='eexampexample@example.com', task='get', date='1')
SEED_000_DELETE = dict(RESELLER, method='invalidemails', user='eexampexample@example.com', task='delete',
                       email='invalidemail@example.com')
SEED_000_EXTRA = {'eexampexample@example.com': {'invalid_emails': [
    {'email': 'invalidemail@example.com', 'reason': 'Bad Syntax', 'created': '2010-01-01 00:00:00'}]}}


def test_000_get_json(seeds_emulator):
    resp = call(seeds_emulator, 'apiv2/reseller.manage', SEED_000_GET)
    assert resp.status_code == 200
    assert json_pairs(resp) == CUSTOMER_INVALID


def test_000_get_without_extension_is_json(seeds_emulator):
    # The document's URL has no .json/.xml suffix.
    resp = call(seeds_emulator, 'apiv2/reseller.manage', SEED_000_GET)
    assert resp.headers['Content-Type'].startswith('application/json')


def test_000_get_xml(seeds_emulator):
    resp = call(seeds_emulator, 'apiv2/reseller.manage.xml', SEED_000_GET)
    assert resp.status_code == 200
    assert xml_tree(resp) == as_xml_records('invalidemails', 'invalidemail', CUSTOMER_INVALID)


def test_000_delete_json(emulator_factory):
    emu = emulator_factory(extra=SEED_000_EXTRA)
    resp = call(emu, 'apiv2/reseller.manage.json', SEED_000_DELETE)
    assert (resp.status_code, json_pairs(resp)) == (200, [('message', 'success')])
    assert json_pairs(call(emu, 'apiv2/reseller.manage.json', SEED_000_GET)) == CUSTOMER_INVALID


def test_000_delete_xml(emulator_factory):
    emu = emulator_factory(extra=SEED_000_EXTRA)
    resp = call(emu, 'apiv2/reseller.manage.xml', SEED_000_DELETE)
    assert (resp.status_code, xml_tree(resp)) == (200, SUCCESS_XML)


# ---- 001: api/invalidemails.* with username/password ------------------------------------------------------
SEED_001_GET = dict(ACCOUNT, date='1')
SEED_001_DELETE = dict(ACCOUNT, email='emailToDelete@domain.com')
SEED_001_EXTRA = {'youremail@domain.com': {'invalid_emails': [
    {'email': 'emailToDelete@domain.com', 'reason': 'Bad Syntax', 'created': '2013-01-01 00:00:00'}]}}


def test_001_get_xml(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.get.xml', SEED_001_GET, method='GET')
    assert resp.status_code == 200
    assert resp.text.startswith('<?xml version="1.0"')
    assert xml_tree(resp) == as_xml_records('invalidemails', 'invalidemail', ACCOUNT_INVALID)


def test_001_get_json(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.get.json', SEED_001_GET, method='GET')
    assert (resp.status_code, json_pairs(resp)) == (200, ACCOUNT_INVALID)


def test_001_delete_json_success(emulator_factory):
    emu = emulator_factory(extra=SEED_001_EXTRA)
    resp = call(emu, 'api/invalidemails.delete.json', SEED_001_DELETE, method='GET')
    assert (resp.status_code, json_pairs(resp)) == (200, [('message', 'success')])


def test_001_delete_json_error(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.delete.json', SEED_001_DELETE, method='GET')
    assert resp.status_code == 400
    assert json_pairs(resp) == [('message', 'error'), ('errors', ['Email does not exist'])]


def test_001_delete_xml_success(emulator_factory):
    emu = emulator_factory(extra=SEED_001_EXTRA)
    resp = call(emu, 'api/invalidemails.delete.xml', SEED_001_DELETE, method='GET')
    assert (resp.status_code, xml_tree(resp)) == (200, SUCCESS_XML)


def test_001_delete_xml_error(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.delete.xml', SEED_001_DELETE, method='GET')
    assert resp.status_code == 400
    assert xml_tree(resp) == ('result', [('message', 'error'), ('errors', [('error', 'Email does not exist')])])


# ---- 002: the same with an API key, and invalidemails.count --------------------------------------------------
def test_002_get_json_with_api_key(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.get.json', dict(APIKEY, date='1'), method='GET')
    assert (resp.status_code, json_pairs(resp)) == (200, ACCOUNT_INVALID)


def test_002_get_xml_with_api_key(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.get.xml', dict(APIKEY, date='1'), method='GET')
    assert xml_tree(resp) == as_xml_records('invalidemails', 'invalidemail', ACCOUNT_INVALID)


def test_002_count_json(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.count.json', APIKEY, method='GET')
    assert (resp.status_code, json_pairs(resp)) == (200, [('count', 2)])


def test_002_count_xml(seeds_emulator):
    resp = call(seeds_emulator, 'api/invalidemails.count.xml', APIKEY, method='GET')
    assert (resp.status_code, xml_tree(resp)) == (200, ('result', [('count', '2')]))


@pytest.mark.parametrize('fmt', ['json', 'xml'])
def test_002_delete_post_with_api_key(emulator_factory, fmt):
    emu = emulator_factory(extra=SEED_001_EXTRA)
    resp = call(emu, 'api/invalidemails.delete.%s' % fmt, dict(APIKEY, email='emailToDelete@domain.com'))
    assert resp.status_code == 200
    body = json_pairs(resp) if fmt == 'json' else xml_tree(resp)
    assert body == ([('message', 'success')] if fmt == 'json' else SUCCESS_XML)
    count = call(emu, 'api/invalidemails.count.json', APIKEY).json()
    assert count == {'count': 2}


# ---- 003: reseller.subuserManage method=bounces ------------------------------------------------------------
SEED_003_GET = dict(RESELLER, method='bounces', user='example@example.com', task='get', date='1')
SEED_003_DELETE = dict(RESELLER, method='bounces', user='example@example.com', task='delete',
                       email='bounceexampexample@example.com')
SEED_003_EXTRA = {'example@example.com': {'bounces': [_bounce('bounceexampexample@example.com')]}}


def test_003_get_json(seeds_emulator):
    resp = call(seeds_emulator, 'apiv2/reseller.subuserManage.json', SEED_003_GET)
    assert (resp.status_code, json_pairs(resp)) == (200, SUBUSER_BOUNCES)


def test_003_get_xml(seeds_emulator):
    resp = call(seeds_emulator, 'apiv2/reseller.subuserManage.xml', SEED_003_GET)
    assert xml_tree(resp) == as_xml_records('bounces', 'bounce', SUBUSER_BOUNCES)


def test_003_delete_json(emulator_factory):
    emu = emulator_factory(extra=SEED_003_EXTRA)
    resp = call(emu, 'apiv2/reseller.subuserManage.json', SEED_003_DELETE)
    assert (resp.status_code, json_pairs(resp)) == (200, [('message', 'success')])
    assert json_pairs(call(emu, 'apiv2/reseller.subuserManage.json', SEED_003_GET)) == SUBUSER_BOUNCES


def test_003_delete_xml(emulator_factory):
    emu = emulator_factory(extra=SEED_003_EXTRA)
    resp = call(emu, 'apiv2/reseller.subuserManage.xml', SEED_003_DELETE)
    assert (resp.status_code, xml_tree(resp)) == (200, SUCCESS_XML)


def test_003_delete_without_email_deletes_all(emulator_factory):
    emu = emulator_factory()
    params = dict(SEED_003_DELETE)
    del params['email']
    resp = call(emu, 'apiv2/reseller.subuserManage.json', params)
    assert (resp.status_code, resp.json()) == (200, {'message': 'success'})
    assert call(emu, 'apiv2/reseller.subuserManage.json', SEED_003_GET).json() == []


# ---- 004: distributor.manage method=bounces -----------------------------------------------------------------
SEED_004_GET = dict(DISTRIBUTOR, method='bounces', user='customer@example.com', task='get', date='1')
SEED_004_DELETE = dict(DISTRIBUTOR, method='bounces', user='customer@example.com', task='delete',
                       email='bounce@example.com')
SEED_004_EXTRA = {'customer@example.com': {'bounces': [_bounce('bounce@example.com')]}}


def test_004_get_xml(seeds_emulator):
    resp = call(seeds_emulator, 'api/distributor.manage.xml', SEED_004_GET, method='GET')
    assert xml_tree(resp) == as_xml_records('bounces', 'bounce', CUSTOMER_BOUNCES)


def test_004_get_json(seeds_emulator):
    resp = call(seeds_emulator, 'api/distributor.manage.json', SEED_004_GET, method='GET')
    assert (resp.status_code, json_pairs(resp)) == (200, CUSTOMER_BOUNCES)


@pytest.mark.parametrize('fmt', ['json', 'xml'])
def test_004_delete_success(emulator_factory, fmt):
    emu = emulator_factory(extra=SEED_004_EXTRA)
    resp = call(emu, 'api/distributor.manage.%s' % fmt, SEED_004_DELETE, method='GET')
    assert resp.status_code == 200
    assert (json_pairs(resp) if fmt == 'json' else xml_tree(resp)) == (
        [('message', 'success')] if fmt == 'json' else SUCCESS_XML)


def test_004_delete_error_json(seeds_emulator):
    resp = call(seeds_emulator, 'api/distributor.manage.json', SEED_004_DELETE, method='GET')
    assert (resp.status_code, json_pairs(resp)) == (400, [('message', 'Email does not exist')])


def test_004_delete_error_xml(seeds_emulator):
    resp = call(seeds_emulator, 'api/distributor.manage.xml', SEED_004_DELETE, method='GET')
    assert (resp.status_code, xml_tree(resp)) == (400, ('result', [('message', 'Email does not exist')]))


def test_004_days_or_date_range(seeds_emulator):
    in_range = dict(SEED_004_GET, start_date='2009-06-01', end_date='2009-06-02')
    assert call(seeds_emulator, 'api/distributor.manage.json', in_range).json() == [dict(r) for r in CUSTOMER_BOUNCES]
    assert call(seeds_emulator, 'api/distributor.manage.json', dict(SEED_004_GET, days='30')).json() == []
