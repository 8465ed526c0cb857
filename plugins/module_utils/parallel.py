# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Work run side by side that stops when asked: a few jobs queued at a time, never all of them.

ThreadPoolExecutor.map queues every job at once, and an interrupt that unwinds through the pool's shutdown runs
each queued job still: a bulk delete would go on after the user saw "interrupted". Here at most twice the workers
are queued, nothing is submitted once the run is stopped (stopping.py), and what is still queued is cancelled."""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping

QUEUED_PER_WORKER = 2


def in_order(function, items, workers, skipped):
    """function(item) for each of `items`, yielded in their order, at most `workers` running at once; an item not
    started when the run is stopped yields skipped(item) instead."""
    items = list(items)
    if not items:
        return
    workers = max(1, min(int(workers), len(items)))
    pool = ThreadPoolExecutor(max_workers=workers)
    futures, submitted = deque(), 0
    try:
        for item in items:
            if stopping.requested():
                break
            if len(futures) >= workers * QUEUED_PER_WORKER:
                yield futures.popleft().result()
            futures.append(pool.submit(function, item))
            submitted += 1
        while futures:
            yield futures.popleft().result()
        for item in items[submitted:]:
            yield skipped(item)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
