# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Web API v3 suppression lists (invalid emails, bounces, blocks, spam reports) on the declared list interface,
with bulk deletes, over client_v3."""

from __future__ import annotations

import calendar
import datetime
import math
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import NOT_FOUND, path_segment
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import (
    TIMESTAMP_FORMAT, Filters, address_key)
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import (
    DELETED, NOT_LISTED, PAGE_SIZE, SuppressionListBase, check_advance, check_paging_depth, records_problem,
    shared_string)

DEFAULT_BATCH_SIZE = 500


# 9999-12-31 23:59:59 UTC: the last second a `YYYY-MM-DD HH:MM:SS` time can show.
MAX_UNIX_TIME = 253402300799


def is_unix_time(value):
    """Whether `value` is a time the records can carry: a finite number of seconds from 1970 to the year 9999."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and \
        math.isfinite(value) and 0 <= value <= MAX_UNIX_TIME


def created_text(value):
    """v3's unix seconds as the v2 `YYYY-MM-DD HH:MM:SS` (UTC), so records look alike from both backends."""
    # time.gmtime, not datetime: the same text in a third of the time, once per record of a list.
    return time.strftime(TIMESTAMP_FORMAT, time.gmtime(value))


def _unix(day, end_of_day=False):
    """The first (or last) second of a UTC day; never before 1970, where v3 times start."""
    moment = datetime.datetime.combine(day, datetime.time(23, 59, 59) if end_of_day else datetime.time())
    return max(calendar.timegm(moment.timetuple()), 0)


def _v3_records_problem(body):
    problem = records_problem(body)
    if problem:
        return problem
    for index, record in enumerate(body):
        if not is_unix_time(record.get('created')):
            return 'record %d has no "created" time in unix seconds from 1970 to the year 9999' % index
    return None


