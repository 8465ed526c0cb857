# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one-step cleanup's coordinator, in Python on the controller: finish interrupted runs on paper, read each
selected list once, select, hold back, guard, delete in bulk with every request journalled first, report from the
journal; for many users at once through one client (one rate-limit pace); a reviewed plan applied exactly. Records
never pass through Jinja or task results: the caller gets counts and file paths. Its parts: cleanup_request (what
is asked), cleanup_selection (read and select), cleanup_guard, cleanup_delete, cleanup_record and cleanup_report
(the run's files), plan_file (the reviewed plan)."""

from __future__ import annotations

import time

from ansible_collections.mailops.sendgrid.plugins.module_utils import permissions, plan_file, stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client, open_list, regional_clients
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_delete import delete_selection
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_guard import guard_refusal
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_record import (
    continued_runs, journal_head, link_continued, load_outcomes, now_text, report_paths, write_run_report)
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import CleanupError, each_in_parallel, scope_of
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_selection import QueryError, read_planned, read_selection
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_summary import plan_line, summary_lines
from ansible_collections.mailops.sendgrid.plugins.module_utils.consent import refusal, selected_opt_outs
from ansible_collections.mailops.sendgrid.plugins.module_utils.interrupted import finish_all, would_finish_all
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import FINISHED, INTERRUPTED, Journal
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan_file import PlanFileError
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection_store import SelectionStore
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import Subusers


# ---- reading and selecting --------------------------------------------------------------------------------------

def expand_entries(client, entries):
    """(name, user, group, region) for each entry; an entry with `subusers` stands for every subuser it matches,
    each with its region (an entry naming its user has none: it goes through the task's API URL)."""
    expanded, read = [], {}
    for entry in entries:
        if entry.get('subusers') is None:
            expanded.append((entry['list'], entry.get('user'), entry.get('group'), None))
            continue
        prefix = entry['subusers'].get('username')
        if prefix not in read:
            read[prefix] = list(Subusers(client).read(prefix))
        include_disabled = entry['subusers'].get('include_disabled')
        expanded += [(entry['list'], subuser['username'], entry.get('group'), subuser['region'])
                     for subuser in read[prefix] if include_disabled or not subuser['disabled']]
    return expanded


def read_selections(lists, request):
    """Each list's selection, lists read in parallel (each one's pages too), in the order of `lists`."""
    try:
        return each_in_parallel(
            lambda suppression_list: read_selection(suppression_list, request.filters, request.selectors,
                                                    request.query, request.store, request.progress),
            lists, request, [scope_of(each) for each in lists])
    except QueryError as exc:
        raise CleanupError(str(exc)) from None


# ---- the whole run ----------------------------------------------------------------------------------------------

def run(request):
    """The cleanup's result: counts, report and plan paths, drift; never the records themselves."""
    started = time.time()
    try:
        planned = _checked_plan(request)
    except PlanFileError as exc:
        raise CleanupError(str(exc)) from None
    # A dry run (check mode) and recover_only read only: a write would be a bug, refused before it is sent.
    client = open_client(request.options, read_only=request.dry_run or request.recover_only)
    key = _checked_key(client, request, planned)
    client_for = regional_clients(request.options, client)
    result = {}
    # Before anything else: runs killed before they could report are reported now, and the person is told what
    # each interrupted run did (a stopped run's own last line reached nobody).
    finished = _interrupted_runs(request, client)
    for told in finished:
        request.progress.tell(told['msg'])
    if finished:
        result['interrupted_runs'] = finished
    if request.recover_only:
        return dict(result, changed=False, dry_run=True, recovered=len(result.get('interrupted_runs', [])))
    request.store = SelectionStore()
    try:
        result = _run_stored(request, planned, client, client_for, started, result)
    finally:
        request.store.close()
    if key.warnings:
        result['warnings'] = key.warnings + result.get('warnings', [])
    return result


def _checked_key(client, request, planned):
    """The key's scopes checked once, before the first read: a run the key cannot finish is refused, naming each
    missing scope; a dry run only for a missing read, and warned of the missing writes."""
    if planned is not None:
        needed = [permission for entry in planned for permission in permissions.for_list(entry[0])]
    else:
        needed = permissions.for_entries(request.entries)
    key = permissions.check_key(client, needed, dry_run=request.dry_run or request.recover_only)
    if key.refusal:
        raise CleanupError(key.refusal)
    return key


def _interrupted_runs(request, client):
    """The runs of the report folder killed before they could report, finished on paper before anything else.
    recover_only writes only files: in check mode it says which it would write, and writes none."""
    if not request.report_dir:
        return []
    if request.recover_only and request.dry_run:
        return would_finish_all(request.report_dir)
    return finish_all(request.report_dir, request.options,
                      lambda name, user, group: open_list(client, name, user, group), request.run_id)


def _run_stored(request, planned, client, client_for, started, result):
    """The run from the lists on, its selections in request.store."""
    names = [entry[:4] for entry in planned] if planned is not None else expand_entries(client, request.entries)
    lists = [open_list(client_for(region), name, user, group, batch_size=request.options.batch_size)
             for name, user, group, region in names]
    request.progress.lists([scope_of(suppression_list) for suppression_list in lists])
    drift = None
    if planned is not None:
        # New matches are told by the plan's own selectors, whatever the task says.
        filters, selectors = plan_file.selectors_of(request.apply_plan)
        pairs = each_in_parallel(
            lambda job: read_planned(job[0], job[1][4], filters, selectors, request.store, request.progress),
            list(zip(lists, planned)), request, [scope_of(each) for each in lists])
        selection = [pair[0] if pair else None for pair in pairs]
        drift = [pair[1] if pair else None for pair in pairs]
    else:
        selection = read_selections(lists, request)
    if stopping.requested():
        raise stopping.RunStopped(stopping.reason())
    result.update(_run_selected(lists, selection, drift, started, request, [name[3] for name in names]))
    return result


def _checked_plan(request):
    if request.apply_plan is None:
        return None
    planned = plan_file.check(request.apply_plan, request.options)
    problems = plan_file.differences(request.apply_plan, request.entries, request.selector_values,
                                     request.select_all)
    consent_problem = plan_file.opt_out_problem(request.apply_plan, request.remove_opt_outs)
    if consent_problem:
        raise PlanFileError(consent_problem)
    if problems:
        raise PlanFileError("apply_plan: the task's lists and selectors must be the ones the plan was made from, or "
                            "unset; nothing was deleted. %s" % '; '.join(problems))
    return planned


def _run_selected(lists, selection, drift, started, request, regions):
    count = sum(entry.selected for entry in selection)
    opt_outs = selected_opt_outs(selection)
    if opt_outs and not request.remove_opt_outs and not request.dry_run:
        return {'failed': True, 'changed': False, 'selected': count,
                'msg': refusal(opt_outs, option=request.option_prefix + 'remove_opt_outs'),
                'opt_outs': dict(opt_outs), 'opt_outs_refused': True}
    continued = continued_runs(request, lists)
    before = sum(contents.removed() for contents in continued)
    refused = guard_refusal(selection, drift, started, request, count, before)
    if refused:
        return refused
    paths = report_paths(request) if request.report_dir else None
    if request.dry_run:
        result = write_run_report(selection, drift, started, request, paths, None)
        # Check mode reports the change the real run makes: deleting what is selected.
        result['changed'] = bool(result['totals']['selected'])
    else:
        result = _delete_and_report(lists, selection, drift, started, request, paths, (continued, before))
    if drift is not None:
        result['drift'] = drift
    result['opt_outs'] = dict(opt_outs)
    if opt_outs and not request.remove_opt_outs:
        result['warnings'] = ['the selection holds opt-outs (%s): a real run needs %sremove_opt_outs: true%s' % (
            ', '.join('%s: %d' % pair for pair in opt_outs), request.option_prefix,
            '; make the plan with it' if request.plan_file else '')]
    if request.dry_run and request.plan_file:
        result['plan'] = plan_file.write(plan_file.make(request, selection, regions), request.plan_file)
        request.progress.tell(plan_line(result['plan'], request.option_prefix))
    result['summary_lines'] = summary_lines(result, request)
    return result


def _delete_and_report(lists, selection, drift, started, request, paths, continuing):
    """The deletes, each journalled before it is sent, then the report from the journal. The journal's closing
    entry, with the report's totals, comes once the report is written: a run that ends before (killed, or failed)
    leaves a journal without it, which the next run finishes on paper."""
    continued, before = continuing
    journal = Journal(paths['journal'], journal_head(request, paths))
    try:
        link_continued(request, continued)
        journal.selected(sum(entry.selected for entry in selection),
                         addresses=sum(entry.addresses for entry in selection),
                         held_back=sum(entry.added - entry.selected for entry in selection), deleted_before=before)
        # The person learns where the record is before the first delete: a stopped worker can tell nobody.
        request.progress.tell('deleting %d records; the journal is %s and the report will be %s; if this run is '
                              'stopped, running it again (or with %srecover_only: true) tells what it deleted' % (
                                  sum(entry.selected for entry in selection), paths['journal'], paths['json'],
                                  request.option_prefix))
        try:
            delete_selection(lists, selection, journal, request)
        finally:
            stopped = stopping.reason() if stopping.requested() else None
        load_outcomes(paths['journal'], selection)
        result = write_run_report(selection, drift, started, request, paths, stopped)
    except BaseException:
        journal.abandon()
        raise
    journal.close(INTERRUPTED if stopped else FINISHED, at=now_text(), report=paths, stopped=stopped,
                  totals=result['totals'])
    return result
