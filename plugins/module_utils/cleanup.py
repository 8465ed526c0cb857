# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one-step cleanup's coordinator, in Python on the controller: finish interrupted runs on paper, read each
selected list once, select, hold back, guard, delete in bulk with every request journalled first, report from the
journal; for many users at once through one client (one rate-limit pace); a reviewed plan applied exactly. Records
never pass through Jinja or task results: the caller gets counts and file paths."""

from __future__ import annotations

import time
import uuid

from ansible_collections.mailops.sendgrid.plugins.module_utils import plan_file, stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client, open_list, regional_clients
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_arguments import argument_spec
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_record import (
    continue_stopped_runs, journal_head, load_outcomes, now_text, report_parts, report_paths, stamp,
    write_run_report)
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import (
    CLEANUP_TOTALS, report_head, write_report)
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_summary import summary_lines
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_selection import (
    QueryError, read_planned, read_selection)
from ansible_collections.mailops.sendgrid.plugins.module_utils.consent import refusal, selected_opt_outs
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.interrupted import finish_all
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import FINISHED, INTERRUPTED, Journal
from ansible_collections.mailops.sendgrid.plugins.module_utils.parallel import in_order
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan import run_jobs
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan_file import PlanFileError
from ansible_collections.mailops.sendgrid.plugins.module_utils.progress import Progress
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection_store import SelectionStore
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import Subusers


class CleanupError(Exception):
    """A cleanup refused before any delete (guard, confirmation, plan); the text says what to do."""


class Request:
    """What one cleanup does, checked: the entries (list, user, group, or every subuser), the selection, the guard,
    the plan to write or apply, the report folder, and the shared options."""

    SETTINGS = {'query': None, 'select_all': False, 'dry_run': True, 'max_delete': 1000, 'confirm_count': None,
                'report_dir': None, 'report_name': '', 'plan_file': None, 'apply_plan': None, 'selector_values': {},
                'recover_only': False, 'remove_opt_outs': False, 'progress': None,
                'continues': (), 'option_prefix': ''}

    def __init__(self, options, entries, filters, selectors, **settings):
        unknown = set(settings) - set(self.SETTINGS)
        if unknown:
            raise TypeError('unknown cleanup settings: %s' % ', '.join(sorted(unknown)))
        self.__dict__.update(self.SETTINGS, **settings)
        self.options, self.entries, self.filters, self.selectors = options, entries, filters, selectors
        self.progress = self.progress or Progress()
        self.store = None
        self.run_id = '%s-%s' % (stamp(), uuid.uuid4().hex[:8])


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


def each_in_parallel(function, items, request, scopes=None):
    """[function(item)] in the order of `items`, up to `concurrency` at once (the HTTP pool bounds the requests in
    flight to the same number, whatever each call runs inside); an item not started when the run is stopped is
    None. With `scopes`, the progress is told when the list of each item starts and ends."""
    def call(index):
        if scopes:
            request.progress.list_started(scopes[index])
        try:
            return function(items[index])
        finally:
            if scopes:
                request.progress.list_done(scopes[index])
    return list(in_order(call, range(len(items)), request.options.connection['concurrency'], lambda index: None))


def _scope(suppression_list):
    return (suppression_list.name, suppression_list.user, suppression_list.group)


def read_selections(lists, request):
    """Each list's selection, lists read in parallel (each one's pages too), in the order of `lists`."""
    try:
        return each_in_parallel(
            lambda suppression_list: read_selection(suppression_list, request.filters, request.selectors,
                                                    request.query, request.store, request.progress),
            lists, request, [_scope(each) for each in lists])
    except QueryError as exc:
        raise CleanupError(str(exc)) from None


def check_guard(count, request, planned=False):
    if request.dry_run or count <= request.max_delete:
        return
    what = 'the plan holds %d addresses' % count if planned else '%d records are selected' % count
    limit = '%smax_delete (%d); nothing was deleted.' % (request.option_prefix, request.max_delete)
    if request.confirm_count is None:
        raise CleanupError('%s, more than %s Check the dry-run report, then set %sconfirm_count: %d to confirm.'
                           % (what, limit, request.option_prefix, count))
    if request.confirm_count != count:
        raise CleanupError('%sconfirm_count is %d but %s, more than %s The selection changed since you counted, or '
                           'the selectors differ: check the dry-run report.'
                           % (request.option_prefix, request.confirm_count, what, limit))


# ---- deleting, every request journalled before it is sent -----------------------------------------------------

def _journalled(journal, scope, delete_many, progress):
    def send(addresses):
        if stopping.requested():
            journal.skipped(scope, addresses, stopping.reason())
            raise stopping.RunStopped(stopping.reason())
        seq = journal.before(scope, addresses)
        try:
            results = delete_many(addresses)
        except stopping.RunStopped as exc:
            journal.not_sent(seq, str(exc))
            raise
        except SendGridError as exc:
            journal.failed(seq, str(exc))
            raise
        journal.answered(seq, gone=[email for email, result in zip(addresses, results) if result != 'deleted'])
        progress.records_deleted(len(addresses))
        return results
    return send


def _chunks(addresses, size):
    """Lists of `size` addresses, made as they are used: the addresses come from the store, a page at a time."""
    chunk = []
    for email in addresses:
        chunk.append(email)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def delete_selection(lists, selection, journal, request):
    """Delete each list's deletable addresses, lists in parallel; every address is journalled, sent or skipped, so
    its outcome is the journal's."""
    def delete(index):
        suppression_list = lists[index]
        scope = journal.scope(index, *_scope(suppression_list), group_id=suppression_list.group_id)
        jobs = _chunks(selection[index].deletable(), suppression_list.delete_batch_size)
        send = _journalled(journal, scope, suppression_list.delete_many, request.progress)
        for dummy in run_jobs(jobs, send, request.options.connection['concurrency'],
                              on_skipped=lambda job, why: journal.skipped(scope, job, str(why))):
            pass
        return True
    request.progress.start_phase('deleting', sum(entry.selected for entry in selection))
    done = each_in_parallel(delete, list(range(len(lists))), request, [_scope(each) for each in lists])
    for index, finished in enumerate(done):
        if finished is None:
            # Stopped before this list began: its addresses are journalled as never sent.
            scope = journal.scope(index, *_scope(lists[index]))
            for job in _chunks(selection[index].deletable(), 1000):
                journal.skipped(scope, job, stopping.reason())


