"""The client against servers that drip, flood, redirect, throttle forever or page without end: each ends with a
clear error within its bound, and nothing is deleted that was not asked for."""

import time

import pytest
from hostile_server import (HostileServer, by_task, drip_body, drip_headers, gzip_bomb_reply, huge_reply,
                            json_reply, records, redirect_reply)
from module_helpers import run_module

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v2 import AccountInvalidEmails

KEY = 'SG.hostile-test-key'


def _client(server, **options):
    return ClientV2(api_key=KEY, api_url=server.url, **dict(dict(max_retries=2, backoff_factor=0.01), **options))


@pytest.mark.parametrize('behaviour', [drip_body, drip_headers], ids=['body', 'headers'])
def test_a_dripping_server_fails_within_timeout(behaviour):
    with HostileServer(lambda request: behaviour()) as server:
        started = time.monotonic()
        with pytest.raises(SendGridError, match='no answer from .* within timeout=2 seconds') as info:
            _client(server, timeout=2).call('api/invalidemails.get', {})
        elapsed = time.monotonic() - started
        assert elapsed < 10, 'a drip of 30 s was cut at the deadline, not retried: %.1f s' % elapsed
        assert len(server.requests) == 1, 'an expired attempt is not retried'
        assert info.value.stops_run


@pytest.mark.parametrize('behaviour', [lambda: huge_reply(70), lambda: huge_reply(70, declared=True),
                                       lambda: gzip_bomb_reply(80)], ids=['streamed', 'declared', 'gzip-bomb'])
def test_an_answer_too_large_is_refused(behaviour):
    with HostileServer(lambda request: behaviour()) as server:
        with pytest.raises(SendGridError, match='the answer is larger than 64 MiB'):
            _client(server).call('api/invalidemails.get', {})


@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
def test_no_redirect_is_followed_and_the_form_goes_nowhere_else(status, tmp_path):
    with HostileServer(lambda request: json_reply({'message': 'success'})) as elsewhere:
        target = elsewhere.url + '/api/invalidemails.delete.json'
        answer = by_task(listing=records(3), delete=lambda request: redirect_reply(status, target))
        with HostileServer(answer) as server:
            with pytest.raises(SendGridError, match='redirect \\(HTTP %d\\) to %s, which is never followed'
                               % (status, target)):
                _client(server).call('api/invalidemails.delete', {'email': 'user0@x.test'})
            server.requests.clear()
            rc, result = run_module('sendgrid_invalid_email', {
                'api_key': KEY, 'api_url': server.url, 'emails': ['user0@x.test', 'user1@x.test', 'user2@x.test'],
                'concurrency': 1}, tmp_path)
        assert rc == 1 and result['deleted'] == [], 'a redirected delete is never counted as a success'
        assert 'which is never followed' in result['msg']
        assert len(server.deletes) == 1, 'the first redirect stops the run'
        assert all('not attempted' in f['msg'] for f in result['failed_emails'][1:])
        assert elsewhere.requests == [], 'nothing, and so no api_key, reached the other host'


@pytest.mark.parametrize('retry_after', ['soon', '-5', ''])
def test_a_garbage_retry_after_is_ignored_for_the_normal_back_off(retry_after):
    answered = []

    def answer(request):
        answered.append(request)
        if len(answered) == 1:
            return json_reply({'message': 'error', 'errors': ['too many requests']}, status=429,
                              headers={'Retry-After': retry_after})
        return json_reply({'count': 2})
    with HostileServer(answer) as server:
        started = time.monotonic()
        assert AccountInvalidEmails(_client(server)).count() == 2
        assert time.monotonic() - started < 5
        assert len(server.requests) == 2


@pytest.mark.parametrize('fault', [
    lambda request: json_reply({'message': 'error', 'errors': ['too many requests']}, status=429,
                               headers={'Retry-After': 'soon'}),
    lambda request: json_reply({'message': 'error', 'errors': ['try later']}, status=503),
], ids=['429', '503'])
def test_a_bulk_run_stops_when_deletes_keep_failing_after_their_retries(fault, tmp_path):
    with HostileServer(by_task(listing=records(60), delete=fault)) as server:
        rc, result = run_module('sendgrid_invalid_email', {
            'api_key': KEY, 'api_url': server.url, 'emails': ['user%d@x.test' % i for i in range(60)],
            'max_retries': 2, 'concurrency': 2}, tmp_path)
    assert rc == 1 and result['deleted'] == []
    assert len(result['failed_emails']) == 60, 'every address is reported, none silently dropped'
    not_attempted = [f for f in result['failed_emails'] if f['msg'].startswith('not attempted')]
    assert len(not_attempted) >= 50
    assert 'deletes in a row failed after every retry' in not_attempted[0]['msg']
    # 3 in a row, plus what was in flight, each with its retries: far below 60 x 3 requests.
    assert len(server.deletes) <= 5 * 3


def _same_page_for_every_offset(count):
    page = records(500)
    return by_task(listing=page, count={'count': count})


@pytest.mark.parametrize('concurrency', [1, 8])
def test_paging_that_does_not_advance_ends_with_an_error(concurrency):
    with HostileServer(_same_page_for_every_offset(5000)) as server:
        with pytest.raises(SendGridError, match='paging does not advance: offset 500 answered the same 500 records'):
            list(AccountInvalidEmails(_client(server, concurrency=concurrency)).list())
        assert len(server.requests) <= 1 + 2 * concurrency


@pytest.mark.parametrize('count,problem', [
    (10 ** 11, 'a count of 100000000000 is more than the 10000000 records a list can hold'),
    (-1, '{"count": <an integer of 0 or more>} was expected'),
    ('12', '{"count": <an integer of 0 or more>} was expected'),
    (2.5, '{"count": <an integer of 0 or more>} was expected'),
    (None, '{"count": <an integer of 0 or more>} was expected'),
])
def test_a_count_that_is_no_count_is_an_error(count, problem):
    with HostileServer(by_task(listing=records(3), count={'count': count})) as server:
        with pytest.raises(SendGridError) as info:
            list(AccountInvalidEmails(_client(server)).list())
        assert problem in str(info.value) and 'api/invalidemails.count' in str(info.value)
        assert len(server.requests) == 1


def test_a_server_that_never_ends_a_list_is_cut_at_the_cap():
    """Full, ever-new pages for every offset: the paging stops at the record cap with a clear error."""
    def listing(request):
        offset = int(request.form.get('offset', 0))
        return json_reply([{'email': 'u%d@x.test' % (offset + i), 'reason': '', 'created': '2024-01-01 00:00:00'}
                           for i in range(int(request.form.get('limit', 500)))])
    with HostileServer(by_task(listing=listing, count={'count': 0})) as server:
        suppression_list = AccountInvalidEmails(_client(server, concurrency=1))
        suppression_list.max_records = 2000   # the real cap is 10 million: the same rule, reached in 4 pages
        with pytest.raises(SendGridError, match='paging went past 2000 records'):
            list(suppression_list.list())
