# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The declared list interface every backend answers, and the paging guards both versions share.

What a list can do is declared (class attributes), never probed: the plan asks `can_add`, `supports_delete_all` and
`delete_batch_size`. Bulk operations default to their single form, so a list that has no bulk endpoint still
answers `delete_many`."""

from __future__ import annotations

import abc
import sys

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError

PAGE_SIZE = 500
# More records than any one SendGrid list holds: a count or a paging run beyond it is a server gone wrong.
MAX_RECORDS = 10 ** 7
DEPTH_REASON = 'the server does not page as documented'
DELETED = 'deleted'
NOT_LISTED = 'not_listed'
ADDED = 'added'


class SuppressionListBase(abc.ABC):
    """One suppression list of the account, or of the customer or subuser `user`."""

    name = ''
    description = ''
    has_status = False
    # Capabilities, declared by each list.
    supports_delete_all = False
    can_add = False
    # Addresses one add request carries, on the lists that can add.
    batch_size = 1
    # The unsubscribe group of a group list, as asked (an id or a name) and once resolved; None on every other list.
    group = None
    group_id = None
    group_name = None
    group_description = None
    # Paging stops past this many records (a lookup lowers it to its max_records, saying why in depth_reason).
    max_records = MAX_RECORDS
    depth_reason = DEPTH_REASON

    def __init__(self, client, user=None):
        self.client = client
        self.user = user or None

    @abc.abstractmethod
    def list(self, filters=None):
        """Every record that passes `filters`, oldest first, read page by page."""

    @abc.abstractmethod
    def delete(self, email):
        """DELETED, or NOT_LISTED when the service says the address is not listed."""

    def count(self, filters=None):
        return sum(1 for dummy in self.list(filters))

    @property
    def delete_batch_size(self):
        """Addresses one delete request carries: 1 unless the list has bulk deletes."""
        return 1

    def delete_many(self, emails):
        """DELETED or NOT_LISTED for each address; one request each unless the list has bulk deletes."""
        return [self.delete(email) for email in emails]

    def delete_all(self):
        raise SendGridError('the API has no delete-all for this list', list_name=self.name, user=self.user)

    def add_many(self, emails):
        raise SendGridError('the API cannot add to this list: SendGrid adds its records only through mail delivery',
                            list_name=self.name, user=self.user)

    def __repr__(self):
        return '%s(user=%r)' % (type(self).__name__, self.user)


def records_problem(body, what='record', key='email', meaning='address'):
    """What is wrong with a page that should be a list of `what`s, each with a non-blank string `key`; or None."""
    if not isinstance(body, list):
        return 'a list of %ss was expected' % what
    for index, record in enumerate(body):
        if not isinstance(record, dict) or not isinstance(record.get(key), str) or not record[key].strip():
            return '%s %d has no %s (a string "%s")' % (what, index, meaning, key)
    return None


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


def shared_string(value):
    """Reasons and statuses repeat across a list: one shared string each keeps a 100,000-record read small."""
    return sys.intern(value) if isinstance(value, str) else value
