"""The emulator's bounce purge setting (tsg_mail_settings_v3.yaml) and bounce classifications
(tsg_suppressions_v3.yaml) in twilio/sendgrid-oai: the document's shapes and examples, a setting per user applied
when the bounces are read by the emulator's clock (5.x hard, 4.x soft), the totals and per-domain answers counted
from the records, the date range, the Accept rules and bad input."""

import datetime

import pytest
import requests
from emulator.process import Emulator

KEY = 'SG.settings-key'
AUTH = {'Authorization': 'Bearer %s' % KEY, 'Accept': 'application/json'}
TENANT = {'on-behalf-of': 'tenant-1'}


def _ago(days):
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)).strftime(
        '%Y-%m-%d %H:%M:%S')


def _bounce(email, status, reason, created):
    return {'email': email, 'status': status, 'reason': reason, 'created': created}


BOUNCES = [
    _bounce('old-hard@example.com', '5.1.1', '550 5.1.1 user unknown', _ago(40)),
    _bounce('new-hard@example.com', '5.1.1', '550 5.1.1 user unknown', _ago(2)),
    _bounce('old-soft@example.net', '4.2.2', '452 4.2.2 mailbox full', _ago(40)),
    _bounce('new-soft@example.net', '4.2.2', '452 4.2.2 mailbox full', _ago(2)),
]
DAY = [
    _bounce('a@gmail.example', '5.1.1', '550 5.1.1 The email account that you tried to reach does not exist',
            '2025-03-01 08:00:00'),
    _bounce('b@gmail.example', '5.1.1', '550 user unknown', '2025-03-01 09:00:00'),
    _bounce('c@corp.example', '5.7.1', '554 5.7.1 Service unavailable; client host blocked using a block list',
            '2025-03-01 10:00:00'),
    _bounce('d@corp.example', '4.7.0', '421 4.7.0 too many connections, try again later', '2025-03-02 10:00:00'),
    _bounce('e@mail.example', '5.0.0', '550 message content rejected', '2025-03-02 11:00:00'),
    _bounce('f@mail.example', '5.0.0', '550 unrouteable', '2025-03-03 11:00:00'),
    _bounce('g@GMAIL.example', '5.1.1', '550 user unknown', '2025-03-03 12:00:00'),
]


@pytest.fixture()
def emu(emulator_factory):
    data = {'accounts': [{'username': 'parent@example.com', 'api_keys': [KEY], 'bounces': BOUNCES + DAY,
                          'customers': [{'username': 'customer@example.com', 'subusers': [
                              {'username': 'tenant-1', 'bounces': BOUNCES}]}]}]}
    return emulator_factory(data=data)


def call(emu, method, path, headers=None, **kwargs):
    return requests.request(method, emu.url + '/v3/' + path, headers=dict(AUTH, **(headers or {})), timeout=30,
                            **kwargs)


def _emails(emu, headers=None):
    return sorted(r['email'] for r in call(emu, 'GET', 'suppression/bounces', headers).json())


def test_bounce_purge_defaults_patch_and_shape(emu):
    answer = call(emu, 'GET', 'mail_settings/bounce_purge')
    assert answer.status_code == 200 and answer.json() == {'enabled': False, 'soft_bounces': None,
                                                           'hard_bounces': None}
    changed = call(emu, 'PATCH', 'mail_settings/bounce_purge', json={'enabled': True, 'hard_bounces': 5})
    assert changed.status_code == 200
    assert changed.json() == {'enabled': True, 'soft_bounces': None, 'hard_bounces': 5}, 'unnamed fields stay'
    assert call(emu, 'GET', 'mail_settings/bounce_purge').json() == changed.json()
    assert call(emu, 'GET', 'mail_settings/bounce_purge', TENANT).json()['enabled'] is False, \
        "a parent's setting is not its subuser's"
    cleared = call(emu, 'PATCH', 'mail_settings/bounce_purge', json={'hard_bounces': None})
    assert cleared.json()['hard_bounces'] is None


@pytest.mark.parametrize('body, field', [({'enabled': 'yes'}, 'enabled'), ({'hard_bounces': '5'}, 'hard_bounces'),
                                         ({'soft_bounces': 1.5}, 'soft_bounces'), ({'purge': True}, 'purge')])
def test_bounce_purge_bad_bodies_are_refused(emu, body, field):
    answer = call(emu, 'PATCH', 'mail_settings/bounce_purge', json=body)
    assert answer.status_code == 400 and answer.json()['errors'][0]['field'] == field
    assert call(emu, 'GET', 'mail_settings/bounce_purge').json()['enabled'] is False


