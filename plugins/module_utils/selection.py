# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one place a record is selected or held back: the selectors (validated once, applied the same on every list
and version), the selection of a list's records read through its filters (list_reading.py), and the held-back
rule."""

from __future__ import annotations

import re
from collections import Counter

from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import FilterError, Filters, address_key


class Selectors:
    """Record selectors applied client-side on any list: a reason regular expression (searched), a bounce status
    prefix, email domains and an explicit address list, all compared case-insensitively where text is an address."""

    def __init__(self, reason=None, status=None, domains=None, emails=None):
        self.reason = None
        if reason not in (None, ''):
            try:
                self.reason = re.compile(reason)
            except (re.error, TypeError) as exc:
                raise FilterError('reason must be a valid regular expression, got %r: %s' % (reason, exc)) from None
        if status is not None and (not isinstance(status, str) or not status.strip()):
            raise FilterError('status must be a non-empty status prefix such as "5." or "5.1.1", got %r' % (status,))
        self.status = status.strip() if status else None
        self.domains = _lowered_set('domains', domains, strip='@')
        self.emails = _lowered_set('emails', emails)

    @classmethod
    def from_options(cls, options):
        return cls(**{name: options.get(name) for name in SELECTOR_NAMES})

    @property
    def active(self):
        return any(v is not None for v in (self.reason, self.status, self.domains, self.emails))

    def matches(self, record):
        email = address_key(record.get('email') or '')
        if self.emails is not None and email not in self.emails:
            return False
        if self.domains is not None and email.rpartition('@')[2] not in self.domains:
            return False
        if self.status is not None and not (record.get('status') or '').startswith(self.status):
            return False
        if self.reason is not None and not self.reason.search(record.get('reason') or ''):
            return False
        return True


SELECTOR_NAMES = ('reason', 'status', 'domains', 'emails')


def _lowered_set(name, values, strip=''):
    if values is None:
        return None
    if isinstance(values, str) or not isinstance(values, (list, tuple, set)):
        raise FilterError('%s must be a list of strings, got %r' % (name, values))
    result = set()
    for index, value in enumerate(values):
        if not isinstance(value, str) or not value.strip(strip + ' '):
            raise FilterError('%s[%d] must be a non-empty string, got %r' % (name, index, value))
        result.add(address_key(value.strip().lstrip(strip)))
    return result


# ---- the selection of a list's records, and the addresses held back -------------------------------------------

def select(suppression_list, filters, selectors, unselected=None):
    """The list's records that pass the filters and the selectors; limit/offset apply to that selection.

    With `unselected` (a Counter), the list is read whole and each record the selection leaves out is counted
    there under listed_key, so that flag_shared can tell which selected addresses also have records left out.
    Records are yielded as they are read either way: a large list is never held here."""
    if unselected is not None:
        return _select_counting(suppression_list, filters, selectors, unselected)
    if not selectors.active:
        return suppression_list.list(filters)
    matching = (r for r in suppression_list.list(filters.without_window()) if selectors.matches(r))
    return filters.window(matching)


def _select_counting(suppression_list, filters, selectors, unselected):
    end = None if filters.limit is None else filters.offset + filters.limit
    position = 0
    for record in suppression_list.list(Filters(times=filters.times)):
        if filters.matches(record) and selectors.matches(record):
            position += 1
            if filters.offset < position and (end is None or position <= end):
                yield record
                continue
        unselected[listed_key(suppression_list.name, suppression_list.user, record)] += 1


def count_selected(suppression_list, filters, selectors):
    """How many records select() would give, from the list's count where no selector needs the records."""
    if not selectors.active:
        return suppression_list.count(filters)
    return sum(1 for dummy in select(suppression_list, filters, selectors))


def listed_key(list_name, user, record):
    """What SendGrid deletes at once: one address (ASCII case folded) of one list, user and group."""
    return (list_name, user, record.get('group_id'), address_key(record['email']))


def record_key(record):
    """listed_key of a record that carries its `list` and `user`."""
    return listed_key(record['list'], record.get('user'), record)


def dropped_by_query(chosen_from, kept):
    """The records a query dropped from `chosen_from` (it kept `kept`), counted per listed_key: they are left out
    of the selection like those a selector left out, so an address a query split is held back too."""
    return Counter(record_key(r) for r in chosen_from) - Counter(record_key(r) for r in kept)


def flag_shared(records, unselected, chosen_from=None):
    """Each selected record with `unselected_records`: the records of its address the selection leaves out, as
    select() counted them, and those a query dropped from `chosen_from`. SendGrid deletes by address, so an
    address with unselected records is held back, never deleted."""
    if chosen_from is not None:
        unselected = unselected + dropped_by_query(chosen_from, records)
    return [dict(record, unselected_records=unselected[record_key(record)]) for record in records]


def query_records(expression, records):
    """What a compiled JMESPath `expression` keeps of `records`, as a list: null, what a filter projection yields
    when nothing matched, is no record, never a record of null."""
    result = expression.search(records)
    return [] if result is None else result if isinstance(result, list) else [result]


def are_records(values):
    """Whether a query returned records (dictionaries with an email and their list), as flag_shared needs."""
    return all(isinstance(r, dict) and isinstance(r.get('email'), str) and 'list' in r for r in values)
