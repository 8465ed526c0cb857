# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cleanup's report: each selected record with its outcome, counts per list, written as JSON and CSV while
its rows are made, so a report of 100,000 records never sits in memory whole."""

from __future__ import annotations

import csv
import io
import json
import operator
from collections import Counter

from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import address_key

CSV_FIELDS = ('list', 'user', 'group', 'email', 'status', 'reason', 'created', 'outcome', 'error')
RECORD_FIELDS = ('email', 'status', 'reason', 'created')
FORMULA_STARTS = ('=', '+', '-', '@')
COUNTED = ('deleted', 'already_gone', 'failed')
HELD_BACK = 'held_back'
TOTALS = ('selected', HELD_BACK) + COUNTED
# The cleanup's own outcomes besides: selected but never sent (the run was stopped); sent by a run that was
# killed before the answer, then found still listed (not_deleted) or never checked (unknown); and for a plan
# applied, the records that match its selectors now but are not in it (reported, never selected). Every outcome
# but left_alone is counted in `selected`, so that the counts of a report add up to it.
NOT_ATTEMPTED, NOT_DELETED, UNKNOWN, LEFT_ALONE = 'not_attempted', 'not_deleted', 'unknown', 'left_alone'
CLEANUP_COUNTED = COUNTED + (NOT_DELETED, NOT_ATTEMPTED, UNKNOWN, LEFT_ALONE)
CLEANUP_TOTALS = ('selected', HELD_BACK) + CLEANUP_COUNTED


def held_back_reason(unselected):
    return ('held back: the list holds %d other record(s) of this address that were not selected, and SendGrid '
            'deletes by address' % unselected)


def record_outcomes(result, dry_run):
    """(record -> (outcome, error), the error of the whole call) for one list's result: a module's result, with
    `deleted`, `missing` and `failed_emails`."""
    if dry_run:
        return (lambda record: ('selected', None)), None
    failures = {address_key(f['email']): f['msg'] for f in result.get('failed_emails') or []}
    deleted = {address_key(e) for e in result.get('deleted') or []}
    gone = {address_key(e) for e in result.get('missing') or []}
    call_error = result.get('msg') if result.get('failed') and not failures else None

    def outcome(record):
        key = address_key(record[EMAIL])
        if call_error:
            return 'failed', call_error
        if key in failures:
            return 'failed', failures[key]
        if key in deleted:
            return 'deleted', None
        if key in gone:
            return 'already_gone', None
        return 'failed', 'not deleted: the module did not report this address'
    return outcome, call_error


# A selected record as the report reads it: a tuple, not a dictionary (a purge reads a million of them).
STORED_FIELDS = ('email', 'status', 'reason', 'created', 'unselected_records', 'outcome', 'error')
EMAIL, UNSELECTED, OUTCOME, ERROR = 0, 4, 5, 6


def stored_record(record):
    """A record (a dictionary, with `unselected_records`) as the tuple of STORED_FIELDS."""
    return tuple(record.get(name) for name in STORED_FIELDS)


class ListReport:
    """One list's part of the report: its rows, made one at a time from its selected records (tuples of
    STORED_FIELDS), and its counts once they are all made; outcome(record) -> (outcome, error)."""

    def __init__(self, scope, records, outcome, call_error=None, counted=COUNTED, extra_rows=()):
        self.scope = {'list': scope['list'], 'user': scope.get('user'), 'group': scope.get('group')}
        if scope.get('group_id') is not None:
            # The id, not only the name given: a group renamed since still takes its addresses back (the undo).
            self.scope['group_id'] = scope['group_id']
        self._records, self._outcome, self._call_error = records, outcome, call_error
        self._counts, self._held_back = Counter(), {}
        self._counted, self._extra_rows = counted, extra_rows

    def rows(self):
        """The rows, each a tuple of ROW_CELLS."""
        for record in self._records:
            unselected = record[UNSELECTED]
            if unselected:
                state, error = HELD_BACK, held_back_reason(unselected)
                self._held_back.setdefault(address_key(record[EMAIL]), record[EMAIL])
                self._counts[HELD_BACK] += 1
            else:
                state, error = self._outcome(record)
                self._counts['selected'] += 1
                self._counts[state] += state in self._counted
            yield record[:4] + (state, error)
        for email, state in self._extra_rows:
            self._counts['selected'] += state != LEFT_ALONE
            self._counts[state] += 1
            yield email, None, None, None, state, None

    def summary(self):
        """The list's counts; after rows() has run through."""
        return dict(self.scope, selected=self._counts['selected'], held_back=self._counts[HELD_BACK],
                    held_back_addresses=sorted(self._held_back.values()), error=self._call_error,
                    **{name: self._counts[name] for name in self._counted})


def report_head(dry_run, started, finished, selectors=None, select_all=False, **details):
    return dict({'dry_run': bool(dry_run), 'started': started, 'finished': finished,
                 'seconds': round(float(finished) - float(started), 3), 'selectors': selectors or {},
                 'select_all': bool(select_all)}, **details)


