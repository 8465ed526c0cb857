# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What one cleanup run is asked to do, checked (Request), the refusal it raises before any delete
(CleanupError), and how it runs a step over its lists, up to `concurrency` at once."""

from __future__ import annotations

import uuid

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_record import stamp
from ansible_collections.mailops.sendgrid.plugins.module_utils.parallel import in_order
from ansible_collections.mailops.sendgrid.plugins.module_utils.progress import Progress


class CleanupError(Exception):
    """A cleanup refused before any delete (guard, confirmation, plan); the text says what to do."""


class Request:
    """What one cleanup does, checked: the entries (list, user, group, or every subuser), the selection, the guard,
    the plan to write or apply, the report folder, and the shared options."""

    SETTINGS = {'query': None, 'select_all': False, 'dry_run': True, 'max_delete': 1000, 'confirm_count': None,
                'report_dir': None, 'report_name': '', 'plan_file': None, 'apply_plan': None, 'selector_values': {},
                'recover_only': False, 'remove_opt_outs': False, 'progress': None,
                'continues': (), 'option_prefix': '', 'check_mode': False, 'dry_run_option': None}

    def __init__(self, options, entries, filters, selectors, **settings):
        unknown = set(settings) - set(self.SETTINGS)
        if unknown:
            raise TypeError('unknown cleanup settings: %s' % ', '.join(sorted(unknown)))
        self.__dict__.update(self.SETTINGS, **settings)
        self.options, self.entries, self.filters, self.selectors = options, entries, filters, selectors
        self.progress = self.progress or Progress()
        self.store = None
        self.run_id = '%s-%s' % (stamp(), uuid.uuid4().hex[:8])


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


def scope_of(suppression_list):
    return (suppression_list.name, suppression_list.user, suppression_list.group)
