# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A cleanup's deletes: each list's deletable addresses in batches, lists in parallel, every request journalled
before it is sent and its answer after, and what a stop left unsent journalled as skipped."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import each_in_parallel, scope_of
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan import run_jobs


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
    # Every list named before the first request: the journal of a run killed at any moment names all it was to
    # clean, so that the next run can tell whether it goes on with the same selection.
    scopes = [journal.scope(index, *scope_of(each), group_id=each.group_id) for index, each in enumerate(lists)]

    def delete(index):
        suppression_list, scope = lists[index], scopes[index]
        jobs = _chunks(selection[index].deletable(), suppression_list.delete_batch_size)
        send = _journalled(journal, scope, suppression_list.delete_many, request.progress)
        for dummy in run_jobs(jobs, send, request.options.connection['concurrency'],
                              on_skipped=lambda job, why: journal.skipped(scope, job, str(why))):
            pass
        return True
    request.progress.start_phase('deleting', sum(entry.selected for entry in selection))
    done = each_in_parallel(delete, list(range(len(lists))), request, [scope_of(each) for each in lists])
    for index, finished in enumerate(done):
        if finished is None:
            # Stopped before this list began: its addresses are journalled as never sent.
            for job in _chunks(selection[index].deletable(), 1000):
                journal.skipped(scopes[index], job, stopping.reason())
