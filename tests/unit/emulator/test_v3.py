"""The emulator's Web API v3 suppression endpoints, checked against SendGrid's OpenAPI document
(twilio/sendgrid-oai spec/yaml/tsg_suppressions_v3.yaml): one test per operation, status, headers and the body's
shape field by field; errors; on-behalf-of; paging; the email filter; rate limits; v2 and v3 on the same records."""

import os
import tempfile
import time

import pytest
import requests
from emulator.process import FIXTURES, Emulator

KEY = 'SG.demo-key'
AUTH = {'Authorization': 'Bearer %s' % KEY}
SUBUSER = {'on-behalf-of': 'subuser@example.com'}
CUSTOMER = {'on-behalf-of': 'customer@example.com'}
CUSTOMER_BY_ID = {'on-behalf-of': 'account-id 1234567'}
DEMO = os.path.join(FIXTURES, 'demo.yml')
RATE_HEADERS = ('X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset')


def v3(emu, method, path, json=None, headers=None, params=None, auth=True):
    return requests.request(method, emu.url + '/v3/' + path, json=json, params=params, timeout=30,
                            headers=dict(AUTH if auth else {}, **(headers or {})))


def assert_rate_headers(response):
    for name in RATE_HEADERS:
        assert response.headers[name].isdigit(), name
    assert int(response.headers['X-RateLimit-Reset']) > 10 ** 9, 'a unix time'


def assert_error(response, status, message=None, field=None):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {'errors'} and len(body['errors']) == 1
    assert set(body['errors'][0]) == {'field', 'message'}
    if message:
        assert message in body['errors'][0]['message']
    assert body['errors'][0]['field'] == field
    assert_rate_headers(response) if status != 404 or 'no such endpoint' not in (message or '') else None


@pytest.fixture(scope='module')
def emu():
    """The demo fixture, read-only: tests that change data start their own emulator."""
    with Emulator('--data', DEMO) as emulator:
        yield emulator


@pytest.fixture
def fresh(emulator_factory):
    return emulator_factory(data=DEMO)


# ---- the four suppression lists: GET list -----------------------------------------------------------------
@pytest.mark.parametrize('list_name,headers,fields,first', [
    ('invalid_emails', {}, ['created', 'email', 'reason'],
     {'created': 1307376717, 'email': 'test@example.com', 'reason': 'Known bad domain'}),
    ('bounces', {}, ['created', 'email', 'reason', 'status'],
     {'created': 1717236000, 'email': 'bounced@example.com', 'reason': '550 5.1.1 user unknown', 'status': '5.1.1'}),
    ('blocks', {}, ['created', 'email', 'reason', 'status'],
     {'created': 1740816000, 'email': 'blocked@example.net', 'reason': 'unable to resolve MX record: servfail',
      'status': '4.0.0'}),
    ('spam_reports', {}, ['created', 'email', 'ip'],
     {'created': 1739188800, 'email': 'complainer@example.com', 'ip': '10.63.202.100'}),
    ('bounces', SUBUSER, ['created', 'email', 'reason', 'status'],
     {'created': 1714989600, 'email': 'gone@example.net',
      'reason': 'host [127.0.0.1] said: 550 5.1.1 unknown or illegal user: gone@example.net', 'status': '5.1.1'}),
])
def test_get_a_list(emu, list_name, headers, fields, first):
    response = v3(emu, 'GET', 'suppression/' + list_name, headers=headers)
    assert response.status_code == 200
    assert response.headers['Content-Type'].startswith('application/json')
    assert_rate_headers(response)
    records = response.json()
    assert isinstance(records, list) and records
    assert all(list(record) == fields for record in records)
    assert all(isinstance(record['created'], int) for record in records)
    assert records[0] == first


def test_get_a_list_for_a_customer_by_name_or_account_id(emu):
    by_name = v3(emu, 'GET', 'suppression/invalid_emails', headers=CUSTOMER).json()
    by_id = v3(emu, 'GET', 'suppression/invalid_emails', headers=CUSTOMER_BY_ID).json()
    assert by_name == by_id and [r['email'] for r in by_name] == ['example@example.com', 'isaac@hotmail']


