# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a long cleanup tells while it runs: counters the threads update, and every INTERVAL seconds a line or two (none
for a run shorter than that); and, at once, the lines a person must see whatever happens next (tell). For one user
the list, records read, selected and deleted, the rate and the time left; for many users the users done of the total
and the records deleted, plus any list that alone has taken longer than the interval (a few at most: a fleet of
thousands never prints thousands of lines)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping

INTERVAL = 10.0
# How long the end of a run waits for the progress thread to finish the line it is telling.
JOIN_SECONDS = 5.0
SLOW_LISTS_SHOWN = 3


def _number(value):
    return '{:,}'.format(int(value))


def _duration(seconds):
    seconds = int(round(seconds))
    if seconds < 120:
        return '%d s' % seconds
    if seconds < 7200:
        return '%d min' % round(seconds / 60.0)
    return '%.1f h' % (seconds / 3600.0)


class Progress:
    """The counters of one run; every method may be called from any thread."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self.started = clock()
        self.phase, self.phase_started = 'reading', self.started
        self.read = self.selected = self.deleted = self.to_delete = 0
        self._lists, self._users, self._active, self._done = {}, {}, {}, Counter()
        self.emit = None

    def tell(self, line):
        """Say `line` at once, through the display that reporting() gives (nothing outside it): what the person
        must see before a step that may be the run's last, such as the first delete."""
        emit = self.emit
        if emit is not None:
            try:
                emit(line)
            except Exception:  # pylint: disable=broad-exception-caught
                pass    # a courtesy, as the progress lines are: a display that fails never stops the run

    def lists(self, scopes):
        """The (list, user, group) the run concerns."""
        with self._lock:
            for scope in scopes:
                self._lists[scope] = scope[1]
                self._users.setdefault(scope[1], 0)
                self._users[scope[1]] += 1

    def start_phase(self, phase, to_delete=0):
        with self._lock:
            self.phase, self.phase_started, self.to_delete = phase, self._clock(), to_delete
            self._active, self._done = {}, Counter()

    def list_started(self, scope):
        with self._lock:
            self._active[scope] = self._clock()

    def list_done(self, scope):
        with self._lock:
            self._active.pop(scope, None)
            self._done[scope[1]] += 1

    def records_read(self, count=1, selected=0):
        with self._lock:
            self.read += count
            self.selected += selected

    def records_deleted(self, count):
        with self._lock:
            self.deleted += count

    def lines(self):
        """What to print now."""
        with self._lock:
            now = self._clock()
            if len(self._users) > 1:
                return self._fleet_lines(now)
            return [self._one_user_line(now)]

    def _one_user_line(self, now):
        names = ', '.join(sorted({'%s%s' % (scope[0], '' if scope[2] is None else ' %s' % scope[2])
                                  for scope in self._lists}))
        user = next(iter(self._users), None)
        where = '%s%s' % (names or 'the lists', ' of %s' % user if user else '')
        if self.phase == 'reading':
            return 'reading %s: %s records read, %s selected (%s)' % (
                where, _number(self.read), _number(self.selected), _duration(now - self.started))
        return 'deleting from %s: %s of %s selected deleted%s' % (
            where, _number(self.deleted), _number(self.to_delete), self._rate(now))

    def _rate(self, now):
        seconds = now - self.phase_started
        if not self.deleted or seconds <= 0:
            return ''
        rate = self.deleted / seconds
        left = max(self.to_delete - self.deleted, 0) / rate
        return ' (%s/s, about %s left)' % (_number(rate), _duration(left))

    def _fleet_lines(self, now):
        done_users = [user for user, count in self._users.items() if self._done[user] >= count]
        verb = 'read' if self.phase == 'reading' else 'cleaned'
        lines = ['%s %s of %s users; %s records read, %s selected, %s deleted so far (%s)' % (
            verb, _number(len(done_users)), _number(len(self._users)), _number(self.read), _number(self.selected),
            _number(self.deleted), _duration(now - self.started))]
        slow = sorted((started, scope) for scope, started in self._active.items() if now - started >= INTERVAL)
        for started, scope in slow[:SLOW_LISTS_SHOWN]:
            lines.append('still %s %s%s of %s, for %s' % (
                self.phase, scope[0], '' if scope[2] is None else ' %s' % scope[2], scope[1] or 'the account',
                _duration(now - started)))
        return lines


@contextlib.contextmanager
def reporting(progress, emit, interval=INTERVAL):
    """Emit progress.lines() every `interval` seconds while the block runs (nothing if it ends sooner)."""
    stopped = threading.Event()
    emit = _while_heard(emit)

    def tell():
        while not stopped.wait(interval):
            try:
                for line in progress.lines():
                    emit(line)
            except Exception:  # pylint: disable=broad-exception-caught
                # Progress is a courtesy: a display that fails must never stop the deletes it reports on.
                return

    thread = threading.Thread(target=tell, name='cleanup-progress', daemon=True)
    thread.start()
    progress.emit = emit
    try:
        yield progress
    finally:
        progress.emit = None
        stopped.set()
        # Never for ever: a line stuck on its way to a controller that is gone must not keep the run from ending.
        thread.join(JOIN_SECONDS)


def _while_heard(emit):
    """`emit`, skipped once the run's parent is gone: a worker's display goes through a pipe to the controller, which
    nobody reads any more, and a write to a full pipe would wait for ever, holding the run (and its journal) open."""
    def told(line):
        if not stopping.parent_gone():
            emit(line)
    return told
