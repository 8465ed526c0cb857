# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the cleanup selected on one list, kept small: the selected records go to a private temporary file as they
are read, and memory holds only their addresses and, for the held-back rule, the records left out per address. A
purge of 100,000 records so keeps a few megabytes, not the records."""

from __future__ import annotations

import json
import tempfile
from collections import Counter

from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import (
    Filters, address_key, are_records, listed_key, query_records, select)

RECORD_FIELDS = ('email', 'status', 'reason', 'created')
# Small spools stay in memory (a fleet of many small lists opens no file each); large ones move to disk.
SPOOL_IN_MEMORY = 1024 * 1024


class _Counted:
    """The list, its records counted into the selection's `read` as they are read."""

    def __init__(self, suppression_list, selection):
        self._list, self._selection = suppression_list, selection

    def __getattr__(self, name):
        return getattr(self._list, name)

    def list(self, filters=None):
        for record in self._list.list(filters):
            self._selection.read += 1
            yield record


class QueryError(ValueError):
    """A query that does not return records."""


class ListSelection:
    """One list's selected records: spooled, with their addresses in memory; `unselected` counts per listed_key
    the records of the list the selection left out."""

    def __init__(self, suppression_list):
        self.list, self.user, self.group = suppression_list.name, suppression_list.user, suppression_list.group
        self._group_id = suppression_list.group_id
        self.emails, self.unselected = [], Counter()
        self.read = 0           # records read so far, for the progress lines
        self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode='w+', encoding='utf-8')

    def add(self, record):
        self._spool.write(json.dumps([record.get(name) for name in RECORD_FIELDS]) + '\n')
        self.emails.append(record['email'])

    def unselected_of(self, email):
        """How many records of this address, on this list, the selection left out (above 0: held back)."""
        if not self.unselected:
            return 0
        return self.unselected.get(listed_key(self.list, self.user, {'email': email, 'group_id': self._group_id}), 0)

    def records(self):
        """The selected records, each with `unselected_records`, read back in the order they were selected."""
        self._spool.seek(0)
        for line in self._spool:
            record = dict(zip(RECORD_FIELDS, json.loads(line)))
            record['unselected_records'] = self.unselected_of(record['email'])
            yield record

    @property
    def selected(self):
        """How many records are selected and not held back."""
        return sum(1 for email in self.emails if not self.unselected_of(email))

    def deletable(self):
        """The addresses to delete, one spelling per address, held-back ones left out."""
        seen, addresses = set(), []
        for email in self.emails:
            key = address_key(email)
            if key not in seen and not self.unselected_of(email):
                seen.add(key)
                addresses.append(email)
        return addresses

    def close(self):
        self._spool.close()


def read_selection(suppression_list, filters, selectors, query=None):
    """One list read once and selected, the held-back rule applied; with a JMESPath `query`, the selection is
    held in memory for it, since a query sees every record at once."""
    selection = ListSelection(suppression_list)
    chosen = select(_Counted(suppression_list, selection), filters, selectors, selection.unselected)
    if query is None:
        for record in chosen:
            selection.add(record)
        return selection
    matched = [dict(record, list=suppression_list.name, user=suppression_list.user) for record in chosen]
    kept = query_records(query, matched)
    if not are_records(kept):
        raise QueryError('query must return records (dictionaries with an email), for example '
                         '"[?contains(email, \'test\')]"')
    # What the query dropped is left out as well: an address it split is held back.
    selection.unselected.update(Counter(_key(record) for record in matched) - Counter(_key(record) for record in kept))
    for record in kept:
        selection.add(record)
    return selection


def _key(record):
    return listed_key(record['list'], record.get('user'), record)


def read_planned(suppression_list, addresses, filters, selectors):
    """A plan's entry against the list as it is now, read once: the planned addresses still listed are the
    selection; the drift is the planned addresses gone and the new matches the plan does not hold."""
    selection = ListSelection(suppression_list)
    wanted = {address_key(email) for email in addresses}
    present, new = set(), set()
    for record in _Counted(suppression_list, selection).list(Filters(times=True)):
        key = address_key(record['email'])
        if key in wanted:
            if key not in present:
                present.add(key)
                selection.add(record)
        elif filters.matches(record) and selectors.matches(record):
            new.add(record['email'])
    drift = {'list': selection.list, 'user': selection.user, 'group': selection.group,
             'gone': sorted(email for email in addresses if address_key(email) not in present),
             'new_matches_left': sorted(new)}
    return selection, drift
