"""The emulator's command line: storage, generated data, latency, faults, rate limit and statistics."""

import os
import time

import requests

from emulator.process import FIXTURES, Emulator
from v2_helpers import call

DEMO_KEY = {'api_user': 'apikey', 'api_key': 'SG.demo-key'}
ACCOUNT = {'api_user': 'youremail@domain.com', 'api_key': 'secureSecret'}


def test_stats_count_by_endpoint_task_and_method(emulator_factory):
    emu = emulator_factory()
    call(emu, 'api/invalidemails.get.json', ACCOUNT, method='GET')
    call(emu, 'api/invalidemails.get.xml', ACCOUNT)
    call(emu, 'api/invalidemails.delete.json', dict(ACCOUNT, email='brandon'))
    call(emu, 'api/distributor.manage.json', {'api_user': 'username', 'api_key': 'secureSecret',
                                              'method': 'bounces', 'task': 'get', 'user': 'customer@example.com'})
    stats = emu.stats()
    assert stats['total'] == 4 and stats['writes'] == 1 and stats['reads'] == 3
    assert stats['by_endpoint']['api/invalidemails.get'] == {'total': 2, 'by_task': {'get': 2},
                                                             'by_method': {'GET': 1, 'POST': 1}}
    assert stats['by_endpoint']['api/distributor.manage']['by_task'] == {'get': 1}
    assert {'endpoint': 'api/invalidemails.delete', 'task': 'delete', 'method': 'POST', 'count': 1} in \
        stats['requests']
    emu.reset_stats()
    assert emu.stats()['total'] == 0


def test_a_patch_a_put_and_a_v3_request_no_route_serves_count_as_writes(emulator_factory):
    emu = emulator_factory(data=os.path.join(FIXTURES, 'demo.yml'))
    headers = {'Authorization': 'Bearer SG.demo-key'}
    answers = [requests.request(method, emu.url + '/v3/' + path, headers=headers, json={}, timeout=30).status_code
               for method, path in (('PATCH', 'asm/groups/101'), ('PUT', 'asm/groups/101'),
                                    ('PUT', 'asm/no/such/thing'), ('POST', 'asm/no/such/thing'),
                                    ('GET', 'asm/no/such/thing'))]
    assert answers[1:] == [405, 405, 404, 404] and answers[0] < 400, answers
    stats = emu.stats()
    assert stats['writes'] == 4 and stats['reads'] == 1, stats['requests']


def test_request_log_holds_urls_but_never_a_credential(emulator_factory):
    emu = emulator_factory()
    call(emu, 'api/invalidemails.get.json', ACCOUNT)
    call(emu, 'api/invalidemails.count.json', ACCOUNT, method='GET')
    urls = [r['url'] for r in emu.requests()]
    assert urls[0] == '/api/invalidemails.get.json'
    assert 'api_key=********' in urls[1] and 'api_user=' in urls[1]
    assert not any('secureSecret' in url for url in urls)


def test_generate_fills_every_list_reproducibly(tmp_path):
    def listing(emu):
        return call(emu, 'api/invalidemails.get.json', dict(DEMO_KEY, date='1')).json()
    with Emulator('--generate', '50', '--seed', '7') as first, Emulator('--generate', '50', '--seed', '7') as again:
        records = listing(first)
        assert records == listing(again)
    assert len(records) == 5 + 50
    generated = records[5:]
    assert any('@' not in r['email'] for r in generated)          # like `brandon`
    assert any(r['email'].endswith('@hotmail') for r in generated)
    dates = sorted(r['created'] for r in generated)
    assert dates[0] >= time.strftime('%Y-%m-%d', time.gmtime(time.time() - 731 * 86400))


def test_generate_reaches_customers_and_subusers():
    with Emulator('--generate', '20') as emu:
        key = dict(DEMO_KEY, method='bounces', task='get')
        subuser = call(emu, 'apiv2/reseller.subuserManage.json', dict(key, user='subuser@example.com')).json()
        customer = call(emu, 'api/distributor.manage.json', dict(key, user='customer@example.com')).json()
        assert (len(subuser), len(customer)) == (3 + 20, 2 + 20)
        assert all(r['status'] for r in subuser)


def test_db_file_keeps_state_across_restarts(tmp_path):
    db = tmp_path / 'state.sqlite'
    with Emulator('--db', db) as emu:
        assert call(emu, 'api/invalidemails.delete.json', dict(DEMO_KEY, email='brandon')).json() == \
            {'message': 'success'}
    with Emulator('--db', db, '--generate', '10') as emu:
        emails = [r['email'] for r in call(emu, 'api/invalidemails.get.json', DEMO_KEY).json()]
    assert 'brandon' not in emails and len(emails) == 4


def test_latency_is_added_to_api_requests():
    with Emulator('--latency-ms', '200') as emu:
        started = time.monotonic()
        call(emu, 'api/invalidemails.count.json', DEMO_KEY)
        assert time.monotonic() - started >= 0.2


def test_fault_rate_fails_some_requests_before_any_change():
    with Emulator('--fault-rate', '0.5', '--seed', '3') as emu:
        outcomes = []
        for dummy in range(60):
            try:
                outcomes.append(call(emu, 'api/invalidemails.delete.json',
                                     dict(DEMO_KEY, email='nobody@example.com')).status_code)
            except requests.ConnectionError:
                outcomes.append('dropped')
        assert {500, 502, 503, 'dropped'} <= set(outcomes)
        assert 400 in outcomes
        assert emu.stats()['outcomes']['fault'] + emu.stats()['outcomes'].get('dropped', 0) == \
            len([o for o in outcomes if o != 400])
        # Faults come before the change: the five demo records are all still listed.
        assert len(_listing_despite_faults(emu)) == 5


def _listing_despite_faults(emu):
    for dummy in range(50):
        try:
            resp = call(emu, 'api/invalidemails.get.json', DEMO_KEY)
        except requests.ConnectionError:
            continue
        if resp.status_code == 200:
            return resp.json()
    raise AssertionError('no listing got through')


def test_rate_limit_answers_429_with_retry_after():
    with Emulator('--rate-limit', '5') as emu:
        answers = [call(emu, 'api/invalidemails.count.json', DEMO_KEY) for dummy in range(12)]
        limited = [a for a in answers if a.status_code == 429]
        assert limited, [a.status_code for a in answers]
        assert limited[0].headers['Retry-After'] == '1'
        assert limited[0].json() == {'message': 'error', 'errors': ['too many requests']}
        time.sleep(1.1)
        assert call(emu, 'api/invalidemails.count.json', DEMO_KEY).status_code == 200


def test_bad_command_line_is_refused():
    import subprocess
    import sys
    from emulator.process import SERVE
    result = subprocess.run([sys.executable, SERVE, '--fault-rate', '1.5'], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 2
    assert '--fault-rate must be at least 0 and below 1' in result.stderr