class V3List(SuppressionListBase):
    """One v3 suppression list of the account, or of the customer or subuser `user` (sent as on-behalf-of)."""

    path = ''
    supports_delete_all = True
    bulk_delete = True

    def __init__(self, client, user=None, name=None, description=None, batch_size=DEFAULT_BATCH_SIZE):
        super().__init__(client, user)
        self.name = name or self.path.rsplit('/', 1)[-1]
        self.description = description or self.name
        self.batch_size = max(int(batch_size or DEFAULT_BATCH_SIZE), 1)

    # ---- reading -------------------------------------------------------------------------------------------
    def list(self, filters=None):
        """Every matching record, oldest first; the server narrows by time and address prefix, this the rest."""
        filters = filters or Filters()
        if filters.limit == 0:
            return
        matching = (record for page in self._pages(self._params(filters))
                    for record in (self.record(raw) for raw in page) if filters.matches(record))
        yield from filters.window(matching)

    def records_of(self, email):
        """The records of one address (ASCII case ignored), with the list's single-address GET."""
        answer = self._call('GET', '%s/%s' % (self.path, path_segment(email)), email=email,
                            expect=_v3_records_problem)
        return [self.record(raw) for raw in answer if address_key(raw['email']) == address_key(email)]

    def _params(self, filters):
        params = {}
        if filters.since is not None:
            params['start_time'] = _unix(filters.since)
        if filters.until is not None:
            params['end_time'] = _unix(filters.until, end_of_day=True)
        # The server's email filter is a prefix with `%` as a wildcard: it narrows, the exact match is made here.
        if filters.email is not None and '%' not in filters.email:
            params['email'] = filters.email
        return params

    def _pages(self, params):
        """The pages in order. v3 gives no total: the first page is read alone (most lists fit in it); past it,
        windows of 2, 4, ... up to `concurrency` pages are read at once until a page comes back short; once a window
        is `concurrency` wide, the next page is asked for as each one is taken, so that reading the answers overlaps
        the requests. At most `concurrency` - 1 pages past the end are read: empty answers, never records."""
        concurrency = self.client.concurrency
        first = self._page(params, 0)
        previous = check_advance(self, None, first, 0, self.path)
        yield first
        if len(first) < PAGE_SIZE:
            return
        pending, offset, window = deque(), PAGE_SIZE, min(2, concurrency)
        with ThreadPoolExecutor(max_workers=concurrency) as pool:

            def ask(count):
                nonlocal offset
                for dummy in range(count):
                    check_paging_depth(self, offset, self.path)
                    pending.append((offset, pool.submit(self._page, params, offset)))
                    offset += PAGE_SIZE
            try:
                ask(window)
                while pending:
                    at, future = pending.popleft()
                    page = future.result()
                    previous = check_advance(self, previous, page, at, self.path)
                    yield page
                    if len(page) < PAGE_SIZE:
                        return
                    if window == concurrency:
                        ask(1)
                    elif not pending:
                        window = min(window * 2, concurrency)
                        ask(window)
            finally:
                for dummy, future in pending:
                    future.cancel()

    def _page(self, params, offset):
        return self._call('GET', self.path, params=dict(params, limit=PAGE_SIZE, offset=offset),
                          expect=_v3_records_problem)

    def record(self, raw):
        mask = self.client.mask
        record = {'email': raw['email']}
        if self.has_status:
            record['status'] = shared_string(mask(raw.get('status')))
        record['reason'] = shared_string(mask(raw.get('reason')))
        record['created'] = created_text(raw['created'])
        return record

    # ---- writing -------------------------------------------------------------------------------------------
    @property
    def delete_batch_size(self):
        """Addresses per delete request: batch_size on the lists with bulk deletes."""
        return self.batch_size if self.bulk_delete else 1

    def delete(self, email):
        """DELETED, or NOT_LISTED when the service answers 404 (already gone)."""
        answer = self._call('DELETE', '%s/%s' % (self.path, path_segment(email)), email=email, missing_ok=True,
                            expect=_no_content)
        return NOT_LISTED if answer is NOT_FOUND else DELETED

    def delete_many(self, emails):
        """One bulk delete of up to batch_size addresses; the service does not say which were listed."""
        if not self.bulk_delete:
            return super().delete_many(emails)
        if len(emails) > self.batch_size:
            raise SendGridError('a bulk delete of %d addresses is more than batch_size=%d' % (
                len(emails), self.batch_size), list_name=self.name, user=self.user)
        self._call('DELETE', self.path, body={'emails': list(emails)}, expect=_no_content)
        return [DELETED] * len(emails)

    def delete_all(self):
        if not self.supports_delete_all:
            super().delete_all()
        self._call('DELETE', self.path, body={'delete_all': True}, expect=_no_content)

    def _call(self, method, path, params=None, body=None, email=None, missing_ok=False, expect=None):
        try:
            answer = self.client.call(method, path, params=params, body=body, on_behalf_of=self.user,
                                      missing_ok=missing_ok)
        except SendGridError as exc:
            raise exc.with_context(list_name=self.name, user=self.user, email=email) from None
        problem = None if answer is NOT_FOUND or expect is None else expect(answer)
        if problem:
            raise self.client.unexpected(problem, answer, list_name=self.name, user=self.user, email=email,
                                         endpoint='%s v3/%s' % (method, path))
        return answer


def _no_content(answer):
    return None if answer is None else 'no content (HTTP 204) was expected'


class InvalidEmails(V3List):
    path = 'suppression/invalid_emails'


class Bounces(V3List):
    path = 'suppression/bounces'
    has_status = True


class Blocks(V3List):
    path = 'suppression/blocks'
    has_status = True


class SpamReports(V3List):
    """Spam reports carry the sending IP instead of a reason."""

    path = 'suppression/spam_reports'

    def record(self, raw):
        return {'email': raw['email'], 'ip': shared_string(self.client.mask(raw.get('ip'))),
                'created': created_text(raw['created'])}
