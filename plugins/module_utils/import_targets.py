# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where each row of an import goes: the opt-out lists it may be written to (the global unsubscribes, or a group's)
of the account, the task's user or the row's own user; rows of delivery lists counted, never written; spam reports
written as global unsubscribes only when asked. Each target keeps its addresses once, in the order first read."""

from __future__ import annotations

from collections import Counter

from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import address_key

GLOBAL = 'unsubscribes'
GROUP = 'group_unsubscribes'
SPAM = 'spam_reports'
# How many addresses of each target a result shows, and how many invalid lines.
SHOWN = 10


class Target:
    """One list to add to: global (group None) or a group, named by the task (id or name) or by the rows (their
    group's name, with its description for create_groups)."""

    def __init__(self, user, group=None, description=None, from_rows=False):
        self.user, self.group, self.description, self.from_rows = user, group, description, from_rows
        self.addresses = {}             # address key -> (email as first spelled, the source's created, line)
        self.rows = 0
        self.group_id = None
        self.create = False             # the group is created by a real run (create_groups)
        self.missing = []               # the addresses the list does not hold, in the order read
        self.added = []                 # of those, the ones a real run added

    @property
    def list(self):
        return GLOBAL if self.group is None else GROUP

    def add(self, row):
        self.rows += 1
        key = address_key(row.email)
        if key not in self.addresses:
            self.addresses[key] = (row.email, row.created, row.line)

    def entry(self, dry_run):
        """The target in a result: where, how many rows, already listed, added (or to add), the first of them."""
        done = self.missing if dry_run else self.added
        return {'list': self.list, 'user': self.user, 'group': self.group, 'group_id': self.group_id,
                'created_group': self.create, 'rows': self.rows, 'addresses': len(self.addresses),
                'already_listed': len(self.addresses) - len(self.missing),
                ('to_add' if dry_run else 'added'): len(done), 'first': [email for email, dummy in done[:SHOWN]]}


class Routing:
    """The rows sorted to their targets; `delivery` counts the rows of lists never written, per list."""

    def __init__(self, user=None, each_row_user=False, group=None, spam_reports_as='skip'):
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
        elif name == GROUP:
            group = row.group_name or row.group_id
            self._target(user, str(group) if group is not None else None, row.group_description, True).add(row)
        else:
            self._target(user, None).add(row)

    def _target(self, user, group, description=None, from_rows=False):
        key = (user, None if group is None else str(group))
        if key not in self.targets:
            self.targets[key] = Target(user, group, description, from_rows)
        return self.targets[key]
