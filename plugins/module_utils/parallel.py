# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Work run side by side that stops when asked: a few jobs queued at a time, never all of them.

ThreadPoolExecutor.map queues every job at once, and an interrupt that unwinds through the pool's shutdown runs
each queued job still: a bulk delete would go on after the user saw "interrupted". Here at most twice the workers
are queued, nothing is submitted once the run is stopped (stopping.py), and what is still queued is cancelled."""

from __future__ import annotations

import itertools
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping

QUEUED_PER_WORKER = 2
# How often a thread waiting for a result looks up: a signal may reach any thread of the process, and its Python
# handler runs only once the main thread executes again, which a wait without end would put off to the last result.
WAIT_SECONDS = 0.2


def _result(future):
    while True:
        try:
            return future.result(timeout=WAIT_SECONDS)
        except WaitedTooLong:
            continue


def in_order(function, items, workers, skipped):
    """function(item) for each of `items` (any iterable, read as it is used), yielded in their order, at most
    `workers` running at once; an item not started when the run is stopped yields skipped(item) instead."""
    workers = max(1, int(workers))
    pool = None
    futures = deque()
    items, unsent = iter(items), []
    try:
        for item in items:
            if stopping.requested():
                unsent.append(item)
                break
            if pool is None:
                pool = ThreadPoolExecutor(max_workers=workers)
            if len(futures) >= workers * QUEUED_PER_WORKER:
                yield _result(futures.popleft())
            futures.append(pool.submit(function, item))
        while futures:
            yield _result(futures.popleft())
        for item in itertools.chain(unsent, items):
            yield skipped(item)
    finally:
        if pool is not None:
            # What is queued and not started is cancelled (shutdown's cancel_futures, on every Python).
            for future in futures:
                future.cancel()
            pool.shutdown(wait=True)