def test_a_list_filtered_by_time_is_inclusive(emu):
    # blocks: 1740816000 (2025-03-01 08:00:00) and 1740907800 (2025-03-02 09:30:00)
    records = v3(emu, 'GET', 'suppression/blocks', params={'start_time': 1740816000, 'end_time': 1740907800}).json()
    assert [r['email'] for r in records] == ['blocked@example.net', 'outage@example.org']
    records = v3(emu, 'GET', 'suppression/blocks', params={'start_time': 1740816001}).json()
    assert [r['email'] for r in records] == ['outage@example.org']
    records = v3(emu, 'GET', 'suppression/blocks', params={'end_time': 1740816000}).json()
    assert [r['email'] for r in records] == ['blocked@example.net']


@pytest.mark.parametrize('params,field,message', [
    ({'limit': 0}, 'limit', 'limit must be an integer from 1 to 500'),
    ({'limit': 501}, 'limit', 'limit must be an integer from 1 to 500'),
    ({'limit': 'ten'}, 'limit', 'limit must be an integer from 1 to 500'),
    ({'offset': -1}, 'offset', 'offset must be an integer'),
    ({'start_time': 'yesterday'}, 'start_time', 'start_time must be an integer'),
    ({'end_time': 10 ** 20}, 'end_time', 'end_time must be an integer'),
    ({'start_time': 200, 'end_time': 100}, 'start_time', 'start_time must not be later than end_time'),
])
def test_a_bad_list_parameter_is_a_400_naming_it(emu, params, field, message):
    assert_error(v3(emu, 'GET', 'suppression/bounces', params=params), 400, message, field)


# ---- GET and DELETE one address -----------------------------------------------------------------------------
def test_get_one_address_answers_an_array_of_zero_or_one(emu):
    found = v3(emu, 'GET', 'suppression/spam_reports/COMPLAINER@example.com')
    assert found.status_code == 200 and found.json() == [
        {'created': 1739188800, 'email': 'complainer@example.com', 'ip': '10.63.202.100'}]
    assert_rate_headers(found)
    missing = v3(emu, 'GET', 'suppression/spam_reports/nobody@example.com')
    assert missing.status_code == 200 and missing.json() == []


@pytest.mark.parametrize('list_name,email', [
    ('invalid_emails', 'brandon'), ('bounces', 'bounced@example.com'), ('blocks', 'blocked@example.net'),
    ('spam_reports', 'complainer@example.com')])
def test_delete_one_address_then_404(fresh, list_name, email):
    deleted = v3(fresh, 'DELETE', 'suppression/%s/%s' % (list_name, email))
    assert deleted.status_code == 204 and deleted.content == b''
    assert_rate_headers(deleted)
    assert v3(fresh, 'GET', 'suppression/%s/%s' % (list_name, email)).json() == []
    assert_error(v3(fresh, 'DELETE', 'suppression/%s/%s' % (list_name, email)), 404, 'email not found', 'email')


# ---- bulk DELETE ------------------------------------------------------------------------------------------
def test_delete_many_removes_every_record_of_each_address(fresh):
    before = [r['email'] for r in v3(fresh, 'GET', 'suppression/invalid_emails').json()]
    response = v3(fresh, 'DELETE', 'suppression/invalid_emails',
                  json={'emails': ['BRANDON', 'isaac@hotmail', 'never-listed@example.com']})
    assert response.status_code == 204 and response.content == b''
    after = [r['email'] for r in v3(fresh, 'GET', 'suppression/invalid_emails').json()]
    assert after == [e for e in before if e not in ('brandon', 'isaac@hotmail')]
    assert fresh.stats()['writes'] == 1


def test_delete_all_empties_only_that_list_of_that_user(fresh):
    assert v3(fresh, 'DELETE', 'suppression/bounces', json={'delete_all': True}, headers=SUBUSER).status_code == 204
    assert v3(fresh, 'GET', 'suppression/bounces', headers=SUBUSER).json() == []
    assert len(v3(fresh, 'GET', 'suppression/bounces').json()) == 1, "the account's own bounces stay"
    assert len(v3(fresh, 'GET', 'suppression/bounces', headers=CUSTOMER).json()) == 2


