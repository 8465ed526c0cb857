# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The export of mailops.sendgrid.sendgrid_suppression_export: the records of lists of one user, many users or a
subusers selection, selected as the cleanup selects them, streamed one row at a time into the interchange file
(opt_out_files): memory stays flat whatever the lists hold, and the file is replaced only when it differs."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils import permissions
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client, open_list, regional_clients
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup import expand_entries
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_arguments import lists_option
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import OptionError, require_v3
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import FILTER_NAMES, Filters
from ansible_collections.mailops.sendgrid.plugins.module_utils.opt_out_files import (
    FORMATS, PrivateFile, RowWriter, destination_problem, format_of)
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options, connection_argument_spec
from ansible_collections.mailops.sendgrid.plugins.module_utils.progress import Progress
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import SELECTOR_NAMES, Selectors, select

# Records counted before the progress counters are told (their lock is not taken per record).
TELL_EVERY = 1000


def argument_spec():
    """The options of mailops.sendgrid.sendgrid_suppression_export, checked by Ansible's own validator."""
    spec = connection_argument_spec()
    del spec['batch_size']
    spec.update(
        lists=dict(lists_option(), required=True),
        users=dict(type='list', elements='str'),
        days=dict(type='int'), start_date=dict(type='str'), end_date=dict(type='str'),
        limit=dict(type='int'), offset=dict(type='int'), email=dict(type='str'),
        reason=dict(type='str'), status=dict(type='str'), domains=dict(type='list', elements='str'),
        emails=dict(type='list', elements='str'),
        dest=dict(type='path', required=True),
        format=dict(type='str', choices=list(FORMATS)),
    )
    return spec


class Export:
    """What one export is asked, checked before any request."""

    def __init__(self, params, check_mode=False, progress=None):
        self.options = Options.read(params.get, absent=('batch_size',))
        require_v3(self.options.api_version, 'sendgrid_suppression_export', 'unsubscribe group endpoints')
        self.entries = for_users(params['lists'], params.get('users'))
        self.filters = Filters(times=True, **{name: params.get(name) for name in FILTER_NAMES})
        self.selectors = Selectors(**{name: params.get(name) for name in SELECTOR_NAMES})
        problem = destination_problem(params['dest'])
        if problem:
            raise OptionError(problem)
        self.dest, self.format = params['dest'], format_of(params['dest'], params.get('format'))
        self.check_mode = bool(check_mode)
        self.progress = progress or Progress()
        self.warnings = []


def for_users(entries, users):
    """The entries, each that names no user and no subusers repeated for each of `users` (when given)."""
    if users is not None and (not users or any(not isinstance(u, str) or not u.strip() for u in users)):
        raise OptionError('users must be a list of usernames, none of them empty, got %r' % (users,))
    result = []
    for entry in entries:
        if users and entry.get('user') is None and entry.get('subusers') is None:
            result += [dict(entry, user=user.strip()) for user in users]
        else:
            result.append(entry)
    return result


def open_lists(export):
    """Every list of the export, each checked before the first request, and the client of each. The key's scopes
    are checked first: an export it may not read is refused before any list (or the subusers) is read."""
    client = open_client(export.options, read_only=True)
    export.warnings = permissions.checked(client, permissions.for_entries(export.entries, writes=False)).warnings
    client_for = regional_clients(export.options, client)
    return [open_list(client_for(region), name, user, group)
            for name, user, group, region in expand_entries(client, export.entries)]


def run(export):
    """The export's result: the file's path, format, the records per list and in all, changed."""
    lists = open_lists(export)
    scopes = [(each.name, each.user, each.group) for each in lists]
    export.progress.lists(scopes)
    target = PrivateFile(export.dest, write=not export.check_mode)
    writer = RowWriter(target.text, export.format)
    counts = []
    try:
        for suppression_list, scope in zip(lists, scopes):
            export.progress.list_started(scope)
            counts.append(_write_list(suppression_list, export, writer))
            export.progress.list_done(scope)
    except BaseException:
        target.discard()
        raise
    changed = target.commit()
    result = {'changed': changed, 'dest': export.dest, 'format': export.format, 'lists': counts,
              'records': sum(entry['records'] for entry in counts)}
    if export.warnings:
        result['warnings'] = export.warnings
    return result


def _write_list(suppression_list, export, writer):
    """Write the list's selected records as rows; its count entry."""
    where = {'list': suppression_list.name, 'user': suppression_list.user}
    described = {}
    if suppression_list.group is not None:
        # The group as the list found it (one request): an import that creates it at its target needs all three.
        described = {'group_id': suppression_list.resolve_group(), 'group_name': suppression_list.group_name,
                     'group_description': suppression_list.group_description}
    count = 0
    write = writer.for_list(dict(where, **described))
    for record in select(suppression_list, export.filters, export.selectors):
        write(record)
        count += 1
        if count % TELL_EVERY == 0:
            export.progress.records_read(TELL_EVERY, TELL_EVERY)
    export.progress.records_read(count % TELL_EVERY, count % TELL_EVERY)
    return dict(where, group=suppression_list.group, group_id=suppression_list.group_id, records=count)
