# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What an import leaves in its report_dir: a JSON report naming every address added (or, in check mode, to add)
per list, user and group, with the source's date and line beside it (SendGrid dates an added address "now"), which
the mailops.sendgrid.imported_unsubscribes lookup reads to undo the import; the same rows as CSV, cells defused;
and a short Markdown summary. Each file 0600, in a folder made 0700."""

from __future__ import annotations

import csv
import json
import os

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_record import stamp
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import spreadsheet_cell
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import private_folder
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan_file import private_file

KIND = 'suppression_import'
CSV_FIELDS = ('list', 'user', 'group', 'group_id', 'email', 'source_created', 'line', 'outcome')
ADDED, TO_ADD = 'added', 'to_add'


def report_paths(folder, dry_run):
    """The report's paths, of a name no other run took."""
    private_folder(folder)
    base, number = os.path.join(folder, '%s-%s-%s' % (KIND, stamp(), 'dry-run' if dry_run else 'run')), 1
    while os.path.exists(base + ('' if number == 1 else '-%d' % number) + '.json'):
        number += 1
    base += '' if number == 1 else '-%d' % number
    return {'path': base, 'json': base + '.json', 'csv': base + '.csv', 'summary': base + '.md'}


def _records(target, dry_run):
    """The target's rows of the report, read from the store: each address added (or to add, or whose request failed:
    `unknown`) with the source's date and line."""
    for email, created, line, outcome in target.outcomes(dry_run):
        yield {'email': email, 'source_created': created, 'line': line, 'outcome': outcome}


def write_report(request, routing, targets, result):
    """Write the three files, the records streamed from the store one at a time; their paths."""
    dry_run = result['dry_run']
    paths = report_paths(request.params['report_dir'], dry_run)
    head = {'kind': KIND, 'dry_run': dry_run, 'src': request.params['src'], 'rows': routing.rows,
            'delivery_rows': dict(routing.delivery), 'spam_reports_skipped': routing.spam_reports_skipped,
            'invalid': request.problems.count}
    with private_file(paths['json']) as json_out, private_file(paths['csv']) as csv_out:
        writer = csv.writer(csv_out, quoting=csv.QUOTE_ALL, lineterminator='\n')
        writer.writerow(CSV_FIELDS)
        json_out.write(json.dumps(head, sort_keys=True)[:-1] + ', "lists": [')
        for index, (target, entry) in enumerate(zip(targets, result['targets'])):
            counts = {key: value for key, value in entry.items() if key != 'first'}
            json_out.write('%s\n {%s, "records": [' % (',' if index else '', json.dumps(counts, sort_keys=True)[1:-1]))
            for number, record in enumerate(_records(target, dry_run)):
                json_out.write('%s\n  %s' % (',' if number else '', json.dumps(record, sort_keys=True)))
                row = dict(record, list=target.list, user=target.user, group=target.group, group_id=target.group_id)
                writer.writerow([spreadsheet_cell(row[name]) for name in CSV_FIELDS])
            json_out.write(']}')
        json_out.write('], "invalid_lines": [')
        for number, invalid in enumerate(request.problems.lines()):
            json_out.write('%s\n %s' % (',' if number else '', json.dumps(invalid, sort_keys=True)))
        json_out.write(']}\n')
    with private_file(paths['summary']) as summary_out:
        summary_out.write(summary_markdown(result))
    return paths


def summary_markdown(result):
    """The import in a few lines of Markdown."""
    dry_run = result['dry_run']
    lines = ['# Import of opt-outs%s' % (' (check mode: nothing was added)' if dry_run else ''), '',
             '| list | user | group | rows | already listed | %s |' % ('to add' if dry_run else 'added'),
             '| --- | --- | --- | ---: | ---: | ---: |']
    for entry in result['targets']:
        lines.append('| %s | %s | %s | %d | %d | %d |' % (
            entry['list'], entry['user'] or '', '' if entry['group'] is None else entry['group'], entry['rows'],
            entry['already_listed'], entry[TO_ADD if dry_run else ADDED]))
    lines += ['', 'Rows read: %d. Delivery rows counted, never written: %s. Spam reports not written: %d. '
              'Invalid lines skipped: %d.' % (result['rows'], ', '.join(
                  '%s %d' % pair for pair in sorted(result['delivery_rows'].items())) or 'none',
                  result['spam_reports_skipped'], result['invalid']),
              '', 'SendGrid dates each added address at the time of the import; the source\'s date is in the JSON '
              'and CSV reports (`source_created`).', '']
    return '\n'.join(lines)