@pytest.mark.parametrize('body,field,message', [
    ({'emails': ['a@x.test'], 'delete_all': True}, 'delete_all', 'delete_all and emails cannot be used together'),
    ({}, 'emails', 'emails must be a non-empty array'),
    ({'emails': []}, 'emails', 'emails must be a non-empty array'),
    ({'emails': 'a@x.test'}, 'emails', 'emails must be a non-empty array'),
    ({'emails': [5]}, 'emails', 'emails must be a non-empty array'),
    ({'delete_all': 'yes'}, 'delete_all', 'delete_all must be true or false'),
    ({'delete_all': False}, 'emails', 'emails must be a non-empty array'),
])
def test_a_bad_bulk_delete_is_a_400_and_deletes_nothing(fresh, body, field, message):
    before = v3(fresh, 'GET', 'suppression/blocks').json()
    assert_error(v3(fresh, 'DELETE', 'suppression/blocks', json=body), 400, message, field)
    assert v3(fresh, 'GET', 'suppression/blocks').json() == before


def test_a_bulk_delete_without_a_json_body_is_a_400(emu):
    response = requests.delete(emu.url + '/v3/suppression/blocks', data='emails=a', headers=AUTH, timeout=30)
    assert_error(response, 400, 'the request body must be a JSON object')


# ---- global unsubscribes ------------------------------------------------------------------------------------
def test_get_global_unsubscribes(emu):
    response = v3(emu, 'GET', 'suppression/unsubscribes')
    assert response.status_code == 200 and response.json() == [{'created': 1735063200, 'email': 'left@example.com'}]
    assert_rate_headers(response)


def test_add_check_and_delete_a_global_unsubscribe(fresh):
    added = v3(fresh, 'POST', 'asm/suppressions/global', json={'recipient_emails': ['new@x.test', 'LEFT@example.com']})
    assert added.status_code == 201 and added.json() == {'recipient_emails': ['new@x.test', 'LEFT@example.com']}
    assert_rate_headers(added)
    listed = [r['email'] for r in v3(fresh, 'GET', 'suppression/unsubscribes').json()]
    assert listed == ['left@example.com', 'new@x.test'], 'an address already listed is not added twice'
    found = v3(fresh, 'GET', 'asm/suppressions/global/NEW@x.test')
    assert found.status_code == 200 and found.json() == {'recipient_email': 'new@x.test'}
    deleted = v3(fresh, 'DELETE', 'asm/suppressions/global/new@x.test')
    assert deleted.status_code == 204 and deleted.content == b''
    assert v3(fresh, 'GET', 'asm/suppressions/global/new@x.test').json() == {}
    again = v3(fresh, 'DELETE', 'asm/suppressions/global/new@x.test')
    assert again.status_code == 204, 'deleting an unlisted global unsubscribe answers 204 (sendgrid/docs#6194)'


def test_adding_without_recipient_emails_is_a_400(emu):
    assert_error(v3(emu, 'POST', 'asm/suppressions/global', json={'emails': ['a']}), 400,
                 'recipient_emails is required', 'recipient_emails')


# ---- groups -----------------------------------------------------------------------------------------------
def test_get_groups(emu):
    response = v3(emu, 'GET', 'asm/groups')
    assert response.status_code == 200
    assert_rate_headers(response)
    assert response.json() == [
        {'id': 101, 'name': 'Newsletters', 'description': 'Our monthly newsletter', 'is_default': True,
         'unsubscribes': 2, 'last_email_sent_at': None},
        {'id': 102, 'name': 'Product news', 'description': 'Launches and updates', 'is_default': False,
         'unsubscribes': 0, 'last_email_sent_at': None}]
    assert [g['id'] for g in v3(emu, 'GET', 'asm/groups', params={'id': 102}).json()] == [102]
    assert v3(emu, 'GET', 'asm/groups/101').json()['name'] == 'Newsletters'
    assert [(g['id'], g['name']) for g in v3(emu, 'GET', 'asm/groups', headers=SUBUSER).json()] == [
        (201, 'Newsletters')], 'a subuser has groups of its own'
    assert v3(emu, 'GET', 'asm/groups/201').status_code == 404, "the account does not see its subuser's groups"