# ---- the whole run ----------------------------------------------------------------------------------------------

def run(request):
    """The cleanup's result: counts, report and plan paths, drift; never the records themselves."""
    started = time.time()
    try:
        planned = _checked_plan(request)
    except PlanFileError as exc:
        raise CleanupError(str(exc)) from None
    client = open_client(request.options)
    client_for = regional_clients(request.options, client)
    result = {}
    if request.report_dir:
        # Before anything else: runs killed before they could report are reported now.
        finished = finish_all(request.report_dir, request.options,
                              lambda name, user, group: open_list(client, name, user, group), request.run_id)
        if finished:
            result['interrupted_runs'] = finished
    if request.recover_only:
        return dict(result, changed=False, dry_run=True, recovered=len(result.get('interrupted_runs', [])))
    request.store = SelectionStore()
    try:
        return _run_stored(request, planned, client, client_for, started, result)
    finally:
        request.store.close()


def _run_stored(request, planned, client, client_for, started, result):
    """The run from the lists on, its selections in request.store."""
    names = [entry[:4] for entry in planned] if planned is not None else expand_entries(client, request.entries)
    lists = [open_list(client_for(region), name, user, group, batch_size=request.options.batch_size)
             for name, user, group, region in names]
    request.progress.lists([_scope(suppression_list) for suppression_list in lists])
    drift = None
    if planned is not None:
        # New matches are told by the plan's own selectors, whatever the task says.
        filters, selectors = plan_file.selectors_of(request.apply_plan)
        pairs = each_in_parallel(
            lambda job: read_planned(job[0], job[1][4], filters, selectors, request.store, request.progress),
            list(zip(lists, planned)), request, [_scope(each) for each in lists])
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


def _guard_refusal(selection, drift, started, request, count):
    """The failed result of a run the guard stops, with each list's count, or None."""
    guarded = plan_file.address_count(request.apply_plan) if request.apply_plan is not None else count
    try:
        check_guard(guarded, request, planned=request.apply_plan is not None)
    except CleanupError as exc:
        counted = write_report(report_head(True, started, time.time()),
                               report_parts(selection, [{}] * len(selection), drift), names=CLEANUP_TOTALS)
        return {'failed': True, 'changed': False, 'msg': str(exc), 'selected': count, 'lists': counted['lists'],
                'guard': {'selected': guarded, 'max_delete': request.max_delete,
                          'confirm_count': request.confirm_count}}
    return None


def _run_selected(lists, selection, drift, started, request, regions):
    count = sum(entry.selected for entry in selection)
    opt_outs = selected_opt_outs(selection)
    if opt_outs and not request.remove_opt_outs and not request.dry_run:
        return {'failed': True, 'changed': False, 'selected': count,
                'msg': refusal(opt_outs, option=request.option_prefix + 'remove_opt_outs'),
                'opt_outs': dict(opt_outs), 'opt_outs_refused': True}
    refused = _guard_refusal(selection, drift, started, request, count)
    if refused:
        return refused
    paths = report_paths(request) if request.report_dir else None
    journal = None if request.dry_run else Journal(paths['journal'], journal_head(request, paths))
    stopped = None
    if journal is not None:
        continue_stopped_runs(request)
        journal.selected(count)
        try:
            delete_selection(lists, selection, journal, request)
        finally:
            stopped = stopping.reason() if stopping.requested() else None
            journal.close(INTERRUPTED if stopped else FINISHED, at=now_text(), report=paths, stopped=stopped)
    if journal is not None:
        load_outcomes(paths['journal'], selection)
    result = write_run_report(selection, drift, started, request, paths, stopped)
    if drift is not None:
        result['drift'] = drift
    result['opt_outs'] = dict(opt_outs)
    if opt_outs and not request.remove_opt_outs:
        result['warnings'] = ['the selection holds opt-outs (%s): a real run needs %sremove_opt_outs: true%s' % (
            ', '.join('%s: %d' % pair for pair in opt_outs), request.option_prefix,
            '; make the plan with it' if request.plan_file else '')]
    if request.dry_run and request.plan_file:
        result['plan'] = plan_file.write(plan_file.make(request, selection, regions), request.plan_file)
    result['summary_lines'] = summary_lines(result, request)
    return result


__all__ = ['CleanupError', 'Request', 'SendGridError', 'argument_spec', 'run']
