# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Web API v2 suppression lists (the seeds' endpoint families), one class each, over client_v2."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import is_not_listed
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import (
    DELETED, MAX_RECORDS, NOT_LISTED, PAGE_SIZE, SuppressionListBase, check_advance, check_paging_depth,
    records_problem, shared_string)
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters

RECORDS = 'records'
COUNT = 'count'
SUCCESS = 'success'


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


class SuppressionList(SuppressionListBase):
    """A v2 suppression list of one account, customer or subuser."""

    endpoint = ''
    base_params = {}
    needs_user = False

    def __init__(self, client, user=None):
        if self.needs_user and not user:
            raise SendGridError('user is required for the list %s (%s)' % (self.name, self.description))
        super().__init__(client, user if self.needs_user else None)

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
            super().delete_all()
        self._call(dict(self.base_params, task='delete'))

    def record(self, raw):
        record = {'email': raw.get('email', '')}
        # A server that echoes the credential into a reason gets it masked, as in any error.
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


def _batches(items, size):
    items = list(items)
    return [items[i:i + size] for i in range(0, len(items), size)]
