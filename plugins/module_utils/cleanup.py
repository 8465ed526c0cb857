# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one-step cleanup, in Python on the controller: read each selected list once, select, hold back, guard,
delete in bulk, report; for many users at once through one client (one rate-limit pace); and a reviewed plan
applied exactly. Records never pass through Jinja or task results: the caller gets counts and file paths."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client, open_list
from ansible_collections.mailops.sendgrid.plugins.module_utils.catalogue import list_names
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import connection_argument_spec
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan import ABSENT, Plan, apply_plan
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import Filters, Selectors, address_key
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import Subusers
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import (
    ListReport, record_outcomes, report_head, write_report)
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_selection import (
    QueryError, read_planned, read_selection)

PLAN_FORMAT = 1
_UNSAFE_NAME = re.compile(r'[^A-Za-z0-9._@+-]')


class CleanupError(Exception):
    """A cleanup refused before any delete (guard, confirmation, plan); the text says what to do."""


class Request:
    """What one cleanup does, checked: the entries (list, user, group, or every subuser), the selection, the guard,
    the plan to write or apply, the report folder, and the shared options."""

    SETTINGS = {'query': None, 'select_all': False, 'dry_run': True, 'max_delete': 1000, 'confirm_count': None,
                'report_dir': None, 'report_name': '', 'plan_file': None, 'apply_plan': None, 'selector_values': {}}

    def __init__(self, options, entries, filters, selectors, **settings):
        unknown = set(settings) - set(self.SETTINGS)
        if unknown:
            raise TypeError('unknown cleanup settings: %s' % ', '.join(sorted(unknown)))
        self.__dict__.update(self.SETTINGS, **settings)
        self.options, self.entries, self.filters, self.selectors = options, entries, filters, selectors


# ---- the plan file ----------------------------------------------------------------------------------------------

def plan_digest(document):
    """The SHA-256 of the plan's content without its digest, in one canonical JSON form."""
    content = {key: value for key, value in document.items() if key != 'digest'}
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(',', ':')).encode('utf-8')).hexdigest()


def make_plan_document(request, selection, regions):
    document = {
        'format': PLAN_FORMAT, 'api_url': request.options.connection['api_url'],
        'api_version': request.options.api_version,
        'created': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'selectors': request.selector_values, 'select_all': bool(request.select_all),
        'lists': [dict({'list': entry.list, 'user': entry.user, 'group': entry.group,
                        'addresses': sorted(set(entry.deletable()), key=lambda email: (address_key(email), email))},
                       **({'region': region} if region else {}))
                  for entry, region in zip(selection, regions)],
    }
    document['digest'] = plan_digest(document)
    return document


def check_plan(document, options):
    """The plan's entries, after refusing one that was edited, or made for another API URL or version."""
    if not isinstance(document, dict) or document.get('format') != PLAN_FORMAT or not isinstance(
            document.get('lists'), list):
        raise CleanupError('apply_plan: not a plan this module wrote (format %d)' % PLAN_FORMAT)
    if document.get('digest') != plan_digest(document):
        raise CleanupError('apply_plan: the digest does not match the content: the plan was changed after the dry '
                           'run wrote it; nothing was deleted. Make a new plan with a dry run')
    for name, value in (('api_url', options.connection['api_url']), ('api_version', options.api_version)):
        if document.get(name) != value:
            raise CleanupError('apply_plan: the plan was made for %s %s, not %s; nothing was deleted' % (
                name, document.get(name), value))
    entries = []
    for index, entry in enumerate(document['lists']):
        if not isinstance(entry, dict) or not isinstance(entry.get('addresses'), list) or not all(
                isinstance(email, str) and email.strip() for email in entry['addresses']):
            raise CleanupError('apply_plan: lists[%d] has no list of addresses' % index)
        if entry.get('region') not in (None, 'global', 'eu'):
            raise CleanupError('apply_plan: lists[%d] has the region %r, not global or eu' % (index, entry['region']))
        entries.append((entry.get('list'), entry.get('user'), entry.get('group'), entry.get('region'),
                        entry['addresses']))
    return entries


