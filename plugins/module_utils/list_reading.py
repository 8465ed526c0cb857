# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How a list is read, owned by the lists: the filters a read takes (a time window, paging, one address), validated
once and sent to the API where it can apply them, and the address key that matches two spellings of one address.
The selection (selection.py) is built on them."""

from __future__ import annotations

import datetime
import re

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import OptionError

DATE_FORMAT = '%Y-%m-%d'
TIMESTAMP_FORMAT = '%Y-%m-%d %H:%M:%S'
# The time window a selection takes, and with paging and one address every filter of a read.
WINDOW_NAMES = ('days', 'start_date', 'end_date')
FILTER_NAMES = WINDOW_NAMES + ('limit', 'offset', 'email')
_INTEGER = re.compile(r'^\s*[+-]?\d+\s*$')
_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
MAX_DAYS = 36500
# SendGrid compares addresses ignoring the case of ASCII letters only: str.lower() would also fold the KELVIN SIGN
# into "k" or the dotted capital I into "i", and match an address the service treats as another.
_ASCII_FOLD = {code: code + 32 for code in range(ord('A'), ord('Z') + 1)}


def address_key(email):
    """The form under which SendGrid treats two spellings of an address as one: ASCII letters folded, no more.
    An address without capitals is its own key, the same string: sets of keys then cost no second copy."""
    return email if email.islower() else email.translate(_ASCII_FOLD)


class FilterError(OptionError):
    """A filter value that breaks a rule; the text names the option and the rule."""


def today():
    """Today in UTC: the day SendGrid's `days` counts back from."""
    return datetime.datetime.now(datetime.timezone.utc).date()


def _integer(name, value, minimum, rule, maximum=None):
    if value is None or value == '':
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or \
            (isinstance(value, str) and not _INTEGER.match(value)):
        raise FilterError('%s must be %s, got %r' % (name, rule, value))
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        raise FilterError('%s must be %s, got %r' % (name, rule, value))
    return number


def _date(name, value):
    if value is None or value == '':
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        raise FilterError('%s must be a date in YYYY-MM-DD format, got %r' % (name, value))
    try:
        return datetime.datetime.strptime(value.strip(), DATE_FORMAT).date()
    except ValueError:
        raise FilterError('%s must be a real date in YYYY-MM-DD format, got %r' % (name, value)) from None


class Filters:
    """Validated filters. `since`/`until` are the inclusive day range that `days` or the dates select."""

    def __init__(self, days=None, start_date=None, end_date=None, limit=None, offset=None, email=None, times=False):
        self.days = _integer('days', days, 1, 'an integer from 1 to %d' % MAX_DAYS, MAX_DAYS)
        self.start_date = _date('start_date', start_date)
        self.end_date = _date('end_date', end_date)
        if self.days is not None and (self.start_date or self.end_date):
            raise FilterError('days cannot be combined with start_date or end_date: use one or the other')
        if self.start_date and self.end_date and self.start_date >= self.end_date:
            raise FilterError('start_date (%s) must be earlier than end_date (%s)' % (self.start_date, self.end_date))
        self.limit = _integer('limit', limit, 0, 'an integer of 0 or more')
        self.offset = _integer('offset', offset, 0, 'an integer of 0 or more') or 0
        if email is not None and (not isinstance(email, str) or not email.strip()):
            raise FilterError('email must be a non-empty string, got %r' % (email,))
        self.email = email
        # Records must carry `created`, even where a list can be read faster without (group unsubscribes).
        self._times = bool(times)

    @property
    def times(self):
        return self._times or self.since is not None or self.until is not None

    @classmethod
    def from_options(cls, options):
        """Filters from a mapping of option names (module params, lookup kwargs); other keys are ignored."""
        return cls(**{name: options.get(name) for name in FILTER_NAMES})

    @property
    def since(self):
        if self.days is not None:
            return today() - datetime.timedelta(days=self.days - 1)
        return self.start_date

    @property
    def until(self):
        return self.end_date

    @property
    def has_window(self):
        return self.limit is not None or self.offset > 0

    def date_params(self):
        return {name: value.strftime(DATE_FORMAT) for name, value in
                (('start_date', self.start_date), ('end_date', self.end_date)) if value is not None}

    def matches(self, record):
        """Apply email and date filters to one record client-side, with the server's meaning."""
        if self.email is not None and address_key(record.get('email', '')) != address_key(self.email):
            return False
        since, until = self.since, self.until
        if since is None and until is None:
            return True
        created = parse_created(record.get('created'))
        if created is None:
            return False
        return (since is None or created.date() >= since) and (until is None or created.date() <= until)

    def narrowed(self, records):
        """The records that match, windowed; the iterator itself when no filter applies, so that an unfiltered
        list of a million takes no step per record here."""
        if self.email is not None or self.since is not None or self.until is not None:
            records = (record for record in records if self.matches(record))
        return self.window(records) if self.has_window else records

    def window(self, records):
        """Apply offset and limit to an iterator of records that already match."""
        skipped = 0
        taken = 0
        for record in records:
            if skipped < self.offset:
                skipped += 1
                continue
            if self.limit is not None and taken >= self.limit:
                return
            taken += 1
            yield record

    def without_window(self):
        """The same filters without limit/offset, for callers that select further before windowing."""
        values = self.as_dict()
        values.update(limit=None, offset=None)
        return Filters(**values)

    def as_dict(self):
        return {
            'days': self.days,
            'start_date': self.start_date.strftime(DATE_FORMAT) if self.start_date else None,
            'end_date': self.end_date.strftime(DATE_FORMAT) if self.end_date else None,
            'limit': self.limit,
            'offset': self.offset,
            'email': self.email,
        }


def parse_created(value):
    """The MySQL timestamp SendGrid returns (`YYYY-MM-DD HH:MM:SS`) as a datetime, or None."""
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, TIMESTAMP_FORMAT)
    except (TypeError, ValueError):
        return None
