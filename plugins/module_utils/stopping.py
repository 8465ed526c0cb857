# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stopping a long run when it is asked to, or when the process that started it is gone.

ansible-core (2.19) runs a task in a worker process that has called setsid, its stdio on /dev/null. Ctrl-C (SIGINT
to the terminal's foreground process group) reaches only the controller, which forwards SIGINT to the worker, prints
"User interrupted execution" and exits (99); SIGTERM to ansible-playbook is forwarded as SIGTERM, then the
controller kills itself with it. ansible-runner's cancel (AWX) SIGKILLs ansible-playbook's process group, which the
worker left, and a SIGKILLed controller leaves the worker running, reparented. (Before 2.19 the worker stays in
ansible-playbook's process group: Ctrl-C reaches it directly, nothing is forwarded, and a cancel kills it.) So,
while a run is watched, SIGINT and SIGTERM only set a flag, the parent's death sends SIGTERM (Linux) and is also
checked before every request, and every request, retry and wait asks the flag first: no request starts after a stop,
and the run ends within one attempt's deadline, its report written and its journal closed. Whatever the worker says
after the stop reaches nobody: the controller has gone; the run says where its journal and report are before its
first delete instead, and the next run tells what it did."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
# How often a wait looks at the parent process when no signal can tell it (a platform without PDEATHSIG).
PARENT_POLL_SECONDS = 0.5
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class RunStopped(Exception):
    """The run was asked to stop (a signal, or its parent is gone): no further request is sent."""


class _Watch:
    def __init__(self):
        self.event = threading.Event()
        self.reason = None
        self.parent = None
        self.active = False


_watch = _Watch()


def request_stop(reason):
    """Stop the watched run: the first reason is the one reported."""
    if _watch.reason is None:
        _watch.reason = reason
    _watch.event.set()


def requested():
    """True once the watched run must stop (never outside a watched run)."""
    if not _watch.active:
        return False
    if not _watch.event.is_set() and _watch.parent is not None and os.getppid() != _watch.parent:
        request_stop('the controller process that ran this task is gone')
    return _watch.event.is_set()


def reason():
    return _watch.reason


def check():
    """Raise RunStopped when the watched run must stop: called before each request."""
    if requested():
        raise RunStopped(_watch.reason)


def pause(seconds):
    """Sleep `seconds`, or less if the run is stopped meanwhile (then RunStopped): every wait of a watched run."""
    if not _watch.active:
        time.sleep(max(seconds, 0))
        return
    deadline = time.monotonic() + max(seconds, 0)
    while True:
        check()
        left = deadline - time.monotonic()
        if left <= 0:
            return
        _watch.event.wait(min(left, PARENT_POLL_SECONDS))


def _on_signal(signum, dummy_frame):
    request_stop('stopped by %s' % signal.Signals(signum).name)


def _set_parent_death_signal(signum):
    """Ask Linux to send `signum` when the parent dies; False where it cannot (the getppid() check remains)."""
    if not sys.platform.startswith('linux'):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


@contextlib.contextmanager
def watching():
    """Watch a run for stop requests for the duration of the block; the previous signal handlers come back after.

    Signal handlers can only be set in the main thread; elsewhere the parent check and request_stop() still work."""
    _watch.event.clear()
    _watch.reason = None
    _watch.parent = os.getppid()
    _watch.active = True
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in _SIGNALS:
            previous[signum] = signal.signal(signum, _on_signal)
    death_signal = _set_parent_death_signal(signal.SIGTERM)
    try:
        # The parent may have died before the death signal was set.
        requested()
        yield _watch
    finally:
        if death_signal:
            _set_parent_death_signal(0)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _watch.active = False


def parent_gone():
    """True when the watched run's parent process is gone (nobody is left to take the task's result)."""
    return _watch.parent is not None and os.getppid() != _watch.parent
