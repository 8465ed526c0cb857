# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The files an import reads, one row at a time: an export of this collection (CSV or JSON Lines), another
provider's CSV (the address column named, or found among the usual names), JSON Lines, or one address a line.
Each bad line (not UTF-8, not CSV or JSON, no address, an address without @) is told with its number to
`on_problem`, which refuses it or counts it."""

from __future__ import annotations

import csv
import json

from ansible_collections.mailops.sendgrid.plugins.module_utils.catalogue import list_names
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import OptionError
from ansible_collections.mailops.sendgrid.plugins.module_utils.opt_out_files import EXPORT_FIELDS, undefused

# The address column's usual names, in the order they are looked for (then the same, ignoring case).
ADDRESS_COLUMNS = ('email', 'Email', 'Email Address', 'address', 'EmailAddress', 'recipient')
SOURCE_FORMATS = ('auto', 'csv', 'jsonl', 'lines')
# The columns of an export that say where a row was; a file without them holds opt-outs of no list.
_WHERE = ('list', 'user', 'group_id', 'group_name', 'group_description', 'created')
_LISTS = frozenset(list_names())


class SourceError(OptionError):
    """A line of `src` that cannot be read; the text names the line."""


class Row:
    """One address of the source, with the line it was on and, from an export, where it was listed."""

    __slots__ = ('line', 'email') + _WHERE

    def __init__(self, line, email, **where):
        self.line, self.email = line, email
        for name in _WHERE:
            setattr(self, name, where.get(name) or None)


class _Lines:
    """The file's lines as text, numbered; a line that is not UTF-8 is told and read as empty."""

    def __init__(self, handle, on_problem):
        self._handle, self._on_problem, self.number = handle, on_problem, 0

    def __iter__(self):
        for raw in self._handle:
            self.number += 1
            try:
                text = raw.decode('utf-8-sig' if self.number == 1 else 'utf-8')
            except UnicodeDecodeError as exc:
                self._on_problem(self.number, 'is not UTF-8 text (%s)' % exc.reason)
                text = '\n'
            yield text


def read_source(path, on_problem, column=None, src_format='auto'):
    """Every Row of the file at `path`, as it is read."""
    with open(path, 'rb') as handle:
        lines = _Lines(handle, on_problem)
        chosen, first = _detect(lines, column, src_format, on_problem)
        if chosen == 'jsonl':
            yield from _json_rows(lines, first, column, on_problem)
        elif chosen == 'csv':
            yield from _csv_rows(lines, first, column, on_problem)
        else:
            yield from _plain_rows(lines, first, on_problem)


def _detect(lines, column, src_format, on_problem):
    """(format, first line that is not blank): the format asked, or the one the first line shows."""
    iterator = iter(lines)
    first = next((text for text in iterator if text.strip()), None)
    if first is None or src_format != 'auto':
        return src_format if src_format != 'auto' else 'lines', first
    if first.lstrip().startswith('{'):
        return 'jsonl', first
    cells = next(csv.reader([first]), [])
    if column is not None or _address_column(cells) is not None or len(cells) > 1:
        return 'csv', first
    return 'lines', first


def _address_column(names, column=None):
    """The address column of a header: `column` when given, else the first usual name, else None."""
    if column is not None:
        return column if column in names else None
    for wanted in ADDRESS_COLUMNS:
        if wanted in names:
            return wanted
    folded = {name.strip().lower(): name for name in names}
    return next((folded[w.lower()] for w in ADDRESS_COLUMNS if w.lower() in folded), None)


def address_problem(email):
    """What is wrong with `email` as an address to add, or None (SendGrid's own syntax is not second-guessed)."""
    if not isinstance(email, str) or not email.strip():
        return 'has no address'
    if '@' not in email:
        return 'has %r, an address without @' % email
    return None


def _row(line, email, where, on_problem):
    problem = address_problem(email)
    if problem is None and where.get('list') and where['list'] not in _LISTS:
        problem = 'names the list %r, which is none of %s' % (where['list'], ', '.join(sorted(_LISTS)))
    if problem is None and where.get('list') == 'group_unsubscribes' and not (
            where.get('group_name') or where.get('group_id')):
        problem = 'is a group unsubscribe of no group (neither group_name nor group_id)'
    if problem:
        on_problem(line, problem)
        return None
    return Row(line, email.strip(), **where)


def _csv_rows(lines, first, column, on_problem):
    reader = csv.reader(_chain(first, lines))
    try:
        header = next(reader, None)
        if header is None:
            return
        name = _address_column(header, column)
        if name is None:
            raise SourceError('src line %d: no address column%s; the header has %s: name it with column' % (
                lines.number, ' %r' % column if column else ' (%s)' % ', '.join(ADDRESS_COLUMNS), ', '.join(header)))
        export = set(EXPORT_FIELDS) <= set(header)
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                on_problem(lines.number, 'has %d cells, the header %d' % (len(cells), len(header)))
                continue
            values = dict(zip(header, map(undefused, cells)))
            where = {key: values[key] for key in _WHERE} if export else {}
            found = _row(lines.number, values[name], where, on_problem)
            if found:
                yield found
    except csv.Error as exc:
        raise SourceError('src line %d: not CSV: %s' % (lines.number, exc)) from None


def _json_rows(lines, first, column, on_problem):
    for text in _chain(first, lines):
        if not text.strip():
            continue
        try:
            values = json.loads(text)
        except ValueError as exc:
            on_problem(lines.number, 'is not JSON: %s' % exc)
            continue
        if not isinstance(values, dict):
            on_problem(lines.number, 'is not a JSON object')
            continue
        name = _address_column(list(values), column) or column or 'email'
        where = {key: values.get(key) for key in _WHERE}
        found = _row(lines.number, values.get(name), where, on_problem)
        if found:
            yield found


def _plain_rows(lines, first, on_problem):
    for text in _chain(first, lines):
        if text.strip():
            found = _row(lines.number, text.strip(), {}, on_problem)
            if found:
                yield found


def _chain(first, lines):
    if first is not None:
        yield first
        yield from lines
