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


def check_guard(count, request, planned=False, before=0):
    """Refuse a real run of more than max_delete without a confirm_count equal to its count. A run that continues
    interrupted runs of the same selection, which deleted `before` of it, is confirmed by the count the first of
    them was (what they deleted plus what is selected now) as well as by what is selected now: the same command
    with the same confirm_count finishes the job."""
    if request.dry_run or count <= request.max_delete or request.confirm_count in (count, count + before):
        return
    prefix = request.option_prefix
    what = 'the plan holds %d addresses' % count if planned else '%d records are selected' % count
    limit = '%smax_delete (%d); nothing was deleted.' % (prefix, request.max_delete)
    if before:
        what += (' now, and the interrupted runs this one continues deleted %d of the same selection (%d in all)'
                 % (before, count + before))
    if request.confirm_count is None:
        raise CleanupError('%s, more than %s Check the dry-run report, then set %sconfirm_count: %d to confirm.'
                           % (what, limit, prefix, count + before))
    raise CleanupError('%sconfirm_count is %d but %s, more than %s The selection changed since you counted, or the '
                       'selectors differ: check the dry-run report, then set %sconfirm_count: %d to confirm%s.'
                       % (prefix, request.confirm_count, what, limit, prefix, count + before,
                          ' (or %d, what is selected now)' % count if before else ''))


def guard_refusal(selection, drift, started, request, count, before=0):
    """The failed result of a run the guard stops, with each list's count, or None. `before`: what the
    interrupted runs this run continues deleted (a plan's count is the plan's, whatever was deleted)."""
    planned = request.apply_plan is not None
    guarded = address_count(request.apply_plan) if planned else count
    try:
        check_guard(guarded, request, planned=planned, before=0 if planned else before)
    except CleanupError as exc:
        counted = write_report(report_head(True, started, time.time()),
                               report_parts(selection, [{}] * len(selection), drift), names=CLEANUP_TOTALS)
        guard = {'selected': guarded, 'max_delete': request.max_delete, 'confirm_count': request.confirm_count}
        if before and not planned:
            guard['deleted_before'] = before
        return {'failed': True, 'changed': False, 'msg': str(exc), 'selected': count, 'lists': counted['lists'],
                'guard': guard}
    return None
