"""Filters, paging, case-insensitive matching and `created` only with date=1."""

import datetime

from v2_helpers import call

ACCOUNT = {'api_user': 'youremail@domain.com', 'api_key': 'secureSecret'}
RESELLER = {'api_user': 'your_sendgrid_username', 'api_key': 'your_sendgrid_password'}


def _days_ago(n):
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=n)).strftime('%Y-%m-%d %H:%M:%S')


def _dated(emulator_factory):
    records = [{'email': 'e%d@example.com' % n, 'reason': 'Bad Syntax', 'created': _days_ago(n)} for n in range(10)]
    return emulator_factory(extra={'youremail@domain.com': {'invalid_emails': records}})


def test_created_only_with_date_1(seeds_emulator):
    body = call(seeds_emulator, 'api/invalidemails.get.json', ACCOUNT).json()
    assert body == [{'reason': 'Known bad domain', 'email': 'test@example.com'},
                    {'reason': 'Invalid address', 'email': 'brandon'}]
    assert list(body[0]) == ['reason', 'email']
    bounces = call(seeds_emulator, 'apiv2/reseller.subuserManage.json',
                   dict(RESELLER, method='bounces', task='get', user='example@example.com')).json()
    assert all(list(b) == ['email', 'status', 'reason'] for b in bounces)


def test_days_includes_today(emulator_factory):
    emu = _dated(emulator_factory)
    emails = [r['email'] for r in call(emu, 'api/invalidemails.get.json', dict(ACCOUNT, days='1')).json()]
    assert emails == ['e0@example.com']
    emails = [r['email'] for r in call(emu, 'api/invalidemails.get.json', dict(ACCOUNT, days='3')).json()]
    assert emails == ['e2@example.com', 'e1@example.com', 'e0@example.com'], 'oldest first'


def test_date_range_is_inclusive(emulator_factory):
    emu = _dated(emulator_factory)
    start, end = _days_ago(4)[:10], _days_ago(2)[:10]
    params = dict(ACCOUNT, start_date=start, end_date=end)
    emails = [r['email'] for r in call(emu, 'api/invalidemails.get.json', params).json()]
    assert emails == ['e4@example.com', 'e3@example.com', 'e2@example.com']
    assert call(emu, 'api/invalidemails.count.json', params).json() == {'count': 3}
    only_start = dict(ACCOUNT, start_date='2012-01-01')
    assert call(emu, 'api/invalidemails.count.json', only_start).json() == {'count': 11}


def test_limit_and_offset_page_in_order(emulator_factory):
    emu = _dated(emulator_factory)
    pages = [call(emu, 'api/invalidemails.get.json', dict(ACCOUNT, limit='5', offset=str(o))).json()
             for o in (0, 5, 10, 15)]
    assert [len(p) for p in pages] == [5, 5, 2, 0]
    everything = call(emu, 'api/invalidemails.get.json', ACCOUNT).json()
    assert [r for p in pages for r in p] == everything
    assert call(emu, 'api/invalidemails.get.json', dict(ACCOUNT, limit='0')).json() == []


def test_email_filter_and_delete_are_case_insensitive(emulator_factory):
    emu = emulator_factory()
    found = call(emu, 'api/invalidemails.get.json', dict(ACCOUNT, email='TEST@Example.COM')).json()
    assert found == [{'reason': 'Known bad domain', 'email': 'test@example.com'}]
    assert call(emu, 'api/invalidemails.delete.json', dict(ACCOUNT, email='BRANDON')).json() == {'message': 'success'}
    assert call(emu, 'api/invalidemails.count.json', ACCOUNT).json() == {'count': 1}


def test_delete_removes_every_duplicate(emulator_factory):
    emu = emulator_factory()
    customer = dict(RESELLER, method='invalidemails', user='eexampexample@example.com')
    resp = call(emu, 'apiv2/reseller.manage.json', dict(customer, task='delete', email='example@example.com'))
    assert resp.json() == {'message': 'success'}
    assert call(emu, 'apiv2/reseller.manage.json', dict(customer, task='get')).json() == [
        {'email': 'isaac@hotmail', 'reason': 'Bad Syntax'}]


def test_reseller_reaches_subuser_of_its_customer_only(seeds_emulator):
    ok = call(seeds_emulator, 'apiv2/reseller.subuserManage.json',
              dict(RESELLER, method='bounces', task='get', user='EXAMPLE@example.com'))
    assert ok.status_code == 200 and len(ok.json()) == 2


def test_xml_escapes_special_characters(emulator_factory):
    import xml.etree.ElementTree as ET
    emu = emulator_factory(extra={'youremail@domain.com': {'invalid_emails': [
        {'email': 'a&b<c>@example.com', 'reason': '"quoted" & <tagged>', 'created': '2020-01-01 00:00:00'}]}})
    resp = call(emu, 'api/invalidemails.get.xml', dict(ACCOUNT, email='a&b<c>@example.com'))
    root = ET.fromstring(resp.content)
    assert root.find('invalidemail/email').text == 'a&b<c>@example.com'
    assert root.find('invalidemail/reason').text == '"quoted" & <tagged>'