def test_get_a_group_s_suppressions_as_a_plain_array(emu):
    response = v3(emu, 'GET', 'asm/groups/101/suppressions')
    assert response.status_code == 200 and response.json() == ['reader@example.com', 'former@example.com']
    assert_error(v3(emu, 'GET', 'asm/groups/999/suppressions'), 404, 'group 999 not found', 'group_id')


def test_add_search_and_delete_group_suppressions(fresh):
    added = v3(fresh, 'POST', 'asm/groups/102/suppressions', json={'recipient_emails': ['a@x.test', 'b@x.test']})
    assert added.status_code == 201 and added.json() == {'recipient_emails': ['a@x.test', 'b@x.test']}
    found = v3(fresh, 'POST', 'asm/groups/102/suppressions/search',
               json={'recipient_emails': ['B@x.test', 'c@x.test']})
    assert found.status_code == 200 and found.json() == ['b@x.test']
    deleted = v3(fresh, 'DELETE', 'asm/groups/102/suppressions/a@x.test')
    assert deleted.status_code == 204 and deleted.content == b''
    assert v3(fresh, 'GET', 'asm/groups/102/suppressions').json() == ['b@x.test']
    assert v3(fresh, 'DELETE', 'asm/groups/102/suppressions/a@x.test').status_code == 204
    writes = fresh.stats()['writes']
    assert writes == 3, 'POST adds and DELETEs are writes, a search is not'


def test_adding_to_a_group_that_does_not_exist_lands_on_the_global_list(fresh):
    response = v3(fresh, 'POST', 'asm/groups/999/suppressions', json={'recipient_emails': ['lost@x.test']})
    assert response.status_code == 201
    assert v3(fresh, 'GET', 'asm/suppressions/global/lost@x.test').json() == {'recipient_email': 'lost@x.test'}


def test_get_every_group_suppression(emu):
    response = v3(emu, 'GET', 'asm/suppressions')
    assert response.status_code == 200
    records = response.json()
    assert [(r['email'], r['group_id'], r['group_name']) for r in records] == [
        ('reader@example.com', 101, 'Newsletters'), ('former@example.com', 101, 'Newsletters')]
    assert all(list(r) == ['email', 'group_id', 'group_name', 'created_at'] and isinstance(r['created_at'], int)
               for r in records)


# ---- who may ask ------------------------------------------------------------------------------------------
@pytest.mark.parametrize('headers', [{}, {'Authorization': 'Bearer SG.wrong'}, {'Authorization': 'SG.demo-key'},
                                     {'Authorization': 'Basic cmVzZWxsZXI6czNjcmV0'}])
def test_missing_or_wrong_key_is_a_401(emu, headers):
    response = requests.get(emu.url + '/v3/suppression/bounces', headers=headers, timeout=30)
    assert_error(response, 401, 'authorization required')
    assert response.json() == {'errors': [{'field': None, 'message': 'authorization required'}]}


@pytest.mark.parametrize('behalf', ['someone-elses-subuser@example.com', 'someone-elses-customer@example.com',
                                    'other@example.com', 'reseller@example.com', 'nobody@example.com',
                                    'account-id 999'])
def test_on_behalf_of_anyone_outside_the_account_is_a_403(emu, behalf):
    for method, path in (('GET', 'suppression/bounces'), ('DELETE', 'suppression/bounces/not-yours@example.com'),
                         ('POST', 'asm/suppressions/global')):
        response = v3(emu, method, path, headers={'on-behalf-of': behalf}, json={'recipient_emails': ['x@y.z']})
        assert_error(response, 403, 'is not a customer or subuser of your account', 'on-behalf-of')