def test_the_purge_applies_when_the_list_is_read_by_age_and_kind(emu):
    every = sorted(b['email'] for b in BOUNCES)
    call(emu, 'PATCH', 'mail_settings/bounce_purge', TENANT, json={'enabled': False, 'hard_bounces': 30,
                                                                   'soft_bounces': 30})
    assert _emails(emu, TENANT) == every, 'disabled: nothing is purged'
    call(emu, 'PATCH', 'mail_settings/bounce_purge', TENANT, json={'enabled': True, 'soft_bounces': None})
    assert _emails(emu, TENANT) == ['new-hard@example.com', 'new-soft@example.net', 'old-soft@example.net'], \
        'hard bounces (5.x) older than 30 days are gone; soft ones (4.x) have no age set'
    call(emu, 'PATCH', 'mail_settings/bounce_purge', TENANT, json={'soft_bounces': 1})
    assert _emails(emu, TENANT) == ['new-hard@example.com']
    assert len(_emails(emu)) == len(BOUNCES + DAY), "the parent's own bounces are untouched"
    single = call(emu, 'GET', 'suppression/bounces/old-hard@example.com', TENANT)
    assert single.status_code == 200 and single.json() == []


def test_classification_totals_match_the_records(emu):
    answer = call(emu, 'GET', 'suppression/bounces/classifications',
                  params={'start_date': '2025-03-01', 'end_date': '2025-03-03'})
    assert answer.status_code == 200 and answer.headers['Content-Type'].startswith('application/json')
    assert answer.json() == {'result': [
        {'date': '2025-03-01', 'stats': [{'classification': 'Invalid Address', 'count': 2},
                                         {'classification': 'Reputation', 'count': 1}]},
        {'date': '2025-03-02', 'stats': [{'classification': 'Content', 'count': 1},
                                         {'classification': 'Frequency or Volume Too High', 'count': 1}]},
        {'date': '2025-03-03', 'stats': [{'classification': 'Invalid Address', 'count': 1},
                                         {'classification': 'Unclassified', 'count': 1}]}]}
    one_day = call(emu, 'GET', 'suppression/bounces/classifications',
                   params={'start_date': '2025-03-02', 'end_date': '2025-03-02'})
    assert [day['date'] for day in one_day.json()['result']] == ['2025-03-02'], 'the range is inclusive'
    tenant = call(emu, 'GET', 'suppression/bounces/classifications', TENANT).json()['result']
    assert sum(s['count'] for day in tenant for s in day['stats']) == len(BOUNCES), 'on behalf of a subuser'


def test_one_classification_by_domain_and_csv(emu):
    answer = call(emu, 'GET', 'suppression/bounces/classifications/Invalid Address',
                  params={'start_date': '2025-03-01', 'end_date': '2025-03-31'})
    assert answer.status_code == 200
    assert answer.json()['result'] == [
        {'date': '2025-03-01', 'stats': [{'domain': 'gmail.example', 'count': 2}]},
        {'date': '2025-03-03', 'stats': [{'domain': 'gmail.example', 'count': 1}]}]
    csv_answer = call(emu, 'GET', 'suppression/bounces/classifications', {'Accept': 'text/csv'},
                      params={'start_date': '2025-03-01', 'end_date': '2025-03-01'})
    assert csv_answer.headers['Content-Type'].startswith('text/csv')
    assert csv_answer.text.splitlines() == ['date,classification,count', '2025-03-01,Invalid Address,2',
                                            '2025-03-01,Reputation,1']


@pytest.mark.parametrize('path, headers, params, field', [
    ('suppression/bounces/classifications/Spam', {}, {}, 'classification'),
    ('suppression/bounces/classifications', {}, {'start_date': '03/01/2025'}, 'start_date'),
    ('suppression/bounces/classifications', {}, {'start_date': '2025-03-02', 'end_date': '2025-03-01'},
     'start_date'),
    ('suppression/bounces/classifications', {'Accept': 'text/html'}, {}, 'Accept'),
    ('suppression/bounces/classifications', {'Accept': ''}, {}, 'Accept'),
])
def test_classification_bad_input_is_refused(emu, path, headers, params, field):
    answer = call(emu, 'GET', path, headers, params=params)
    assert answer.status_code == 400 and answer.json()['errors'][0]['field'] == field, answer.text


def test_classifications_need_a_key(emu):
    answer = requests.get(emu.url + '/v3/suppression/bounces/classifications', timeout=30,
                          headers={'Accept': 'application/json'})
    assert answer.status_code == 401


def test_a_second_emulator_keeps_the_setting_in_its_database(tmp_path):
    database = str(tmp_path / 'emulator.db')
    data = tmp_path / 'data.json'
    data.write_text('{"accounts": [{"username": "p@example.com", "api_keys": ["%s"]}]}' % KEY)
    with Emulator('--data', str(data), '--db', database) as first:
        call(first, 'PATCH', 'mail_settings/bounce_purge', json={'enabled': True, 'hard_bounces': 7})
    with Emulator('--db', database) as second:
        assert call(second, 'GET', 'mail_settings/bounce_purge').json()['hard_bounces'] == 7
