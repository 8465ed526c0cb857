# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The guard of a real run: more than `max_delete` records (or plan addresses) are deleted only with a
`confirm_count` equal to their number. Its messages name the options as the caller spells them (option_prefix)."""

from __future__ import annotations

import time

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_record import report_parts
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import CLEANUP_TOTALS, report_head, write_report
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import CleanupError
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan_file import address_count


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


def guard_refusal(selection, drift, started, request, count):
    """The failed result of a run the guard stops, with each list's count, or None."""
    guarded = address_count(request.apply_plan) if request.apply_plan is not None else count
    try:
        check_guard(guarded, request, planned=request.apply_plan is not None)
    except CleanupError as exc:
        counted = write_report(report_head(True, started, time.time()),
                               report_parts(selection, [{}] * len(selection), drift), names=CLEANUP_TOTALS)
        return {'failed': True, 'changed': False, 'msg': str(exc), 'selected': count, 'lists': counted['lists'],
                'guard': {'selected': guarded, 'max_delete': request.max_delete,
                          'confirm_count': request.confirm_count}}
    return None