def test_another_account_never_reaches_our_subusers(emu):
    """other@example.com has no key in the demo fixture; one is added for this test."""
    with open(DEMO, encoding='utf-8') as demo:
        data = demo.read().replace('    password: other-pass\n', '    password: other-pass\n    api_keys: [SG.other-key]\n')
    with tempfile.NamedTemporaryFile('w', suffix='.yml', delete=False) as handle:
        handle.write(data)
    with Emulator('--data', handle.name) as other:
        headers = {'Authorization': 'Bearer SG.other-key', 'on-behalf-of': 'subuser@example.com'}
        response = requests.get(other.url + '/v3/suppression/bounces', headers=headers, timeout=30)
        assert_error(response, 403, 'is not a customer or subuser of your account', 'on-behalf-of')
        own = requests.get(other.url + '/v3/suppression/bounces', timeout=30, headers={
            'Authorization': 'Bearer SG.other-key', 'on-behalf-of': 'someone-elses-subuser@example.com'})
        assert [r['email'] for r in own.json()] == ['not-yours@example.com']
    os.unlink(handle.name)


def test_a_client_that_refuses_json_is_a_406(emu):
    assert_error(v3(emu, 'GET', 'suppression/bounces', headers={'Accept': 'text/html'}), 406,
                 'Accept must allow application/json', 'Accept')
    assert v3(emu, 'GET', 'suppression/bounces', headers={'Accept': '*/*'}).status_code == 200


def test_an_unknown_v3_path_is_a_404_in_the_v3_shape(emu):
    response = v3(emu, 'GET', 'suppression/nothing_here')
    assert response.status_code == 404 and response.json()['errors'][0]['message'].startswith('no such endpoint')


# ---- paging and the email filter ------------------------------------------------------------------------------
@pytest.fixture(scope='module')
def big():
    with Emulator('--data', DEMO, '--generate', '1200', '--seed', '3') as emulator:
        yield emulator


def test_paging_over_1200_records_is_stable_and_complete(big):
    whole, offset = [], 0
    while True:
        page = v3(big, 'GET', 'suppression/blocks', params={'limit': 500, 'offset': offset}).json()
        whole.extend(page)
        if len(page) < 500:
            break
        offset += 500
    assert len(whole) == 1202 and offset == 1000
    assert len({(r['email'], r['created']) for r in whole}) == len(whole), 'no record twice'
    assert [r['created'] for r in whole] == sorted(r['created'] for r in whole), 'oldest first'
    default_page = v3(big, 'GET', 'suppression/blocks').json()
    assert default_page == whole[:500], 'limit defaults to 500'
    assert v3(big, 'GET', 'suppression/blocks', params={'limit': 7, 'offset': 600}).json() == whole[600:607]


def test_the_email_filter_is_a_prefix_with_a_percent_wildcard(big):
    def emails(pattern, list_name='invalid_emails'):
        return [r['email'] for r in v3(big, 'GET', 'suppression/' + list_name, params={'email': pattern}).json()]
    assert emails('brandon') == ['brandon']
    assert emails('BRAND') == ['brandon']
    assert emails('isaac') == ['isaac@hotmail']
    assert sorted(emails('%hotmail')) == sorted(['isaac@hotmail'] + ['user%d@hotmail' % i for i in range(9, 1200, 10)])
    assert sorted(emails('user1%@hotmail')) == sorted(
        'user%d@hotmail' % i for i in range(9, 1200, 10) if str(i).startswith('1'))
    assert emails('user_') == [], '_ is a letter, not a wildcard'
    assert emails('nobody') == []


# ---- rate limits --------------------------------------------------------------------------------------------
def test_rate_limit_headers_count_down_and_429_past_the_limit():
    with Emulator('--data', DEMO, '--rate-limit', '5') as limited:
        # Start at the beginning of a one-second window, so the five requests share it.
        time.sleep(1 - time.time() % 1 + 0.05)
        answers = [v3(limited, 'GET', 'suppression/blocks') for dummy in range(7)]
    statuses = [a.status_code for a in answers]
    remaining = [int(a.headers['X-RateLimit-Remaining']) for a in answers]
    assert statuses[:5] == [200] * 5 and 429 in statuses[5:]
    assert remaining[:5] == [4, 3, 2, 1, 0]
    assert all(a.headers['X-RateLimit-Limit'] == '5' for a in answers)
    limited_answer = answers[statuses.index(429)]
    assert limited_answer.json() == {'errors': [{'field': None, 'message': 'too many requests'}]}
    assert 'Retry-After' not in limited_answer.headers
    assert int(limited_answer.headers['X-RateLimit-Reset']) >= int(time.time()) - 1


