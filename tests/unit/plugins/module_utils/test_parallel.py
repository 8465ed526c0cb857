"""parallel.py: results in order, a bounded queue, and nothing new started once the run is stopped."""

import signal
import threading
import time

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.parallel import QUEUED_PER_WORKER, in_order


def test_results_come_in_the_order_of_the_items():
    assert list(in_order(lambda item: item * 2, range(50), 4, None)) == [item * 2 for item in range(50)]
    assert list(in_order(lambda item: item, [], 4, None)) == []


def test_a_stop_starts_nothing_more_and_the_rest_is_skipped():
    started = []
    lock = threading.Lock()

    def work(item):
        with lock:
            started.append(item)
        if item == 3:
            stopping.request_stop('stopped by SIGINT')
        return 'done'
    with stopping.watching():
        results = list(in_order(work, range(1000), 2, lambda item: 'skipped'))
    assert results.count('done') == len(started) and len(results) == 1000
    assert len(started) <= 4 + 2 * QUEUED_PER_WORKER, 'only what was already queued ran'
    assert results[-1] == 'skipped'


def test_a_signal_that_reaches_another_thread_stops_the_run_at_once():
    """The kernel may hand SIGTERM to any thread; the waiting main thread still runs the handler within a moment."""
    def work(item):
        if item == 0:
            time.sleep(0.5)          # the main thread is waiting for this result by now
            signal.pthread_kill(threading.get_ident(), signal.SIGTERM)
            deadline = time.monotonic() + 10
            while not stopping.requested() and time.monotonic() < deadline:
                time.sleep(0.01)
        return 'done'
    started = time.monotonic()
    with stopping.watching():
        results = list(in_order(work, range(100), 1, lambda item: 'skipped'))
    assert time.monotonic() - started < 5, 'the handler waited for the job to end'
    assert results[0] == 'done' and results.count('done') <= 1 + QUEUED_PER_WORKER and results[-1] == 'skipped'
