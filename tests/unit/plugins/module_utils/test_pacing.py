"""pacing.py: every wait the collection makes; the retry policy, the shared rate-limit pace, the stop rule."""

import time

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.pacing import (
    EXHAUSTED_IN_A_ROW, MAX_RETRY_AFTER, ClampedRetry, RatePacer, StopRule, header_count, seconds_until_reset)


@pytest.mark.parametrize('value,expected', [('1700000060', 60.0), ('30', 30.0), ('soon', None), ('-4', None)])
def test_a_reset_is_a_time_or_seconds(value, expected):
    assert seconds_until_reset(value, now=1700000000) == expected


def test_a_429_without_retry_after_waits_for_the_reset():
    class Answer:
        status = 429
        headers = {'X-RateLimit-Reset': str(int(time.time()) + 3)}
    wait = ClampedRetry(total=1).get_retry_after(Answer())
    assert 1.5 < wait <= 3.0
    Answer.headers = {'X-RateLimit-Reset': str(int(time.time()) + 3600)}
    assert ClampedRetry(total=1).get_retry_after(Answer()) == 60


def test_the_pacer_waits_for_the_reset_once_the_window_is_spent():
    now = [1700000000.0]
    slept = []
    pacer = RatePacer(clock=lambda: now[0], sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)))
    pacer.before_request()
    pacer.after_response({'X-RateLimit-Remaining': '2', 'X-RateLimit-Reset': '1700000001'})
    pacer.before_request()
    pacer.before_request()
    assert slept == []
    pacer.before_request()
    assert slept == [1.0], 'the third request of a window with two left waits for the reset'


@pytest.mark.parametrize('value,expected', [('0', 0), (' 12 ', 12), ('12.0', None), ('-1', None), ('nan', None),
                                            ('\u0661', None), (None, None), ('1' * 13, None)])
def test_a_rate_limit_header_is_a_plain_count_or_nothing(value, expected):
    assert header_count(value) == expected


@pytest.mark.parametrize('value,expected', [('5', 5), ('999', MAX_RETRY_AFTER), ('-5', None), ('soon', None)])
def test_retry_after_is_clamped(value, expected):
    assert ClampedRetry(total=1).parse_retry_after(value) == expected


def test_the_stop_rule_stops_at_once_when_every_request_would_fail_alike():
    rule = StopRule()
    rule.failed(SendGridError('refused', status=401))
    assert rule.reason == 'refused'


def test_the_stop_rule_stops_after_exhausted_retries_in_a_row():
    rule = StopRule('adds')
    for dummy in range(EXHAUSTED_IN_A_ROW - 1):
        rule.failed(SendGridError('busy', status=503))
    rule.succeeded()
    for dummy in range(EXHAUSTED_IN_A_ROW - 1):
        rule.failed(SendGridError('busy', status=503))
    assert rule.reason is None, 'a success in between starts the count again'
    rule.failed(SendGridError('busy', status=503))
    assert rule.reason == '%d adds in a row failed after every retry, the last with: busy' % EXHAUSTED_IN_A_ROW


def test_a_client_error_never_stops_the_run():
    rule = StopRule()
    for dummy in range(10):
        rule.failed(SendGridError('bad address', status=400))
    assert rule.reason is None
