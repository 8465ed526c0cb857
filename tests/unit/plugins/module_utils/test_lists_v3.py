"""The Web API v3 transport and lists against the emulator: the same records and filters as v2, paging, bulk
deletes in batches, on-behalf-of, 404 as already gone, and a pace that stays under the rate limit."""

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from emulator.process import FIXTURES, Emulator

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan import run
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import DELETED, NOT_LISTED
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_list
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v3 import created_text

DEMO = os.path.join(FIXTURES, 'demo.yml')
KEY = 'SG.demo-key'
TERMS = [('invalid_emails', None), ('customer_invalid_emails', 'customer@example.com'),
         ('customer_bounces', 'customer@example.com'), ('subuser_bounces', 'subuser@example.com')]


@pytest.fixture(scope='module')
def demo():
    with Emulator('--data', DEMO) as emu:
        yield emu


def _v3(emu, **options):
    return ClientV3(api_key=KEY, api_url=emu.url, **options)


def _v2(emu):
    return ClientV2(api_user='reseller@example.com', api_key='s3cret', api_url=emu.url)


@pytest.mark.parametrize('name,user', TERMS)
def test_v3_gives_the_same_records_as_v2(demo, name, user):
    assert list(open_list(_v3(demo), name, user).list()) == list(open_list(_v2(demo), name, user).list())


@pytest.mark.parametrize('filters', [
    {'start_date': '2012-01-01', 'end_date': '2024-12-31'}, {'email': 'BRANDON'}, {'limit': 2, 'offset': 1},
    {'end_date': '2012-08-17'}, {'start_date': '2024-03-02'}, {'days': 36500, 'limit': 1}])
def test_v3_filters_mean_what_v2_filters_mean(demo, filters):
    v3 = list(open_list(_v3(demo), 'invalid_emails').list(Filters(**filters)))
    v2 = list(open_list(_v2(demo), 'invalid_emails').list(Filters(**filters)))
    assert v3 == v2 and v3


def test_created_is_the_v2_text_in_utc():
    assert created_text(1307376717) == '2011-06-06 16:11:57'


def test_paging_reads_every_record_with_the_fewest_requests():
    with Emulator('--data', DEMO, '--generate', '1000', '--generate-lists', 'blocks,bounces') as emu:
        emu.reset_stats()
        records = list(open_list(_v3(emu), 'subuser_bounces').list())
        stats = emu.stats()
    assert len(records) == 1001
    assert stats['total'] == math.ceil(1001 / 500) and stats['writes'] == 0


def test_bulk_deletes_go_in_batches_and_a_second_run_writes_nothing():
    with Emulator('--data', DEMO, '--generate', '1200', '--generate-lists', 'bounces') as emu:
        bounces = open_list(_v3(emu), 'subuser_bounces', batch_size=500)
        wanted = [r['email'] for r in bounces.list()][:1100]
        emu.reset_stats()
        result = run(bounces, emails=wanted, concurrency=4)
        first = emu.stats()
        emu.reset_stats()
        again = run(bounces, emails=wanted, concurrency=4)
        second = emu.stats()
        left = [r['email'] for r in bounces.list()]
    assert result['changed'] and len(result['deleted']) == 1100 and result['failed_emails'] == []
    assert first['writes'] == math.ceil(1100 / 500)
    assert first['by_endpoint']['v3/suppression/bounces']['by_method']['DELETE'] == 3
    assert not again['changed'] and second['writes'] == 0 and again['missing'] == wanted
    assert len(left) == 1201 - 1100, "the account's own bounce and the 100 not asked for"


def test_delete_all_is_one_request(emulator_factory):
    emu = emulator_factory(data=DEMO)
    bounces = open_list(_v3(emu), 'customer_bounces', 'customer@example.com')
    emu.reset_stats()
    result = run(bounces, delete_all=True)
    assert result['changed'] and emu.stats()['writes'] == 1
    assert list(bounces.list()) == []


def test_a_single_delete_of_an_unlisted_address_is_already_gone(demo):
    blocks_owner = open_list(_v3(demo), 'invalid_emails')
    assert blocks_owner.delete('never-listed@example.com') == NOT_LISTED


def test_a_single_delete(emulator_factory):
    emu = emulator_factory(data=DEMO)
    invalid = open_list(_v3(emu), 'invalid_emails')
    assert invalid.delete('brandon') == DELETED
    assert 'brandon' not in [r['email'] for r in invalid.list()]


def test_on_behalf_of_someone_else_is_refused_with_the_service_message(demo):
    with pytest.raises(SendGridError) as info:
        list(open_list(_v3(demo), 'subuser_bounces', 'someone-elses-subuser@example.com').list())
    text = str(info.value)
    assert 'is not a customer or subuser of your account' in text and 'HTTP 403' in text
    assert 'subuser_bounces' in text and 'someone-elses-subuser@example.com' in text
    assert info.value.stops_run