def plan_selectors(document):
    """(Filters, Selectors) of the selectors a plan was made with (its query aside)."""
    values = document.get('selectors') or {}
    filters = Filters(times=True, **{name: values.get(name) for name in ('days', 'start_date', 'end_date')})
    selectors = Selectors(**{name: values.get(name) for name in ('reason', 'status', 'domains', 'emails')})
    return filters, selectors


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


def regional_clients(options, client):
    """client_for(region): the client to manage a user of `region` through (see Options.for_region), one per
    API URL; `client` serves the task's own URL and users of no known region."""
    by_url = {options.connection['api_url']: client}

    def client_for(region):
        regional = options.for_region(region) if region else options
        url = regional.connection['api_url']
        if url not in by_url:
            by_url[url] = open_client(regional)
        return by_url[url]
    return client_for


def each_in_parallel(function, items, request):
    """[function(item)] in the order of `items`, up to `concurrency` at once; the HTTP pool bounds the requests in
    flight to the same number, whatever each call runs inside."""
    with ThreadPoolExecutor(max_workers=max(1, min(len(items), request.options.connection['concurrency']))) as pool:
        return list(pool.map(function, items))


def read_selections(lists, request):
    """Each list's selection, lists read in parallel (each one's pages too), in the order of `lists`."""
    try:
        return each_in_parallel(
            lambda suppression_list: read_selection(suppression_list, request.filters, request.selectors,
                                                    request.query), lists, request)
    except QueryError as exc:
        raise CleanupError(str(exc)) from None


def check_guard(count, request):
    if request.dry_run or count <= request.max_delete:
        return
    if request.confirm_count is None:
        raise CleanupError('%d records are selected, more than max_delete (%d); nothing was deleted. Check the '
                           'dry-run report, then set confirm_count: %d to confirm.'
                           % (count, request.max_delete, count))
    if request.confirm_count != count:
        raise CleanupError('confirm_count is %d but %d records are selected, more than max_delete (%d); nothing was '
                           'deleted. The selection changed since you counted, or the selectors differ: check the '
                           'dry-run report.' % (request.confirm_count, count, request.max_delete))


# ---- deleting ---------------------------------------------------------------------------------------------------

def delete_selection(lists, selection, request):
    """Each list's outcome as a result with `deleted`, `missing` and `failed_emails` (nothing deleted in a dry
    run), the lists deleted from in parallel."""
    def delete(index):
        deletions = selection[index].deletable()
        if request.dry_run or not deletions:
            return {}
        plan = Plan(ABSENT, {}, False, [], deletions, [], False)
        outcome = apply_plan(plan, lists[index], concurrency=request.options.connection['concurrency'])
        return {'deleted': outcome.deleted, 'missing': outcome.gone, 'failed_emails': outcome.failed}
    return each_in_parallel(delete, range(len(lists)), request)


# ---- the whole run ----------------------------------------------------------------------------------------------

def run(request):
    """The cleanup's result: counts, report and plan paths, drift; never the records themselves."""
    started = time.time()
    planned = check_plan(request.apply_plan, request.options) if request.apply_plan is not None else None
    client = open_client(request.options)
    names = [entry[:4] for entry in planned] if planned is not None else expand_entries(client, request.entries)
    client_for = regional_clients(request.options, client)
    lists = [open_list(client_for(region), name, user, group, batch_size=request.options.batch_size)
             for name, user, group, region in names]
    drift = None
    if planned is not None:
        # New matches are told by the plan's own selectors, whatever the task says.
        filters, selectors = plan_selectors(request.apply_plan)
        pairs = each_in_parallel(lambda job: read_planned(job[0], job[1][4], filters, selectors),
                                 list(zip(lists, planned)), request)
        selection, drift = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
    else:
        selection = read_selections(lists, request)
    try:
        return _run_selected(lists, selection, drift, started, request, [name[3] for name in names])
    finally:
        for entry in selection:
            entry.close()