def totals(lists, names=TOTALS):
    return {name: sum(entry[name] for entry in lists) for name in names}


def spreadsheet_cell(value):
    if value is None:
        return ''
    text = value if isinstance(value, str) else str(value)
    # A spreadsheet runs a cell that starts like a formula; the apostrophe keeps it text.
    return "'" + text if text[:1] in _FORMULA_FIRST else text


ROW_CELLS = ('email', 'status', 'reason', 'created', 'outcome', 'error')
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
_encode = json.JSONEncoder(sort_keys=True).encode
_encode_text = json.encoder.encode_basestring_ascii
# A row's JSON as json.dumps(dict(zip(ROW_CELLS, row)), sort_keys=True) writes it, made from a tuple without the
# dictionary: per record of a million, the encoder's generic path was most of the report's cost.
_ROW_JSON = '{"created": %s, "email": %s, "error": %s, "outcome": %s, "reason": %s, "status": %s}'
_JSON_ORDERED = operator.itemgetter(*(ROW_CELLS.index(name) for name in sorted(ROW_CELLS)))


def _json_value(value):
    if value.__class__ is str:
        return _encode_text(value)
    return 'null' if value is None else _encode(value)


def row_json(row):
    """One row (a tuple of ROW_CELLS) as a JSON object with sorted keys."""
    return _ROW_JSON % tuple(map(_json_value, _JSON_ORDERED(row)))


def row_cells(row):
    """One row's CSV cells, each safe to open in a spreadsheet."""
    return [("'" + value if value[:1] in _FORMULA_FIRST else value) if value.__class__ is str
            else '' if value is None else spreadsheet_cell(value) for value in row]


def write_report(head, parts, json_out=None, csv_out=None, names=TOTALS):
    """Run through each ListReport of `parts`, writing its rows as they come: JSON (the head, then per list its
    records one a line and its counts) and CSV (one row per record, every cell quoted). The report without its
    records is returned: the head, `lists` (counts) and `totals`."""
    writer = csv.writer(csv_out, quoting=csv.QUOTE_ALL, lineterminator='\n') if csv_out else None
    if csv_out:
        csv_out.write(','.join(CSV_FIELDS) + '\n')
    if json_out:
        json_out.write('{\n  "lists": [')
    lists = []
    for index, part in enumerate(parts):
        if json_out:
            json_out.write('%s\n    {"records": [' % (',' if index else ''))
        scope = [spreadsheet_cell(part.scope[name]) for name in ('list', 'user', 'group')]
        for number, row in enumerate(part.rows()):
            if json_out:
                json_out.write('%s\n      %s' % (',' if number else '', row_json(row)))
            if writer:
                writer.writerow(scope + row_cells(row))
        lists.append(part.summary())
        if json_out:
            json_out.write('\n    ], %s}' % json.dumps(lists[-1], sort_keys=True)[1:-1])
    report = dict(head, lists=lists, totals=totals(lists, names))
    if json_out:
        json_out.write('\n  ], %s\n}\n' % json.dumps({k: v for k, v in report.items() if k != 'lists'},
                                                     sort_keys=True)[1:-1])
    return report


# ---- the whole report in memory, for the suppression_report filter ----------------------------------------------

def build_report(selection, results, dry_run, started, finished, selectors=None, select_all=False):
    """The report dictionary, records included, from a selection (list, user, group, records) and the module
    results of the same lists: a result's loop `index` is the position of its selection entry, so two entries of
    one list (two groups, two users) never mix."""
    by_index = {r['index']: r for r in results or [] if 'index' in r and not r.get('skipped')}
    lists = []
    for index, entry in enumerate(selection):
        part = ListReport(entry, map(stored_record, entry['records']), *record_outcomes(by_index.get(index, {}), dry_run))
        records = [dict(zip(ROW_CELLS, row)) for row in part.rows()]
        lists.append(dict(part.summary(), records=records))
    return dict(report_head(dry_run, started, finished, selectors, select_all), lists=lists, totals=totals(lists))


class _Rows(ListReport):
    """A list of a built report, its rows made already."""

    def __init__(self, entry):
        super().__init__(entry, [], None, entry.get('error'))
        self._entry = entry

    def rows(self):
        for record in self._entry['records']:
            yield tuple(record[name] for name in ROW_CELLS)

    def summary(self):
        return {key: value for key, value in self._entry.items() if key != 'records'}


def report_files(report):
    """The report for the role to keep and show: counts only, with the full report as JSON and CSV text."""
    json_out, csv_out = io.StringIO(), io.StringIO()
    summary = write_report({k: v for k, v in report.items() if k not in ('lists', 'totals')},
                           [_Rows(entry) for entry in report['lists']], json_out, csv_out)
    summary['json'], summary['csv'] = json_out.getvalue(), csv_out.getvalue()
    return summary


def report_csv(report):
    """One row per selected record, every cell quoted."""
    return report_files(report)['csv']
