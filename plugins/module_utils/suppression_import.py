# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The import of mailops.sendgrid.sendgrid_suppression_import: the source read whole and checked first (a bad line
refuses the run before any request), its rows sorted to their targets (import_targets), each target read once, its
groups found (or, with create_groups, made), every refusal raised before the first write; then only the addresses
a target does not hold are added, batch_size at a time, and the report says which (import_report)."""

from __future__ import annotations

import os

from ansible_collections.mailops.sendgrid.plugins.module_utils import permissions, stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client, open_list, regional_clients
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import OptionError, SendGridError, require_v3
from ansible_collections.mailops.sendgrid.plugins.module_utils.groups import UnsubscribeGroups, check_group_fields
from ansible_collections.mailops.sendgrid.plugins.module_utils.import_report import write_report
from ansible_collections.mailops.sendgrid.plugins.module_utils.import_targets import (
    BATCH, GLOBAL, GROUP, SHOWN, Routing, open_store)
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters
from ansible_collections.mailops.sendgrid.plugins.module_utils.opt_out_sources import (
    SOURCE_FORMATS, SourceError, read_source)
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options, connection_argument_spec
from ansible_collections.mailops.sendgrid.plugins.module_utils.parallel import in_order
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import Subusers


def argument_spec():
    """The options of mailops.sendgrid.sendgrid_suppression_import, checked by Ansible's own validator."""
    spec = connection_argument_spec()
    spec.update(
        src=dict(type='path', required=True),
        src_format=dict(type='str', choices=list(SOURCE_FORMATS), default='auto'),
        column=dict(type='str'),
        user=dict(type='str'),
        each_row_user=dict(type='bool', default=False),
        group=dict(type='raw'),
        create_groups=dict(type='bool', default=False),
        spam_reports_as=dict(type='str', choices=['skip', 'unsubscribes'], default='skip'),
        skip_invalid=dict(type='bool', default=False),
        report_dir=dict(type='path'),
    )
    return spec


MUTUALLY_EXCLUSIVE = [('user', 'each_row_user'), ('group', 'create_groups')]


class Problems:
    """The bad lines of the source: the first refuses the run, or with skip_invalid each is counted and kept, in the
    run's store (a file may hold a great many), the first few in memory for the result."""

    def __init__(self, skip_invalid):
        self.skip, self.count, self.first = skip_invalid, 0, []
        self.store, self._pending = None, []

    def __call__(self, line, problem):
        if not self.skip:
            raise SourceError('src line %d %s; nothing was added (skip_invalid: true adds the other lines and '
                              'lists this one in the report)' % (line, problem))
        self.count += 1
        if len(self.first) < SHOWN:
            self.first.append({'line': line, 'problem': problem})
        self._pending.append((line, problem))
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self):
        if self._pending:
            self.store.insert('invalid', self._pending)
            self._pending = []

    def lines(self):
        """Every bad line, {line, problem}, in the order read."""
        self.flush()
        for line, problem in self.store.rows('SELECT line, problem FROM invalid ORDER BY rowid'):
            yield {'line': line, 'problem': problem}


class ImportProgress:
    """What a long import tells while it runs (progress.reporting calls lines() every few seconds): the source's
    rows read, then the targets' records read, then the addresses added of those missing."""

    def __init__(self):
        self.rows = self.listed = self.added = self.missing = 0
        self.phase = 'reading src'

    def lines(self):
        if self.phase == 'reading src':
            return ['reading src: %d rows' % self.rows]
        if self.phase == 'reading targets':
            return ['reading the target lists: %d records read' % self.listed]
        return ['adding: %d of %d missing addresses added' % (self.added, self.missing)]


class Import:
    """What one import is asked, checked before any request."""

    def __init__(self, params, check_mode=False, diff=False):
        self.options = Options.read(params.get)
        require_v3(self.options.api_version, 'sendgrid_suppression_import', 'unsubscribe endpoints')
        if not os.path.isfile(params['src']):
            raise OptionError('src: no file at %s' % params['src'])
        if params['group'] is not None and not str(params['group']).strip():
            raise OptionError('group must be an unsubscribe group id or name, got %r' % (params['group'],))
        if params['user'] is not None and not params['user'].strip():
            raise OptionError('user must be a username, got %r' % (params['user'],))
        self.params = params
        self.check_mode, self.diff = bool(check_mode), bool(diff)
        self.problems = Problems(params['skip_invalid'])
        self.progress = ImportProgress()
        self.warnings = []


def read_rows(request, store):
    """The source's rows sorted to their targets (their addresses in `store`), every line read before any
    request."""
    params = request.params
    routing = Routing(store, params['user'], params['each_row_user'], params['group'], params['spam_reports_as'])
    try:
        for row in read_source(params['src'], request.problems, params['column'], params['src_format']):
            routing.add(row)
            request.progress.rows += 1
    except OSError as exc:
        raise OptionError('src: cannot read %s: %s' % (params['src'], exc.strerror or exc)) from None
    return routing


def run(request):
    """The import's result: per target the rows, the addresses already listed and those added (or to add)."""
    store = request.problems.store = open_store()
    try:
        return _run_stored(request, store)
    finally:
        store.close()