def _run_selected(lists, selection, drift, started, request, regions):
    count = sum(entry.selected for entry in selection)
    try:
        check_guard(count, request)
    except CleanupError as exc:
        counted = write_report(report_head(True, started, time.time()), _parts(selection, [{}] * len(selection), True))
        return {'failed': True, 'changed': False, 'msg': str(exc), 'selected': count, 'lists': counted['lists'],
                'guard': {'selected': count, 'max_delete': request.max_delete,
                          'confirm_count': request.confirm_count}}
    results = delete_selection(lists, selection, request)
    head = report_head(request.dry_run, started, time.time(), request.selector_values, request.select_all)
    result = {'dry_run': request.dry_run, 'selected': count}
    parts = _parts(selection, results, request.dry_run)
    if request.report_dir:
        result['report'] = report_paths(request)
        with _private_file(result['report']['json']) as json_out, _private_file(result['report']['csv']) as csv_out:
            report = write_report(head, parts, json_out, csv_out)
    else:
        report = write_report(head, parts)
    result.update(changed=bool(report['totals']['deleted']), totals=report['totals'], seconds=report['seconds'],
                  lists=report['lists'])
    if drift is not None:
        result['drift'] = drift
    if request.dry_run and request.plan_file:
        result['plan'] = write_plan(make_plan_document(request, selection, regions), request.plan_file)
    failed = [entry for entry in report['lists'] if entry['failed'] or entry['error']]
    if failed:
        result['msg'] = '%d record(s) failed in %s; the report names each; run again to finish' % (
            sum(entry['failed'] for entry in failed), ', '.join(entry['list'] for entry in failed))
    return result


def _parts(selection, results, dry_run):
    return (ListReport(vars(entry), entry.records(), *record_outcomes(result, dry_run))
            for entry, result in zip(selection, results))


def _private_file(path):
    """A file only its owner may read: reports and plans name the addresses."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w', encoding='utf-8')


def report_paths(request):
    os.makedirs(request.report_dir, mode=0o700, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    name = _UNSAFE_NAME.sub('_', request.report_name) + '-' if request.report_name else ''
    base = os.path.join(request.report_dir, 'suppression_cleanup-%s%s-%s' % (
        name, stamp, 'dry-run' if request.dry_run else 'run'))
    return {'path': base, 'json': base + '.json', 'csv': base + '.csv'}


def write_plan(document, path):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, mode=0o700, exist_ok=True)
    with _private_file(path) as handle:
        json.dump(document, handle, indent=2, sort_keys=True)
        handle.write('\n')
    return {'path': path, 'digest': document['digest'],
            'addresses': sum(len(entry['addresses']) for entry in document['lists'])}


def read_plan(path):
    try:
        with open(path, encoding='utf-8') as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise CleanupError('apply_plan: cannot read the plan %s: %s' % (path, exc)) from None


__all__ = ['CleanupError', 'Request', 'SendGridError', 'read_plan', 'run']


def argument_spec():
    """The options of mailops.sendgrid.sendgrid_suppression_cleanup, checked by Ansible's own validator."""
    spec = connection_argument_spec()
    spec.update(
        lists=dict(type='list', elements='dict', options=dict(
            list=dict(type='str', required=True, choices=list_names()),
            user=dict(type='str'),
            group=dict(type='raw'),
            subusers=dict(type='dict', options=dict(username=dict(type='str'),
                                                    include_disabled=dict(type='bool', default=False))),
        ), mutually_exclusive=[('user', 'subusers')]),
        days=dict(type='int'), start_date=dict(type='str'), end_date=dict(type='str'), reason=dict(type='str'),
        status=dict(type='str'), domains=dict(type='list', elements='str'), emails=dict(type='list', elements='str'),
        query=dict(type='str'), select_all=dict(type='bool', default=False),
        max_delete=dict(type='int', default=1000), confirm_count=dict(type='int'),
        report_dir=dict(type='path'), report_name=dict(type='str', default=''),
        plan_file=dict(type='path'), apply_plan=dict(type='path'),
    )
    return spec
