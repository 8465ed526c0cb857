# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every wait the collection makes: the retry policy (back-off, Retry-After, 429 until X-RateLimit-Reset), the
rate-limit pace shared by the threads of a run, and the rule that stops a bulk run once retries keep failing."""

from __future__ import annotations

import re
import threading
import time

try:
    from urllib3.exceptions import InvalidHeader, ReadTimeoutError
    from urllib3.util.retry import Retry
except ImportError:
    Retry = object

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.request_deadline import current_attempt_expired

MAX_RETRY_AFTER = 60
# A reset above this is a unix time; below, seconds from now (one SendGrid document says the one, one the other).
RESET_IS_A_TIME = 10 ** 9
# At most 12 digits: a unix time for thousands of years, and no number too long to read.
_PLAIN_DIGITS = re.compile(r'^[0-9]{1,12}$')
# Requests in a row that used up every retry on 429 or 5xx before a bulk run stops sending more: the service is
# overloaded or failing, and each further request would only pay the whole retry budget again.
EXHAUSTED_IN_A_ROW = 3


def header_count(value):
    """A rate-limit header's value as an integer of 0 or more, or None unless it is plain ASCII digits (a NaN, a
    sign, a fraction or a non-ASCII digit is no count: the normal back-off applies, never an unbounded wait)."""
    text = str(value).strip() if value is not None else ''
    return int(text) if _PLAIN_DIGITS.match(text) else None


def seconds_until_reset(value, now=None):
    """Seconds until the X-RateLimit-Reset `value` (a unix time or a number of seconds), or None if unreadable."""
    reset = header_count(value)
    if reset is None:
        return None
    now = time.time() if now is None else now
    return max(reset - now, 0.0) if reset > RESET_IS_A_TIME else float(reset)


class ClampedRetry(Retry):
    """urllib3's Retry that never waits longer than MAX_RETRY_AFTER for a Retry-After, nor retries a read timeout.

    A server that accepted the request and then stayed silent for `timeout` seconds is not retried: waiting
    `timeout` again and again would make a hung service look like a hung task.
    """

    def parse_retry_after(self, retry_after):
        try:
            seconds = super().parse_retry_after(retry_after)
        except InvalidHeader:
            return None          # `soon`, `-5`: not a wait the server can mean; the normal back-off applies
        return min(max(seconds, 0), MAX_RETRY_AFTER)

    def get_retry_after(self, response):
        """Retry-After; or for a 429 without it (Web API v3), the wait until X-RateLimit-Reset."""
        retry_after = super().get_retry_after(response)
        if retry_after is None and response.status == 429:
            seconds = seconds_until_reset(response.headers.get('X-RateLimit-Reset'))
            return min(seconds, MAX_RETRY_AFTER) or None if seconds is not None else None
        return retry_after

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        stopping.check()         # no retry starts once the run is stopped
        if isinstance(error, ReadTimeoutError):
            raise error
        if error is not None and current_attempt_expired():
            raise error          # the attempt ran out of its total time: another would only drip again
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep_for_retry(self, response):
        retry_after = self.get_retry_after(response)
        if retry_after:
            stopping.pause(retry_after)
            return True
        return False

    def _sleep_backoff(self):
        stopping.pause(self.get_backoff_time())


class RatePacer:
    """The rate-limit window every thread of one client shares: each request takes one of the requests the last
    answer said remain; when none remain, requests wait for the window's reset (at most MAX_RETRY_AFTER)."""

    def __init__(self, clock=time.time, sleep=stopping.pause):
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self._remaining = None
        self._reset_at = None
        self._in_flight = 0
        self.waited = 0.0

    def before_request(self):
        with self._lock:
            if self._remaining is not None and self._remaining <= 0 and self._reset_at is not None:
                delay = min(self._reset_at - self._clock(), MAX_RETRY_AFTER)
                if delay > 0:
                    # Holding the lock while waiting is the point: every thread waits for the same reset.
                    self._sleep(delay)
                    self.waited += delay
                self._remaining, self._reset_at = None, None
            self._in_flight += 1
            if self._remaining is not None:
                self._remaining -= 1

    def after_response(self, headers):
        """Called once per request, answered or not (`headers` empty then)."""
        remaining = (headers or {}).get('X-RateLimit-Remaining')
        with self._lock:
            self._in_flight -= 1
            wait = seconds_until_reset((headers or {}).get('X-RateLimit-Reset'), self._clock())
            remaining = header_count(remaining)
            if remaining is None or wait is None:
                return
            # Requests still in flight may not be counted in this answer yet: count them as spent.
            estimate = remaining - self._in_flight
            reset_at = self._clock() + wait
            if self._reset_at is not None and abs(reset_at - self._reset_at) < 0.5 and self._remaining is not None:
                # Answers of one window arrive out of order: the fewest remaining is the truth.
                self._remaining = min(self._remaining, estimate)
            else:
                self._remaining, self._reset_at = estimate, reset_at


class StopRule:
    """Whether a bulk run goes on sending: it stops at once when every further request would fail alike (no
    service, refused credentials or user, a redirect), or once EXHAUSTED_IN_A_ROW requests in a row used up every
    retry; the rest are then reported as not attempted, so the task ends promptly and a re-run finishes."""

    def __init__(self, what='deletes'):
        self.what = what
        self.reason = None
        self._exhausted = 0
        self._lock = threading.Lock()

    def failed(self, exc):
        with self._lock:
            self._exhausted = self._exhausted + 1 if exc.exhausted_retries else 0
            if exc.stops_run:
                self.reason = self.reason or exc.reason
            elif self._exhausted >= EXHAUSTED_IN_A_ROW and self.reason is None:
                self.reason = '%d %s in a row failed after every retry, the last with: %s' % (
                    self._exhausted, self.what, exc.reason)

    def succeeded(self):
        with self._lock:
            self._exhausted = 0