def test_a_wrong_key_is_refused(demo):
    with pytest.raises(SendGridError, match='authorization required.*HTTP 401'):
        list(open_list(ClientV3(api_key='SG.wrong', api_url=demo.url), 'invalid_emails').list())


def test_a_username_is_refused_before_any_request(demo):
    demo.reset_stats()
    with pytest.raises(SendGridError, match='v3 takes an API key in api_key'):
        ClientV3(api_user='reseller@example.com', api_key='s3cret', api_url=demo.url)
    assert demo.stats()['total'] == 0


def test_the_key_travels_only_in_the_authorization_header(demo):
    demo.reset_stats()
    list(open_list(_v3(demo), 'invalid_emails').list(Filters(email='brandon')))
    assert demo.requests() and not any(KEY in r['url'] for r in demo.requests())


def test_a_run_under_a_rate_limit_gets_no_429():
    with Emulator('--data', DEMO, '--rate-limit', '20') as emu:
        client = _v3(emu, concurrency=4)
        invalid = open_list(client, 'invalid_emails')
        lock = threading.Lock()
        done = []

        def probe(dummy):
            invalid.delete('never-listed@example.com')
            with lock:
                done.append(1)
        time.sleep(1 - time.time() % 1 + 0.05)
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(probe, range(70)))
        elapsed = time.monotonic() - started
        outcomes = emu.stats()['outcomes']
    assert len(done) == 70
    assert outcomes.get('rate_limited', 0) == 0, outcomes
    assert elapsed >= 2.5, 'paced to 20 a second'


# ---- the lists only v3 has: blocks and spam reports --------------------------------------------------------------
def test_blocks_and_spam_reports_read_as_records(demo):
    lookup = lookup_loader.get('mailops.sendgrid.suppressions')
    blocks = lookup.run(['blocks'], variables={}, api_key=KEY, api_url=demo.url, api_version='v3')
    assert blocks == [
        {'email': 'blocked@example.net', 'status': '4.0.0', 'reason': 'unable to resolve MX record: servfail',
         'created': '2025-03-01 08:00:00', 'list': 'blocks', 'user': None},
        {'email': 'outage@example.org', 'status': '4.0.0', 'reason': '421 4.7.0 try again later',
         'created': '2025-03-02 09:30:00', 'list': 'blocks', 'user': None}]
    spam = lookup.run(['spam_reports'], variables={}, api_key=KEY, api_url=demo.url, api_version='v3')
    assert spam == [{'email': 'complainer@example.com', 'ip': '10.63.202.100', 'created': '2025-02-10 12:00:00',
                     'list': 'spam_reports', 'user': None}]
    assert lookup.run(['blocks'], variables={}, api_key=KEY, api_url=demo.url, api_version='v3',
                      user='subuser@example.com', count_only=True) == [0]


def test_blocks_are_deleted_in_bulk(emulator_factory):
    emu = emulator_factory(data=DEMO)
    blocks = open_list(_v3(emu), 'blocks')
    emu.reset_stats()
    result = run(blocks, emails=['BLOCKED@example.net', 'never@example.com'])
    assert result['deleted'] == ['blocked@example.net'] and result['missing'] == ['never@example.com']
    assert emu.stats()['writes'] == 1
    assert [r['email'] for r in blocks.list()] == ['outage@example.org']


def test_a_v3_only_list_is_refused_on_v2_before_any_request(demo):
    demo.reset_stats()
    with pytest.raises(AnsibleLookupError, match='the list spam_reports needs api_version v3'):
        lookup_loader.get('mailops.sendgrid.suppressions').run(
            ['spam_reports'], variables={}, api_user='reseller@example.com', api_key='s3cret', api_url=demo.url,
            api_version='v2')
    assert demo.stats()['total'] == 0


def test_pages_past_the_first_are_read_in_parallel_windows_in_order(tmp_path):
    with Emulator('--data', DEMO, '--generate', '5200', '--generate-lists', 'invalid_emails', '--seed', '8') as emu:
        sequential = [r['email'] for r in open_list(_v3(emu, concurrency=1), 'invalid_emails').list()]
        emu.reset_stats()
        parallel = [r['email'] for r in open_list(_v3(emu, concurrency=4), 'invalid_emails').list()]
        reads = emu.stats()['reads']
        emu.reset_stats()
        small = list(open_list(_v3(emu, concurrency=8), 'subuser_bounces', 'subuser@example.com').list())
        small_reads = emu.stats()['reads']
    assert parallel == sequential and 5000 < len(parallel) < 5500
    # the first page alone, windows of 2 and 4, then each page taken asks for the next: 11 pages, the 11th short,
    # and at most concurrency - 1 asked for past it
    assert math.ceil(len(parallel) / 500) == 11 <= reads <= 11 + 3
    assert small and small_reads == 1, 'a list that fits in a page costs one request'