def _run_stored(request, store):
    routing = read_rows(request, store)
    targets = list(routing.targets.values())
    client = open_client(request.options, read_only=request.check_mode)
    request.warnings = permissions.checked(client, _needed(request, targets), dry_run=request.check_mode).warnings
    client_for = _clients(request, client, targets)
    request.progress.phase = 'reading targets'
    lists = [_resolved(target, client_for(target.user), request) for target in targets]
    for target, suppression_list in zip(targets, lists):
        _find_missing(target, suppression_list, request.progress)
    request.progress.phase, request.progress.missing = 'adding', sum(target.missing for target in targets)
    if request.check_mode:
        return _result(request, routing, targets)
    try:
        for target, suppression_list in zip(targets, lists):
            _add(target, suppression_list, client_for(target.user), request)
    except SendGridError as exc:
        result = _result(request, routing, targets)
        result.update(failed=True, status=exc.status, api_message=exc.api_message, msg='%s; %d address(es) were '
                      'added before it (the result and the report name them)' % (exc, result['added']))
        return result
    except stopping.RunStopped:
        pass                # a batch queued before the stop is not sent: told below, with what was added
    result = _result(request, routing, targets)
    if stopping.requested():
        result.update(failed=True, interrupted=True, msg='the import was %s after %d address(es) were added (the '
                      'result and the report name them); run it again to add the rest' % (
                          stopping.reason(), result['added']))
    return result


def _needed(request, targets):
    """What the key must allow, checked before the first request to SendGrid: reading each target list and adding
    to it, creating groups when create_groups may make one (the groups are not read yet, so whether one will be
    made is not known), reading the subusers when rows name their users."""
    names = []
    for target in targets:
        names += (['read_unsubscribes', 'add_unsubscribes'] if target.list == GLOBAL
                  else ['read_groups', 'read_group_unsubscribes', 'add_group_unsubscribes'])
    if request.params['create_groups'] and any(target.list == GROUP and target.from_rows for target in targets):
        names.append('create_groups')
    if request.params['each_row_user'] and any(target.user for target in targets):
        names.append('read_subusers')
    return [permissions.BY_NAME[name] for name in names]


def _clients(request, client, targets):
    """client_for(user): each row's user through its own region (read from the account's subusers once)."""
    client_for = regional_clients(request.options, client)
    if not request.params['each_row_user'] or all(target.user is None for target in targets):
        return lambda user: client
    regions = {subuser['username'].lower(): subuser['region'] for subuser in Subusers(client).read()}
    return lambda user: client_for(regions.get(user.lower())) if user else client


def _resolved(target, client, request):
    """The target's list, its group found (by the task's id or name, or by the rows' group name), checked before
    any write: a group the target user does not have is refused unless create_groups makes it."""
    batch_size = request.options.batch_size
    if target.group is None or not target.from_rows:
        return open_list(client, target.list, target.user, target.group, batch_size=batch_size)
    found = UnsubscribeGroups(client, target.user).named(target.group)
    if found is not None:
        target.group_id = found['id']
        suppression_list = open_list(client, target.list, target.user, found['id'], batch_size=batch_size)
        suppression_list.use_group(found)
        return suppression_list
    if not request.params['create_groups']:
        raise SendGridError('%s has no unsubscribe group named %r; nothing was added (create_groups: true creates '
                            'it with the name and description of the source)' % (
                                'user %s' % target.user if target.user else 'the account', target.group),
                            list_name=target.list, user=target.user)
    check_group_fields(target.group, target.description or '')
    target.create = True
    return None


def _find_missing(target, suppression_list, progress):
    """Count the target's addresses its list does not hold, its list read once (a group to be created holds
    none)."""
    if suppression_list is not None:
        for record in suppression_list.list(Filters()):
            target.listed(record['email'])
            progress.listed += 1
        target.group_id = suppression_list.group_id
    target.count()


def _add(target, suppression_list, client, request):
    """The missing addresses added, batch_size a request, up to `concurrency` requests at once; the group created
    first where it is to be."""
    batch_size = request.options.batch_size
    if target.create:
        made = UnsubscribeGroups(client, target.user).create(target.group, target.description or '', False)
        target.group_id = made['id']
        suppression_list = open_list(client, target.list, target.user, made['id'], batch_size=batch_size)

    def add(job):
        number, batch = job
        suppression_list.add_many(batch)
        target.accepted(number, len(batch))
        request.progress.added += len(batch)
    for dummy in in_order(add, target.batches(batch_size), request.options.connection['concurrency'],
                          lambda job: None):
        pass


def _result(request, routing, targets):
    dry_run = request.check_mode
    entries = [target.entry(dry_run) for target in targets]
    count = sum(entry['to_add' if dry_run else 'added'] for entry in entries)
    result = {'changed': bool(count) or any(t.create for t in targets), 'dry_run': dry_run, 'rows': routing.rows,
              ('to_add' if dry_run else 'added'): count, 'targets': entries,
              'delivery_rows': dict(routing.delivery), 'spam_reports_skipped': routing.spam_reports_skipped,
              'invalid': request.problems.count, 'invalid_lines': request.problems.first}
    if request.warnings:
        result['warnings'] = list(request.warnings)
    if not routing.rows:
        result['msg'] = 'src holds no address: nothing to add'
    if request.params['report_dir']:
        result['report'] = write_report(request, routing, targets, result)
    if request.diff:
        result['diff'] = [_diff(entry, dry_run) for entry in entries]
    return result


def _diff(entry, dry_run):
    where = '%s%s of %s' % (entry['list'], ' %s' % entry['group'] if entry['group'] is not None else '',
                            entry['user'] or 'the account')
    count = entry['to_add' if dry_run else 'added']
    shown = ''.join('%s\n' % email for email in entry['first'])
    more = '... and %d more\n' % (count - len(entry['first'])) if count > len(entry['first']) else ''
    return {'before_header': where, 'after_header': '%s (+%d)' % (where, count), 'before': '',
            'after': shown + more}
