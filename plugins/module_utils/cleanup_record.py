# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a cleanup run leaves on disk: its report and journal paths, the journal's head, the link to the interrupted
runs it goes on from, and the report built from its selection and the outcomes its journal recorded."""

from __future__ import annotations

import datetime
import json
import os
import re
import time

from ansible_collections.mailops.sendgrid.plugins.module_utils import plan_file
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import (
    CLEANUP_COUNTED, CLEANUP_TOTALS, ERROR, LEFT_ALONE, OUTCOME, ListReport, report_head, write_report)
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_summary import (
    deleted_of_selected, stopped_how, summary_markdown, what_next)
from ansible_collections.mailops.sendgrid.plugins.module_utils.consent import selected_opt_outs
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import (
    SUFFIX, Contents, append_entry, private_folder, stopped_runs)
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import address_key

_UNSAFE_NAME = re.compile(r'[^A-Za-z0-9._@+-]')
# What a run's journal head says of its selection; a run continues an interrupted one only where all are equal.
# Not the API URL: the same account may be reached through another (a proxy, an alias); the guard's count, which
# must add up, is what tells a selection that changed.
SELECTION_HEAD = ('api_version', 'plan_digest', 'selectors', 'select_all')


def stamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')


def now_text():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def load_outcomes(path, selection):
    """The journal's outcomes of the addresses not deleted, into the store of each list's selection."""
    batch, scope_of = [], None
    for scope, email, outcome, error in Contents(path).outcomes(exceptions_only=True):
        if scope != scope_of and batch:
            selection[scope_of].set_outcomes(batch)
            batch = []
        scope_of = scope
        batch.append((address_key(email), outcome, error))
    if batch:
        selection[scope_of].set_outcomes(batch)


def _journalled_outcome(record):
    """A record's outcome in a real run: what the journal said of its address, else deleted (every deletable
    address is journalled, sent or skipped)."""
    return (record[OUTCOME], record[ERROR]) if record[OUTCOME] else ('deleted', None)


def continued_runs(request, lists):
    """The interrupted runs a real run goes on from: those of its report name that no run has continued yet, made
    from the same selection (the same lists, selectors, plan and API version). The guard counts what they deleted."""
    if request.dry_run or not request.report_dir:
        return []
    wanted = _canonical(_selection_head(request))
    scopes = {(each.name, each.user, each.group) for each in lists}
    return [contents for contents in stopped_runs(request.report_dir, request.report_name)
            if _canonical({name: contents.head.get(name) for name in SELECTION_HEAD}) == wanted
            and set(contents.scopes.values()) == scopes]


def link_continued(request, continued):
    """This run goes on where `continued` stopped: each is marked so, and this run's report links theirs."""
    for contents in continued:
        append_entry(contents.path, {'continued_by': request.run_id})
    request.continues = [(contents.end.get('report') or {}).get('json') for contents in continued]


def _canonical(value):
    return json.dumps(value, sort_keys=True, default=str)


def _selection_head(request):
    return {'api_version': request.options.api_version,
            'plan_digest': request.apply_plan.get('digest') if request.apply_plan is not None else None,
            'selectors': request.selector_values, 'select_all': bool(request.select_all)}


def journal_head(request, paths):
    return dict(_selection_head(request), run=request.run_id, report_name=request.report_name, started=now_text(),
                pid=os.getpid(), api_url=request.options.connection['api_url'],
                remove_opt_outs=bool(request.remove_opt_outs), report={'json': paths['json'], 'csv': paths['csv']})


def write_run_report(selection, drift, started, request, paths, stopped):
    details = {'run': request.run_id, 'remove_opt_outs': bool(request.remove_opt_outs)}
    if request.continues:
        details['continues'] = list(request.continues)
    if stopped:
        details.update(interrupted=True, stopped=stopped)
    if request.apply_plan is not None:
        details.update(plan_digest=request.apply_plan.get('digest'), drift=drift)
    selectors = request.apply_plan.get('selectors') if request.apply_plan is not None else request.selector_values
    select_all = request.apply_plan.get('select_all') if request.apply_plan is not None else request.select_all
    head = report_head(request.dry_run, started, time.time(), selectors, select_all, **details)
    parts = report_parts(selection, [None if request.dry_run else _journalled_outcome for entry in selection], drift)
    result = {'dry_run': request.dry_run, 'selected': sum(entry.selected for entry in selection),
              'selectors': selectors, 'select_all': bool(select_all)}
    if request.continues:
        result['continues'] = list(request.continues)
    if paths:
        result['report'] = {'path': paths['path'], 'json': paths['json'], 'csv': paths['csv'],
                            'summary': paths['summary']}
        if not request.dry_run:
            result['journal'] = paths['journal']
        with plan_file.private_file(paths['json']) as json_out, plan_file.private_file(paths['csv']) as csv_out:
            report = write_report(head, parts, json_out, csv_out, names=CLEANUP_TOTALS)
        with plan_file.private_file(paths['summary']) as summary_out:
            summary_out.write(summary_markdown(report, selection, selected_opt_outs(selection),
                                               sum(entry.read for entry in selection)))
    else:
        report = write_report(head, parts, names=CLEANUP_TOTALS)
    result.update(changed=bool(report['totals']['deleted']), totals=report['totals'], seconds=report['seconds'],
                  lists=report['lists'])
    if stopped:
        result.update(failed=True, interrupted=True, msg=_stopped_line(stopped, report['totals'], paths))
        return result
    failed = [entry for entry in report['lists'] if entry['failed'] or entry['error']]
    if failed:
        result['msg'] = '%d record(s) failed in %s; the report names each; run again to finish' % (
            sum(entry['failed'] for entry in failed), ', '.join(entry['list'] for entry in failed))
    return result


def _stopped_line(stopped, totals, paths):
    return 'the cleanup was %s: it %s; its report is %s; %s' % (
        stopped_how(stopped), deleted_of_selected(totals), paths['json'],
        what_next(totals, 'running it again finishes the job'))


def report_parts(selection, outcomes, drift):
    for index, entry in enumerate(selection):
        extra = ()
        if drift is not None:
            extra = [(email, 'already_gone') for email in drift[index]['gone']] + \
                [(email, LEFT_ALONE) for email in drift[index]['new_matches_left']]
        outcome = outcomes[index] or (lambda record: ('selected', None))
        yield ListReport(dict(vars(entry), group_id=entry.group_id), entry.stored(), outcome, counted=CLEANUP_COUNTED,
                         extra_rows=extra)


def report_paths(request):
    """The run's report and journal paths: a name of its own, claimed by creating nothing yet."""
    private_folder(request.report_dir)
    name = _UNSAFE_NAME.sub('_', request.report_name) + '-' if request.report_name else ''
    kind = 'dry-run' if request.dry_run else 'run'
    number = 1
    while True:
        # The run's id in the name, as its reports and journal say it: one name for one run.
        base = os.path.join(request.report_dir, 'suppression_cleanup-%s%s%s-%s' % (
            name, request.run_id, '' if number == 1 else '-%d' % number, kind))
        if not any(os.path.exists(base + suffix) for suffix in ('.json', SUFFIX)):
            return {'path': base, 'json': base + '.json', 'csv': base + '.csv', 'summary': base + '.md',
                    'journal': base + SUFFIX}
        number += 1
