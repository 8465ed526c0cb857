# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One class per suppression list, one interface: list(filters), count(filters), delete(email), delete_all()."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mailops.sendgrid.plugins.module_utils.client import is_not_listed
from ansible_collections.mailops.sendgrid.plugins.module_utils.http_core import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.filters import Filters

PAGE_SIZE = 500
# More records than any one SendGrid list holds: a count or a paging run beyond it is a server gone wrong.
MAX_RECORDS = 10 ** 7
DEPTH_REASON = 'the server does not page as documented'
DELETED = 'deleted'
NOT_LISTED = 'not_listed'
RECORDS = 'records'
COUNT = 'count'
SUCCESS = 'success'


def records_problem(body):
    if not isinstance(body, list):
        return 'a list of records was expected'
    for index, record in enumerate(body):
        if not isinstance(record, dict) or not isinstance(record.get('email'), str) or not record['email'].strip():
            return 'record %d has no address (a string "email")' % index
    return None


def _count_problem(body):
    count = body.get('count') if isinstance(body, dict) else None
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return '{"count": <an integer of 0 or more>} was expected'
    if count > MAX_RECORDS:
        return 'a count of %d is more than the %d records a list can hold' % (count, MAX_RECORDS)
    return None


def _success_problem(body):
    if isinstance(body, dict) and body.get('message') == 'success':
        return None
    return '{"message": "success"} was expected'


ANSWER_PROBLEMS = {RECORDS: records_problem, COUNT: _count_problem, SUCCESS: _success_problem}


def check_paging_depth(suppression_list, offset, endpoint):
    """Refuse to page on past the list's max_records: a server that never ends a list must not hold the run or its
    memory."""
    if offset >= suppression_list.max_records:
        raise suppression_list.client.error('paging went past %d records without reaching a short page: %s' % (
            suppression_list.max_records, suppression_list.depth_reason), list_name=suppression_list.name,
            endpoint=endpoint)


def check_advance(suppression_list, previous, page, offset, endpoint):
    """The page, after making sure it is not the previous page again (a server that ignores `offset`)."""
    if page and previous is not None and page == previous:
        raise suppression_list.client.error('paging does not advance: offset %d answered the same %d records as the '
                                            'page before it' % (offset, len(page)), list_name=suppression_list.name,
                                            endpoint=endpoint)
    return page


class SuppressionList:
    """A suppression list of one account, customer or subuser."""

    name = ''
    description = ''
    endpoint = ''
    base_params = {}
    needs_user = False
    has_status = False
    supports_delete_all = False
    max_records = MAX_RECORDS
    depth_reason = DEPTH_REASON

    def __init__(self, client, user=None):
        if self.needs_user and not user:
            raise SendGridError('user is required for the list %s (%s)' % (self.name, self.description))
        self.client = client
        self.user = user if self.needs_user else None

    # ---- what subclasses vary ------------------------------------------------------------------------
    def _pages(self, filters):
        """Raw records, narrowed server-side as far as the endpoint allows."""
        yield self._call(dict(self.base_params, task='get', date=1), expect=RECORDS)

    def _delete_params(self, email):
        return dict(self.base_params, task='delete', email=email)

    # ---- the interface -------------------------------------------------------------------------------
    def list(self, filters=None):
        """Every matching record, page by page; what the endpoint cannot filter is filtered here the same way."""
        filters = filters or Filters()
        if filters.limit == 0:
            return
        matching = (self.record(raw) for page in self._pages(filters) for raw in page if filters.matches(raw))
        yield from (matching if self._windowed_server_side(filters) else filters.window(matching))

    def count(self, filters=None):
        return sum(1 for dummy in self.list(filters))

    def delete(self, email):
        """DELETED, or NOT_LISTED when SendGrid says the address is not on the list.

        "Email does not exist" after a retry means the first attempt reached the server and deleted it.
        """
        try:
            self._call(self._delete_params(email), email=email)
        except SendGridError as exc:
            if is_not_listed(exc):
                return DELETED if exc.retried else NOT_LISTED
            raise
        return DELETED

    def delete_all(self):
        if not self.supports_delete_all:
            raise SendGridError('the API has no delete-all for this list', list_name=self.name, user=self.user)
        self._call(dict(self.base_params, task='delete'))

    def record(self, raw):
        record = {'email': raw.get('email', '')}
        # Reasons and statuses repeat across a list; one shared string each keeps a 100,000-record read small.
        # A server that echoes the credential into them gets it masked, as in any error.
        mask = self.client.mask
        if self.has_status:
            record['status'] = shared_string(mask(raw.get('status')))
        record['reason'] = shared_string(mask(raw.get('reason')))
        record['created'] = raw.get('created')
        return record

    def _windowed_server_side(self, filters):
        return False

    def _url_path(self, task):
        return self.endpoint

    def _call(self, params, email=None, task='delete', expect=SUCCESS):
        """One request; its answer checked for the shape `expect` names, so a wrong one is never read as success."""
        if self.user:
            params = dict(params, user=self.user)
        endpoint = self._url_path(task)
        try:
            body = self.client.call(endpoint, params)
        except SendGridError as exc:
            raise exc.with_context(list_name=self.name, user=self.user, email=email) from None
        problem = ANSWER_PROBLEMS[expect](body)
        if problem:
            raise self.client.unexpected(problem, body, list_name=self.name, user=self.user, email=email,
                                         endpoint=endpoint)
        return body

    def __repr__(self):
        return '%s(user=%r)' % (type(self).__name__, self.user)


