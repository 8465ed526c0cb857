# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Finishing an interrupted run on paper: the report of a run that was killed before it could write one, from its
journal alone, each journalled address with its outcome and, where this run speaks to the same API, whether
SendGrid still lists it. The journal is then closed on the dead run's behalf, so it is reported once."""

from __future__ import annotations

import csv
import json
from collections import Counter

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import spreadsheet_cell
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import (
    INTERRUPTED, SUFFIX, append_end, interrupted_journals)
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan_file import private_file
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters, address_key

CSV_FIELDS = ('list', 'user', 'group', 'email', 'outcome', 'still_listed', 'error')
OUTCOMES = ('deleted', 'already_gone', 'failed', 'not_attempted', 'unknown')


def finish_all(folder, options, open_scope, run_id):
    """Report every interrupted run whose journal is in `folder` (none still alive); for each, a dictionary with
    the report's paths, its counts and the one line to print."""
    return [finish(contents, options, open_scope, run_id) for contents in interrupted_journals(folder)]


def finish(contents, options, open_scope, run_id):
    head = contents.head
    verified = head.get('api_url') == options.connection['api_url'] and head.get('api_version') == options.api_version
    listed = {scope: _still_listed(open_scope, scope) if verified else None for scope in contents.scopes.values()}
    paths = report_paths_of(contents.path)
    counts = _write(contents, listed, paths, run_id, verified)
    append_end(contents.path, INTERRUPTED, finished_by=run_id, report=paths)
    deleted = counts['deleted'] + counts['unknown_not_listed']
    selected = contents.selected if contents.selected is not None else counts['journalled']
    line = ('an interrupted cleanup run (started %s) deleted %d of the %d records it selected%s; its report is %s; '
            'running the cleanup again finishes the job' % (
                head.get('started'), deleted, selected,
                '' if verified else ' (not checked against SendGrid: it ran against %s %s)' % (
                    head.get('api_url'), head.get('api_version')),
                paths['json']))
    return {'journal': contents.path, 'report': paths, 'started': head.get('started'), 'run': head.get('run'),
            'deleted': deleted, 'selected': selected, 'verified': verified, 'msg': line}


def _still_listed(open_scope, scope):
    """The address keys the list still holds, or the error that kept it from being read."""
    try:
        return {address_key(record['email']) for record in open_scope(*scope).list(Filters(times=True))}
    except SendGridError as exc:
        return str(exc)


def _write(contents, listed, paths, run_id, verified):
    counts = Counter()
    with private_file(paths['json']) as json_out, private_file(paths['csv']) as csv_out:
        writer = csv.writer(csv_out, quoting=csv.QUOTE_ALL, lineterminator='\n')
        writer.writerow(CSV_FIELDS)
        head = dict(contents.head, interrupted=True, journal=contents.path, finished_by=run_id, verified=verified,
                    selected=contents.selected)
        json_out.write('{\n  "records": [')
        for number, (scope_number, email, outcome, error) in enumerate(contents.outcomes()):
            scope = contents.scopes.get(scope_number, (None, None, None))
            still = _listed(listed.get(scope), email)
            counts['journalled'] += 1
            counts[outcome] += 1
            counts['unknown_not_listed'] += outcome == 'unknown' and still is False
            row = {'list': scope[0], 'user': scope[1], 'group': scope[2], 'email': email, 'outcome': outcome,
                   'still_listed': still, 'error': error}
            if contents.group_ids.get(scope_number) is not None:
                row['group_id'] = contents.group_ids[scope_number]
            json_out.write('%s\n    %s' % (',' if number else '', json.dumps(row, sort_keys=True)))
            writer.writerow(['' if row[name] is None else spreadsheet_cell(row[name]) for name in CSV_FIELDS])
        totals = {name: counts[name] for name in OUTCOMES}
        json_out.write('\n  ], %s\n}\n' % json.dumps(dict(head, totals=totals), sort_keys=True)[1:-1])
    return counts


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
