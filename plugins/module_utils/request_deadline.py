# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A total deadline for each HTTP attempt, headers and body together.

A socket timeout bounds each read, not the answer: a server that sends one byte a second never trips it. So every
connection a request uses is registered with a watchdog thread, which shuts the socket down once the attempt has
run past its deadline; the blocked read then fails at once and the retry policy sees the attempt as expired.
"""

from __future__ import annotations

import socket
import threading
import time

try:
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
except ImportError:
    HTTPAdapter = HTTPConnection = HTTPSConnection = HTTPConnectionPool = HTTPSConnectionPool = object

_current = threading.local()


class Watch:
    """The deadline of the request running in one thread; restarted by each attempt (each retry)."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.connection = None
        self.expired = False

    def attempt(self, connection):
        self.deadline = time.monotonic() + self.seconds
        self.connection = connection
        _WATCHDOG.wake()

    def expire(self):
        self.expired = True
        # http.client lets go of the socket (sock = None) once a body is read to the close of the connection:
        # the socket kept at connect time is still the one the body is read from.
        sock = getattr(self.connection, 'sock', None) or getattr(self.connection, 'watched_sock', None)
        if sock is not None:
            try:
                # socket.socket's own shutdown, also for a TLS socket: it cuts the file descriptor without touching
                # the TLS state the reading thread is using.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except (OSError, TypeError, ValueError):
                pass

    def __enter__(self):
        _current.watch = self
        _WATCHDOG.add(self)
        return self

    def __exit__(self, *exc_info):
        _current.watch = None
        _WATCHDOG.remove(self)
        return False


class BodyWatch(Watch):
    """The deadline of one read of a body read as it arrives (entered around each read): the time its reader
    spends between reads is not counted, so a slow consumer is never cut, while a server that stops sending is."""

    def __init__(self, seconds, connection):
        super().__init__(seconds)
        self.connection = connection

    def __enter__(self):
        self.deadline = time.monotonic() + self.seconds
        _WATCHDOG.add(self)
        return self

    def __exit__(self, *exc_info):
        _WATCHDOG.remove(self)
        return False


def current_watch():
    return getattr(_current, 'watch', None)


def current_attempt_expired():
    watch = current_watch()
    return bool(watch and watch.expired)


class _Watchdog:
    """One daemon thread for the process, alive only while some request is watched."""

    def __init__(self):
        self._watches = set()
        self._condition = threading.Condition()
        self._running = False

    def add(self, watch):
        with self._condition:
            self._watches.add(watch)
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name='sendgrid-deadline', daemon=True).start()
            self._condition.notify()

    def remove(self, watch):
        with self._condition:
            self._watches.discard(watch)

    def wake(self):
        with self._condition:
            self._condition.notify()

    def _run(self):
        with self._condition:
            while self._watches:
                now = time.monotonic()
                for watch in [w for w in self._watches if w.deadline <= now]:
                    self._watches.discard(watch)
                    watch.expire()
                if self._watches:
                    self._condition.wait(max(min(w.deadline for w in self._watches) - now, 0.01))
            self._running = False


_WATCHDOG = _Watchdog()


class _WatchedConnection:
    """Registers the connection with the thread's watch at the start of each attempt."""

    def request(self, *args, **kwargs):
        watch = current_watch()
        if watch is not None:
            watch.attempt(self)
        return super().request(*args, **kwargs)

    def connect(self):
        super().connect()
        self.watched_sock = self.sock


class _WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections the watchdog can cut, directly or through a proxy."""

    _POOLS = {'http': _WatchedHTTPPool, 'https': _WatchedHTTPSPool}

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self._POOLS)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(self._POOLS)
        return manager
