# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The suppression_cleanup role's report: each selected record with its outcome, counts per list, CSV rendering."""

from __future__ import annotations

import csv
import io
import json

from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import address_key

CSV_FIELDS = ('list', 'user', 'group', 'email', 'status', 'reason', 'created', 'outcome', 'error')
FORMULA_STARTS = ('=', '+', '-', '@')
COUNTED = ('deleted', 'already_gone', 'failed')
HELD_BACK = 'held_back'


def held_back_reason(unselected):
    return ('held back: the list holds %d other record(s) of this address that were not selected, and SendGrid '
            'deletes by address' % unselected)


def _outcomes(result, dry_run):
    """(email -> (outcome, error), the error of the whole call) for one list's module result."""
    if dry_run:
        return (lambda email: ('selected', None)), None
    failures = {address_key(f['email']): f['msg'] for f in result.get('failed_emails') or []}
    deleted = {address_key(e) for e in result.get('deleted') or []}
    gone = {address_key(e) for e in result.get('missing') or []}
    call_error = result.get('msg') if result.get('failed') and not failures else None

    def outcome(email):
        key = address_key(email)
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


def build_report(selection, results, dry_run, started, finished, selectors=None, select_all=False):
    """The report dictionary from the role's selection (list, user, group, records) and the module results.

    The role's delete tasks loop over the same lists as its selection, so a result's loop `index` is the position
    of its selection entry: two entries of one list (two groups, two users) never mix."""
    by_index = {r['index']: r for r in results or [] if 'index' in r and not r.get('skipped')}
    totals = dict.fromkeys(('selected', HELD_BACK) + COUNTED, 0)
    lists = []
    for index, entry in enumerate(selection):
        result = by_index.get(index, {})
        outcome, call_error = _outcomes(result, dry_run)
        counts = dict.fromkeys(COUNTED, 0)
        records, held_back = [], {}
        for record in entry['records']:
            unselected = record.get('unselected_records') or 0
            if unselected:
                state, error = HELD_BACK, held_back_reason(unselected)
                held_back.setdefault(address_key(record['email']), record['email'])
            else:
                state, error = outcome(record['email'])
            if state in counts:
                counts[state] += 1
            records.append({'email': record['email'], 'status': record.get('status'), 'reason': record.get('reason'),
                            'created': record.get('created'), 'outcome': state, 'error': error})
        selected = sum(1 for r in records if r['outcome'] != HELD_BACK)
        lists.append(dict({'list': entry['list'], 'user': entry.get('user'), 'group': entry.get('group'),
                           'selected': selected,
                           HELD_BACK: len(records) - selected, 'held_back_addresses': sorted(held_back.values()),
                           'error': call_error, 'records': records}, **counts))
        totals['selected'] += selected
        totals[HELD_BACK] += len(records) - selected
        for name in COUNTED:
            totals[name] += counts[name]
    return {'dry_run': bool(dry_run), 'started': started, 'finished': finished,
            'seconds': round(float(finished) - float(started), 3), 'selectors': selectors or {},
            'select_all': bool(select_all), 'totals': totals, 'lists': lists}


def report_files(report):
    """The report for the role to keep and show: counts only, with the full report as JSON and CSV text.

    Keeping text, not thousands of records, in a fact spares Ansible from re-reading them at every task."""
    summary = {key: value for key, value in report.items() if key != 'lists'}
    summary['lists'] = [{key: value for key, value in entry.items() if key != 'records'} for entry in report['lists']]
    summary['json'] = json.dumps(report, indent=2, sort_keys=True) + '\n'
    summary['csv'] = report_csv(report)
    return summary


def _cell(value):
    text = '' if value is None else str(value)
    # A spreadsheet runs a cell that starts like a formula; the apostrophe keeps it text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def report_csv(report):
    """One row per selected record, every cell quoted."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator='\n')
    out.write(','.join(CSV_FIELDS) + '\n')
    for entry in report['lists']:
        for record in entry['records']:
            row = dict(record, list=entry['list'], user=entry['user'], group=entry.get('group'))
            writer.writerow([_cell(row.get(field)) for field in CSV_FIELDS])
    return out.getvalue()