class AccountInvalidEmails(SuppressionList):
    """api/invalidemails.*: filters, paging and a count endpoint, all on the server."""

    name = 'invalid_emails'
    description = "the account's own invalid emails"
    endpoint = 'api/invalidemails'

    def _pages(self, filters):
        params = {'date': 1}
        if filters.days is not None:
            params['days'] = filters.days
        params.update(filters.date_params())
        if filters.email is not None:
            params['email'] = filters.email
        end = None if filters.limit is None else filters.offset + filters.limit
        position = filters.offset
        previous = None
        if self.client.concurrency > 1 and filters.days is None and filters.email is None:
            # The count endpoint knows how many pages the date range holds: read them `concurrency` at a time,
            # in order, so a long list costs about pages / concurrency round trips and memory stays bounded.
            total = self._call(filters.date_params(), task='count', expect=COUNT)['count']
            stop = total if end is None else min(end, total)
            for batch in _batches(range(position, stop, PAGE_SIZE), self.client.concurrency):
                # Full-size pages: a short one proves the end, even if the list grew since the count.
                sizes = [PAGE_SIZE if end is None else min(PAGE_SIZE, end - start) for start in batch]
                pages = self._pool_map(lambda job: self._page(params, job[0], job[1]), list(zip(batch, sizes)))
                for start, page, size in zip(batch, pages, sizes):
                    previous = self._check_advance(previous, page, start)
                    yield page
                    if len(page) < size:
                        return
                position = batch[-1] + sizes[-1]
        # Page by page until a short page: the whole list, or what was added after the count.
        while end is None or position < end:
            size = PAGE_SIZE if end is None else min(PAGE_SIZE, end - position)
            page = self._page(params, position, size)
            previous = self._check_advance(previous, page, position)
            yield page
            if len(page) < size:
                return
            position += size

    def _page(self, params, offset, size):
        check_paging_depth(self, offset, self._url_path('get'))
        return self._call(dict(params, limit=size, offset=offset), task='get', expect=RECORDS)

    def _check_advance(self, previous, page, offset):
        return check_advance(self, previous, page, offset, self._url_path('get'))

    def _pool_map(self, function, jobs):
        with ThreadPoolExecutor(max_workers=min(len(jobs), self.client.concurrency)) as pool:
            return list(pool.map(function, jobs))

    def _windowed_server_side(self, filters):
        return True

    def count(self, filters=None):
        filters = filters or Filters()
        if filters.days is None and filters.email is None and not filters.has_window:
            return self._call(filters.date_params(), task='count', expect=COUNT)['count']
        return super().count(filters)

    def _delete_params(self, email):
        return {'email': email}

    def _url_path(self, task):
        return '%s.%s' % (self.endpoint, task)


class CustomerInvalidEmails(SuppressionList):
    """apiv2/reseller.manage method=invalidemails: one unpaged listing; filters applied here."""

    name = 'customer_invalid_emails'
    description = "a reseller customer's invalid emails"
    endpoint = 'apiv2/reseller.manage'
    base_params = {'method': 'invalidemails'}
    needs_user = True


class SubuserBounces(SuppressionList):
    """apiv2/reseller.subuserManage method=bounces: one unpaged listing, and a delete-all."""

    name = 'subuser_bounces'
    description = "a customer subuser's bounces"
    endpoint = 'apiv2/reseller.subuserManage'
    base_params = {'method': 'bounces'}
    needs_user = True
    has_status = True
    supports_delete_all = True


class CustomerBounces(SubuserBounces):
    """api/distributor.manage method=bounces: `days` or a full date range on the server, the rest here."""

    name = 'customer_bounces'
    description = "a customer's bounces (legacy distributor endpoint)"
    endpoint = 'api/distributor.manage'

    def _pages(self, filters):
        params = dict(self.base_params, task='get', date=1)
        if filters.days is not None:
            params['days'] = filters.days
        elif filters.start_date and filters.end_date:
            params.update(filters.date_params())
        yield self._call(params, expect=RECORDS)


def shared_string(value):
    return sys.intern(value) if isinstance(value, str) else value


def _batches(items, size):
    items = list(items)
    return [items[i:i + size] for i in range(0, len(items), size)]


LISTS = {cls.name: cls for cls in (AccountInvalidEmails, CustomerInvalidEmails, SubuserBounces, CustomerBounces)}


def open_list(client, name, user=None):
    """The list called `name` (a key of LISTS) of `user` where the list needs one."""
    if name not in LISTS:
        raise SendGridError('unknown list %r: choose one of %s' % (name, ', '.join(sorted(LISTS))))
    return LISTS[name](client, user)
