# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where each row of an import goes: the opt-out lists it may be written to (the global unsubscribes, or a group's)
of the account, the task's user or the row's own user; rows of delivery lists counted, never written; spam reports
written as global unsubscribes only when asked. Each target keeps its addresses once, in the order first read."""

from __future__ import annotations

import threading
from collections import Counter
from itertools import islice

from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import address_key
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection_store import SelectionStore

GLOBAL = 'unsubscribes'
GROUP = 'group_unsubscribes'
SPAM = 'spam_reports'
# How many addresses of each target a result shows, and how many invalid lines.
SHOWN = 10
# Rows sent to the store at once.
BATCH = 1000
# The rows of each target (the first spelling of each address), and the addresses each target list holds: a private
# SQLite file, so that a million rows cost the controller a few megabytes, not a dictionary of a million strings.
SCHEMA = '''
CREATE TABLE rows (target INTEGER, key TEXT, email TEXT, created TEXT, line INTEGER, PRIMARY KEY (target, key));
CREATE TABLE listed (target INTEGER, key TEXT, PRIMARY KEY (target, key));
CREATE TABLE invalid (line INTEGER, problem TEXT);
'''
_MISSING = ('FROM rows r WHERE r.target = ? AND NOT EXISTS '
            '(SELECT 1 FROM listed l WHERE l.target = r.target AND l.key = r.key)')


def open_store():
    return SelectionStore(SCHEMA, None, prefix='mailops-import-')


class Target:
    """One list to add to: global (group None) or a group, named by the task (id or name) or by the rows (their
    group's name, with its description for create_groups). Its rows and listed addresses are in the store."""

    def __init__(self, store, user, group=None, description=None, from_rows=False):
        self.user, self.group, self.description, self.from_rows = user, group, description, from_rows
        self.store, self.id = store, store.new_list()
        self.rows = 0
        self.group_id = None
        self.create = False             # the group is created by a real run (create_groups)
        self.addresses = self.missing = 0
        # A real run sends the first `sent` missing addresses, batch_size a request, several at once; `added` counts
        # those of the batches SendGrid accepted (their numbers in _accepted).
        self.sent = self.added = 0
        self.batch_size = 1
        self._accepted, self._lock = set(), threading.Lock()
        self._pending, self._listed = [], []

    @property
    def list(self):
        return GLOBAL if self.group is None else GROUP

    def add(self, row):
        self.rows += 1
        self._pending.append((self.id, address_key(row.email), row.email, row.created, row.line))
        if len(self._pending) >= BATCH:
            self._flush()

    def listed(self, email):
        """An address the target list holds already."""
        self._listed.append((self.id, address_key(email)))
        if len(self._listed) >= BATCH:
            self._flush()

    def _flush(self):
        for table, rows in (('rows', self._pending), ('listed', self._listed)):
            if rows:
                self.store.insert(table, rows)
        self._pending, self._listed = [], []

    def count(self):
        """Count the distinct addresses and those the list lacks, once every row and listed address is in."""
        self._flush()
        self.addresses = self.store.value('SELECT COUNT(*) FROM rows WHERE target = ?', (self.id,))
        self.missing = self.store.value('SELECT COUNT(*) ' + _MISSING, (self.id,))

    def missing_rows(self, limit=None):
        """(email, created, line) of the addresses the list lacks, in the order first read."""
        rows = self.store.rows('SELECT email, created, line ' + _MISSING + ' ORDER BY r.rowid', (self.id,))
        return islice(rows, limit) if limit is not None else rows

    def batches(self, batch_size):
        """(number, addresses) of the missing addresses, batch_size each, counted as sent as they are handed out."""
        self.batch_size, batch = batch_size, []
        for email, dummy, dummy2 in self.missing_rows():
            batch.append(email)
            if len(batch) == batch_size:
                self.sent += len(batch)
                yield self.sent // batch_size - 1, batch
                batch = []
        if batch:
            self.sent += len(batch)
            yield self.sent // batch_size, batch

    def accepted(self, number, size):
        """SendGrid accepted batch `number` of `size` addresses (called from the adding threads)."""
        with self._lock:
            self._accepted.add(number)
            self.added += size

    def outcomes(self, dry_run):
        """(email, source's created, line, outcome) of each address to add (check mode: all the missing ones,
        `to_add`) or sent: `added`, or `unknown` where its request failed (it may or may not have been added)."""
        if dry_run:
            for row in self.missing_rows():
                yield row + ('to_add',)
            return
        for index, row in enumerate(self.missing_rows(self.sent)):
            yield row + ('added' if index // self.batch_size in self._accepted else 'unknown',)

    def entry(self, dry_run):
        """The target in a result: where, how many rows, already listed, added (or to add), the first of them."""
        shown = (row[0] for row in self.outcomes(dry_run) if row[3] != 'unknown')
        return {'list': self.list, 'user': self.user, 'group': self.group, 'group_id': self.group_id,
                'created_group': self.create, 'rows': self.rows, 'addresses': self.addresses,
                'already_listed': self.addresses - self.missing,
                ('to_add' if dry_run else 'added'): self.missing if dry_run else self.added,
                'first': list(islice(shown, SHOWN))}


class Routing:
    """The rows sorted to their targets; `delivery` counts the rows of lists never written, per list."""

    def __init__(self, store, user=None, each_row_user=False, group=None, spam_reports_as='skip'):
        self._store = store
        self._user, self._each_row_user, self._group = user, each_row_user, group
        self._spam_as_unsubscribes = spam_reports_as == 'unsubscribes'
        self.targets = {}
        self.delivery = Counter()
        self.spam_reports_skipped = 0
        self.rows = 0
        self._opt_outs = frozenset(kind.name for kind in catalogue.CATALOGUE if kind.consent)

    def add(self, row):
        self.rows += 1
        name = row.list or GLOBAL
        if name == SPAM and not self._spam_as_unsubscribes:
            self.spam_reports_skipped += 1
            return
        if name not in self._opt_outs:
            self.delivery[name] += 1
            return
        user = row.user if self._each_row_user else self._user
        if name == SPAM:
            self._target(user, None).add(row)
        elif self._group is not None:
            self._target(user, self._group).add(row)
        elif name == GROUP and row.group_name:
            self._target(user, row.group_name, row.group_description, True).add(row)
        elif name == GROUP and row.group_id:
            # A row that names its group by id only: the same id at the target, as a task's group is found.
            self._target(user, row.group_id).add(row)
        else:
            self._target(user, None).add(row)

    def _target(self, user, group, description=None, from_rows=False):
        key = (user, None if group is None else str(group))
        if key not in self.targets:
            self.targets[key] = Target(self._store, user, group, description, from_rows)
        return self.targets[key]