# ---- one store, two API versions ----------------------------------------------------------------------------
def test_a_record_deleted_through_v3_is_gone_from_v2_and_back(fresh):
    def v2_bounces():
        return [r['email'] for r in requests.post(fresh.url + '/apiv2/reseller.subuserManage.json', data={
            'api_user': 'reseller@example.com', 'api_key': 's3cret', 'method': 'bounces', 'task': 'get',
            'user': 'subuser@example.com'}, timeout=30).json()]
    assert 'gone@example.net' in v2_bounces()
    assert v3(fresh, 'DELETE', 'suppression/bounces', json={'emails': ['gone@example.net']},
              headers=SUBUSER).status_code == 204
    assert 'gone@example.net' not in v2_bounces()
    requests.post(fresh.url + '/apiv2/reseller.subuserManage.json', data={
        'api_user': 'reseller@example.com', 'api_key': 's3cret', 'method': 'bounces', 'task': 'delete',
        'user': 'subuser@example.com', 'email': 'blocked@example.org'}, timeout=30)
    assert v3(fresh, 'GET', 'suppression/bounces/blocked@example.org', headers=SUBUSER).json() == []
    stats = fresh.stats()
    assert stats['writes'] == 2
    assert stats['by_endpoint']['v3/suppression/bounces']['by_method'] == {'DELETE': 1}


def test_v3_faults_and_latency_apply_and_are_counted():
    with Emulator('--data', DEMO, '--fault-rate', '0.5', '--seed', '4', '--latency-ms', '30') as faulty:
        started = time.monotonic()
        answers = []
        for dummy in range(20):
            try:
                answers.append(v3(faulty, 'GET', 'suppression/blocks').status_code)
            except requests.exceptions.ConnectionError:
                answers.append('dropped')
        elapsed = time.monotonic() - started
        outcomes = faulty.stats()['outcomes']
    assert 200 in answers and any(a in (500, 502, 503, 'dropped') for a in answers)
    assert outcomes.get('ok', 0) + outcomes.get('fault', 0) + outcomes.get('dropped', 0) == 20
    assert elapsed >= 20 * 0.03


def test_the_request_log_holds_v3_urls_and_never_the_key(emu):
    emu.reset_stats()
    v3(emu, 'GET', 'suppression/blocks', params={'limit': 2})
    urls = [r['url'] for r in emu.requests()]
    assert urls == ['/v3/suppression/blocks?limit=2']
    assert not any(KEY in url for url in urls)


# ---- the server and the command line --------------------------------------------------------------------------
def test_connections_are_kept_alive(emu):
    import http.client
    from urllib.parse import urlsplit
    connection = http.client.HTTPConnection(urlsplit(emu.url).netloc, timeout=30)
    try:
        for dummy in range(3):
            connection.request('GET', '/v3/suppression/blocks', headers=AUTH)
            response = connection.getresponse()
            assert response.status == 200 and response.read()
            assert response.getheader('Connection', '').lower() != 'close'
            assert not response.will_close, 'HTTP/1.1 keep-alive: the next request reuses this connection'
        assert connection.sock is not None
    finally:
        connection.close()


@pytest.mark.parametrize('params,message', [({'days': 800000}, 'days must be at most 36500'),
                                            ({'limit': 10 ** 20}, 'limit must be at most'),
                                            ({'offset': 10 ** 20}, 'offset must be at most')])
def test_a_v2_value_out_of_range_is_a_400_not_a_500(emu, params, message):
    response = requests.post(emu.url + '/api/invalidemails.get.json', timeout=30,
                             data=dict(params, api_user='apikey', api_key=KEY))
    assert response.status_code == 400 and message in response.json()['errors'][0]


def test_generate_fills_every_list_and_group():
    with Emulator('--data', DEMO, '--generate', '30', '--seed', '9') as generated:
        for list_name, listed in (('invalid_emails', 5), ('bounces', 1), ('blocks', 2), ('spam_reports', 1)):
            records = v3(generated, 'GET', 'suppression/' + list_name).json()
            assert len(records) == listed + 30, list_name
        spam = v3(generated, 'GET', 'suppression/spam_reports').json()
        assert all(r['ip'].count('.') == 3 for r in spam)
        assert len(v3(generated, 'GET', 'suppression/unsubscribes').json()) == 1 + 30
        assert len(v3(generated, 'GET', 'asm/groups/101/suppressions').json()) == 2 + 30
        assert len(v3(generated, 'GET', 'suppression/blocks', headers=SUBUSER).json()) == 30


