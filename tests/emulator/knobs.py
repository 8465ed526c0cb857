"""Latency, faults, a rate limit and request statistics: what tests and benchmarks turn up or read."""

import collections
import math
import random
import threading
import time


UNLIMITED = 1000000


class Knobs:
    def __init__(self, latency_ms=0, fault_rate=0.0, rate_limit=0, seed=0, webhook_new_key_on_sign=False):
        self.latency = max(latency_ms, 0) / 1000.0
        # SendGrid does not document whether signing a webhook again makes a new key: kept by default, or not.
        self.webhook_new_key_on_sign = webhook_new_key_on_sign
        self.fault_rate = fault_rate
        self.rate_limit = rate_limit
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._window = 0
        self._window_count = 0

    def pause(self):
        if self.latency:
            time.sleep(self.latency)

    def fault(self):
        """None, or how to fail this request: 500, 502, 503 or 'drop' (close the connection unanswered)."""
        if self.fault_rate <= 0:
            return None
        with self._lock:
            if self._rng.random() >= self.fault_rate:
                return None
            return self._rng.choice((500, 502, 503, 'drop'))

    def take(self):
        """(allowed, limit, remaining, reset) for one API request in the current one-second window, which ends at
        the unix time `reset`. Without a rate limit every request is allowed and the limit shown is UNLIMITED."""
        now = time.time()
        window = int(now)
        limit = max(int(math.ceil(self.rate_limit)), 1) if self.rate_limit > 0 else UNLIMITED
        with self._lock:
            if window != self._window:
                self._window, self._window_count = window, 0
            self._window_count += 1
            count = self._window_count
        return count <= limit, limit, max(limit - count, 0), window + 1

    def over_rate_limit(self):
        """True when this request is beyond `rate_limit` requests in the current one-second window."""
        return not self.take()[0]


class Stats:
    """Counts by endpoint, task and HTTP method, and the URLs received (never the form bodies)."""

    WRITE_TASKS = ('delete', 'add', 'update')

    def __init__(self, log_size=100000):
        self._lock = threading.Lock()
        self._log_size = log_size
        self.reset()

    def reset(self):
        with self._lock:
            self._counts = collections.Counter()
            self._outcomes = collections.Counter()
            self._log = collections.deque(maxlen=self._log_size)

    def record(self, endpoint, task, method, url, outcome):
        with self._lock:
            self._counts[(endpoint, task or '', method)] += 1
            self._outcomes[outcome] += 1
            self._log.append({'method': method, 'url': url, 'outcome': outcome})

    def snapshot(self):
        with self._lock:
            rows = [{'endpoint': e, 'task': t, 'method': m, 'count': c}
                    for (e, t, m), c in sorted(self._counts.items())]
            by_endpoint = collections.defaultdict(lambda: {'total': 0, 'by_task': {}, 'by_method': {}})
            for row in rows:
                entry = by_endpoint[row['endpoint']]
                entry['total'] += row['count']
                entry['by_task'][row['task']] = entry['by_task'].get(row['task'], 0) + row['count']
                entry['by_method'][row['method']] = entry['by_method'].get(row['method'], 0) + row['count']
            writes = sum(r['count'] for r in rows if r['task'] in self.WRITE_TASKS)
            total = sum(r['count'] for r in rows)
            return {
                'total': total,
                'writes': writes,
                'reads': total - writes,
                'outcomes': dict(self._outcomes),
                'by_endpoint': dict(by_endpoint),
                'requests': rows,
            }

    def urls(self):
        with self._lock:
            return list(self._log)
