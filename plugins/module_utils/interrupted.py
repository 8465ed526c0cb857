# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Telling what an interrupted run did, once, since the interrupted run itself could tell nobody.

A run killed before it could write its report (SIGKILL, the OOM killer, a container stopped) is finished on paper:
its report from its journal alone, each journalled address with its outcome. A request it left in flight is checked
against the list where this run speaks to the same API (deleted, verified, or not_deleted), the answer appended to
the journal, and the journal closed on the dead run's behalf. A run that was stopped (Ctrl-C, SIGTERM, its
controller gone) wrote its own report, but its last line went to a controller that had already exited: its journal's
closing entry holds the counts, and the next run tells them."""

from __future__ import annotations

import csv
import json
from collections import Counter

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import spreadsheet_cell
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_summary import (
    deleted_of_selected, stopped_how, what_next)
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import (
    INTERRUPTED, SUFFIX, VERIFIED_GONE, append_end, append_entry, append_verified, interrupted_journals,
    untold_stopped_runs)
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan_file import private_file
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters, address_key

CSV_FIELDS = ('list', 'user', 'group', 'email', 'outcome', 'verified', 'still_listed', 'error')
OUTCOMES = ('deleted', 'already_gone', 'failed', 'not_deleted', 'not_attempted', 'unknown')
AGAIN = 'running the cleanup again finishes the job'


def finish_all(folder, options, open_scope, run_id):
    """Every interrupted run of `folder` not told yet (none still alive), each a dictionary with its report's
    paths, its counts and the one line to print: the killed runs finished on paper, then the stopped runs told."""
    finished = [finish(contents, options, open_scope, run_id) for contents in interrupted_journals(folder)]
    return finished + [tell_stopped(contents, run_id) for contents in untold_stopped_runs(folder)]


def finish(contents, options, open_scope, run_id):
    head = contents.head
    verified = head.get('api_url') == options.connection['api_url'] and head.get('api_version') == options.api_version
    listed = {scope: _still_listed(open_scope, scope) if verified else None for scope in _journalled_scopes(contents)}
    for seq, scope_number, addresses in contents.in_flight() if verified else ():
        keys = listed.get(contents.scopes.get(scope_number))
        if isinstance(keys, set):
            append_verified(contents.path, seq, [email for email in addresses if address_key(email) in keys])
    paths = report_paths_of(contents.path)
    totals = _write(contents, listed, paths, run_id, verified)
    append_end(contents.path, INTERRUPTED, finished_by=run_id, report=paths, totals=totals)
    line = 'an interrupted cleanup run (started %s) %s%s; its report is %s; %s' % (
        head.get('started'), deleted_of_selected(totals, 'addresses'),
        '' if verified else ' (not checked against SendGrid: it ran against %s %s)' % (
            head.get('api_url'), head.get('api_version')),
        paths['json'], what_next(totals, AGAIN))
    return _told(contents, paths, totals, verified, line)


def tell_stopped(contents, run_id):
    """The line of a run that stopped itself and wrote its report, told once."""
    append_entry(contents.path, {'told_by': run_id})
    end = contents.end
    report = end.get('report') or {}
    what = 'a cleanup run (started %s) was %s' % (contents.head.get('started'), stopped_how(end.get('stopped') or ''))
    totals = end.get('totals')
    line = '%s%s; its report is %s; %s' % (what, ': it %s' % deleted_of_selected(totals) if totals else '',
                                           report.get('json'), what_next(totals, AGAIN))
    return _told(contents, report, totals or {}, True, line)


def _told(contents, report, totals, verified, line):
    return {'journal': contents.path, 'report': report, 'started': contents.head.get('started'),
            'run': contents.head.get('run'), 'deleted': totals.get('deleted'), 'selected': totals.get('selected'),
            'totals': totals, 'verified': verified, 'msg': line}


def _journalled_scopes(contents):
    """The (list, user, group) of the lists whose addresses the journal holds: the only lists worth reading."""
    numbers = {scope for scope, dummy, dummy, dummy in contents.outcomes()}
    return {contents.scopes[number] for number in numbers if number in contents.scopes}


def _still_listed(open_scope, scope):
    """The address keys the list still holds, or the error that kept it from being read."""
    try:
        return {address_key(record['email']) for record in open_scope(*scope).list(Filters(times=True))}
    except SendGridError as exc:
        return str(exc)


def _write(contents, listed, paths, run_id, verified):
    """Write the report, one row per journalled address; its totals, which add up to the addresses selected."""
    counts = Counter()
    with private_file(paths['json']) as json_out, private_file(paths['csv']) as csv_out:
        writer = csv.writer(csv_out, quoting=csv.QUOTE_ALL, lineterminator='\n')
        writer.writerow(CSV_FIELDS)
        json_out.write('{\n  "records": [')
        for number, (scope_number, email, outcome, error) in enumerate(contents.outcomes()):
            scope = contents.scopes.get(scope_number, (None, None, None))
            counts[outcome] += 1
            checked = outcome == 'not_deleted' or error == VERIFIED_GONE
            row = {'list': scope[0], 'user': scope[1], 'group': scope[2], 'email': email, 'outcome': outcome,
                   'verified': checked, 'still_listed': _listed(listed.get(scope), email),
                   'error': None if outcome == 'deleted' else error}
            if contents.group_ids.get(scope_number) is not None:
                row['group_id'] = contents.group_ids[scope_number]
            json_out.write('%s\n    %s' % (',' if number else '', json.dumps(row, sort_keys=True)))
            writer.writerow(['' if row[name] is None else spreadsheet_cell(row[name]) for name in CSV_FIELDS])
        totals = _totals(contents, counts)
        head = dict(contents.head, interrupted=True, journal=contents.path, finished_by=run_id, verified=verified,
                    selected_records=contents.selected, totals=totals,
                    not_journalled=totals['not_attempted'] - counts['not_attempted'])
        json_out.write('\n  ], %s\n}\n' % json.dumps(head, sort_keys=True)[1:-1])
    return totals


def _totals(contents, counts):
    """The counts by outcome, the addresses the run never journalled (it was killed before it sent or skipped
    them; their addresses died with it) counted as not attempted, and the held-back records apart."""
    journalled = sum(counts.values())
    selected = contents.addresses if contents.addresses is not None else journalled
    totals = dict({name: counts[name] for name in OUTCOMES}, selected=max(selected, journalled),
                  held_back=contents.selection.get('held_back') or 0)
    totals['not_attempted'] += totals['selected'] - journalled
    return totals


def _listed(keys, email):
    if keys is None or isinstance(keys, str):
        return None       # unverified: another API, or the list could not be read
    return address_key(email) in keys


def report_paths_of(journal_path):
    """The JSON and CSV report of the interrupted run whose journal is at `journal_path`."""
    base = journal_path[:-len(SUFFIX)] if journal_path.endswith(SUFFIX) else journal_path
    return {'json': base + '-interrupted.json', 'csv': base + '-interrupted.csv'}


def would_finish_all(folder):
    """recover_only in check mode: each interrupted run of `folder` and the report a real recover_only would write
    for it; nothing is read from SendGrid, written or closed, so the real run after it finds the same runs."""
    told = []
    for contents in interrupted_journals(folder):
        paths = report_paths_of(contents.path)
        told.append({'journal': contents.path, 'report': paths, 'started': contents.head.get('started'),
                     'run': contents.head.get('run'), 'selected': contents.selected, 'written': False,
                     'msg': 'an interrupted cleanup run (started %s) left its journal %s; check mode: its report '
                            'would be written to %s (nothing was written)' % (
                                contents.head.get('started'), contents.path, paths['json'])})
    return told