def test_generate_lists_narrows_and_is_checked():
    with Emulator('--data', DEMO, '--generate', '10', '--generate-lists', 'blocks') as narrow:
        assert len(v3(narrow, 'GET', 'suppression/blocks').json()) == 2 + 10
        assert len(v3(narrow, 'GET', 'suppression/invalid_emails').json()) == 5
    import subprocess
    import sys
    from emulator.process import SERVE
    proc = subprocess.run([sys.executable, SERVE, '--port', '0', '--generate-lists', 'blocks,nothing'],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2 and '--generate-lists: unknown list nothing' in proc.stderr


# ---- subusers ------------------------------------------------------------------------------------------------------
def test_get_subusers_lists_the_customers_and_subusers_under_the_caller(emu):
    response = v3(emu, 'GET', 'subusers')
    assert response.status_code == 200
    assert_rate_headers(response)
    listed = response.json()
    assert [(s['username'], s['email'], s['disabled']) for s in listed] == [
        ('customer@example.com', 'customer@example.com', False),
        ('subuser@example.com', 'subuser@example.com', False),
        ('tenant-42', 'ops@tenant42.example', False),
        ('tenant-7', 'ops@tenant7.example', True),
        ('eu-tenant-5', 'ops@tenant5.example', False)]
    assert all(isinstance(s['id'], int) and 'region' not in s for s in listed), 'region only when asked'
    assert [s['username'] for s in v3(emu, 'GET', 'subusers', params={'limit': 1, 'offset': 1}).json()] == [
        'subuser@example.com']
    assert [s['username'] for s in v3(emu, 'GET', 'subusers', params={'username': 'SUB'}).json()] == [
        'subuser@example.com']
    assert v3(emu, 'GET', 'subusers', headers=SUBUSER).json() == [], 'a subuser has no subusers'


def test_get_subusers_by_region_and_with_their_regions(emu):
    with_regions = v3(emu, 'GET', 'subusers', params={'include_region': 'true'}).json()
    assert [(s['username'], s['region']) for s in with_regions][-2:] == [('tenant-7', 'global'), ('eu-tenant-5', 'eu')]
    assert [s['username'] for s in v3(emu, 'GET', 'subusers', params={'region': 'eu'}).json()] == ['eu-tenant-5']
    assert len(v3(emu, 'GET', 'subusers', params={'region': 'global'}).json()) == 4
    assert len(v3(emu, 'GET', 'subusers', params={'region': 'all'}).json()) == 5
    for params, field in (({'region': 'us'}, 'region'), ({'include_region': 'yes'}, 'include_region')):
        response = v3(emu, 'GET', 'subusers', params=params)
        assert response.status_code == 400 and response.json()['errors'][0]['field'] == field


@pytest.mark.parametrize('params,field', [({'limit': 0}, 'limit'), ({'limit': 501}, 'limit'),
                                          ({'offset': -1}, 'offset')])
def test_get_subusers_refuses_bad_paging(emu, params, field):
    response = v3(emu, 'GET', 'subusers', params=params)
    assert response.status_code == 400 and response.json()['errors'][0]['field'] == field


def test_a_subuser_s_email_and_disabled_come_from_the_fixture(emulator_factory):
    data = {'accounts': [{'username': 'a@example.com', 'api_keys': ['SG.demo-key'], 'customers': [
        {'username': 'c@example.com', 'subusers': [{'username': 'tenant-1', 'email': 'ops@t1.example',
                                                    'disabled': True}, {'username': 'tenant-2'}]}]}]}
    emu = emulator_factory(data=data)
    assert [(s['username'], s['email'], s['disabled']) for s in v3(emu, 'GET', 'subusers').json()] == [
        ('c@example.com', 'c@example.com', False), ('tenant-1', 'ops@t1.example', True),
        ('tenant-2', 'tenant-2@example.com', False)]
