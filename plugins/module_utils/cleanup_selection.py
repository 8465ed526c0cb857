# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the cleanup selected on one list, kept out of memory: the selected records go to the run's SelectionStore (a
private SQLite file) as they are read, and memory holds only, for the held-back rule, the records left out per
address. One spelling per address, the held-back addresses and the outcomes are the store's answers."""

from __future__ import annotations

from collections import Counter

from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters, address_key
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import (
    are_records, dropped_by_query, query_records, select)
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import STORED_FIELDS
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection_store import SelectionStore

RECORD_FIELDS = ('email', 'status', 'reason', 'created')
# Rows written to the store at once, and how often the progress counters are told.
BATCH = 1000


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
    """One list's selected records, in the store; `unselected` counts per listed_key the records of the list the
    selection left out. finish() once every record is added."""

    def __init__(self, suppression_list, store=None, progress=None):
        self.list, self.user, self.group = suppression_list.name, suppression_list.user, suppression_list.group
        self._list = suppression_list
        self._own_store = store is None
        self.store = store or SelectionStore()
        self.id = self.store.new_list()
        self.unselected = Counter()
        self.read = 0           # records read so far, for the progress lines
        self.added = 0
        self._progress, self._told = progress, [0, 0]
        self._rows = []
        self._selected = None

    @property
    def group_id(self):
        """The group's id, once the list has looked a group named by its name up (when it is read)."""
        return self._list.group_id

    def add(self, record):
        email = record['email']
        self._rows.append((self.id, self.added, email, address_key(email), record.get('status'),
                           record.get('reason'), record.get('created')))
        self.added += 1
        if len(self._rows) >= BATCH:
            self._flush()

    def _flush(self):
        if self._rows:
            self.store.insert('records', self._rows)
            self._rows = []
        if self._progress is not None:
            self._progress.records_read(self.read - self._told[0], self.added - self._told[1])
            self._told = [self.read, self.added]

    def finish(self):
        """Every record is in: the addresses held back (selected records whose address has records left out)."""
        self._flush()
        held = [(self.id, key[3], count) for key, count in self.unselected.items()
                if key[:3] == (self.list, self.user, self.group_id)]
        for start in range(0, len(held), BATCH):
            self.store.insert('held', held[start:start + BATCH])
        self.store.ready()
        return self

    def records(self):
        """The selected records, each with `unselected_records` and, once the outcomes are in, `outcome` and
        `error`, read back in the order they were selected."""
        for row in self.stored():
            yield dict(zip(STORED_FIELDS, row))

    def stored(self):
        """records(), each a tuple of STORED_FIELDS."""
        return self.store.rows(
            'SELECT r.email, r.status, r.reason, r.created, COALESCE(h.unselected, 0), o.outcome, o.error '
            'FROM records r LEFT JOIN held h ON h.list = r.list AND h.key = r.key '
            'LEFT JOIN outcomes o ON o.list = r.list AND o.key = r.key WHERE r.list = ? ORDER BY r.seq', (self.id,))

    @property
    def selected(self):
        """How many records are selected and not held back."""
        if self._selected is None:
            self._selected = self.store.value(
                'SELECT COUNT(*) FROM records r WHERE r.list = ? AND NOT EXISTS '
                '(SELECT 1 FROM held h WHERE h.list = r.list AND h.key = r.key)', (self.id,))
        return self._selected

    @property
    def addresses(self):
        """How many addresses deletable() yields (one for the records of an address in two spellings)."""
        return self.store.value(
            'SELECT COUNT(DISTINCT key) FROM records r WHERE r.list = ? AND NOT EXISTS '
            '(SELECT 1 FROM held h WHERE h.list = r.list AND h.key = r.key)', (self.id,))

    def deletable(self):
        """The addresses to delete, one spelling per address (the first selected), held-back ones left out, in the
        order they were selected; read from the store as they are used."""
        for row in self.store.rows(
                'SELECT email, MIN(seq) AS first FROM records r WHERE r.list = ? AND NOT EXISTS '
                '(SELECT 1 FROM held h WHERE h.list = r.list AND h.key = r.key) GROUP BY key ORDER BY first',
                (self.id,)):
            yield row[0]

    def set_outcomes(self, outcomes):
        """(address key, outcome, error) of the addresses not deleted; every other deletable address was."""
        rows = [(self.id, key, outcome, error) for key, outcome, error in outcomes]
        for start in range(0, len(rows), BATCH):
            self.store.insert('outcomes', rows[start:start + BATCH])

    def close(self):
        if self._own_store:
            self.store.close()


def read_selection(suppression_list, filters, selectors, query=None, store=None, progress=None):
    """One list read once and selected, the held-back rule applied; with a JMESPath `query`, the selection is
    held in memory for it, since a query sees every record at once."""
    selection = ListSelection(suppression_list, store, progress)
    chosen = select(_Counted(suppression_list, selection), filters, selectors, selection.unselected)
    if query is None:
        for record in chosen:
            selection.add(record)
        return selection.finish()
    matched = [dict(record, list=suppression_list.name, user=suppression_list.user) for record in chosen]
    kept = query_records(query, matched)
    if not are_records(kept):
        raise QueryError('query must return records (dictionaries with an email), for example '
                         '"[?contains(email, \'test\')]"')
    selection.unselected.update(dropped_by_query(matched, kept))
    for record in kept:
        selection.add(record)
    return selection.finish()


def read_planned(suppression_list, addresses, filters, selectors, store=None, progress=None):
    """A plan's entry against the list as it is now, read once: the planned addresses still listed are the
    selection; the drift is the planned addresses gone and the new matches the plan does not hold."""
    selection = ListSelection(suppression_list, store, progress)
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
    return selection.finish(), drift
