# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cleanup's write-ahead journal: what each delete request will delete, written before the request is sent.

One JSON object a line, append-only, readable with jq:
  {"journal": 1, "run": ..., "started": ..., "api_url": ..., "api_version": ..., "plan_digest": ..., "report": ...}
  {"scope": 0, "list": ..., "user": ..., "group": ...}        a list the run deletes from, named once
  {"selected": N, "addresses": A, "held_back": H, "deleted_before": D}
                                                               the selection once the guard let it pass: records,
                                                               their addresses, the records held back, and what the
                                                               interrupted runs it continues deleted
  {"seq": 7, "scope": 0, "delete": [addresses]}                before the request is sent
  {"seq": 7, "gone": [...], "failed": {address: message}}      after its answer (the rest were deleted)
  {"seq": 7, "error": message} or {"seq": 7, "not_sent": why}  the whole request failed, or never left
  {"scope": 0, "skipped": [addresses], "why": ...}             never sent: the run was stopped first
  {"end": "finished" | "interrupted", ...}                     the run's last word, once its report is written
After a run is over, later runs append: {"seq": 7, "verified": true, "not_deleted": [...]} (a request left in
flight by a killed run, checked against the list: the rest are gone), {"end": ..., "finished_by": run} (a killed
run closed on its behalf), {"told_by": run} (the person was told what the run did) and {"continued_by": run}.
Each line goes to the kernel with one unbuffered write before the request leaves, which a SIGKILL or the OOM killer
cannot undo; an fsync at least once a second (SYNC_SECONDS) bounds what a crash of the host can lose. The file is
created 0600 in a 0700 folder (it names people's addresses) and locked (flock) while its run is alive, so a later
run can tell a journal whose run was killed from one whose run goes on. It never holds the API key."""

from __future__ import annotations

import fcntl
import glob
import json
import os
import threading

JOURNAL_FORMAT = 1
SUFFIX = '.journal'
SYNC_SECONDS = 1.0
FINISHED = 'finished'
INTERRUPTED = 'interrupted'
# The detail of an address a killed run left in flight that SendGrid no longer lists: counted deleted, verified.
VERIFIED_GONE = 'in flight when the run was killed; SendGrid no longer lists it'
# What a run removed from its selection, whichever way: deleted by it, or found gone when it asked.
REMOVED = ('deleted', 'already_gone')


def private_folder(path):
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


class Journal:
    """The journal a live run writes; every method may be called from any thread."""

    def __init__(self, path, head):
        private_folder(os.path.dirname(os.path.abspath(path)))
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._lock = threading.Lock()
        self._seq = 0
        self._scopes = {}
        self._dirty = False
        self._closed = threading.Event()
        self._write(dict({'journal': JOURNAL_FORMAT}, **head))
        os.fsync(self._fd)
        self._syncer = threading.Thread(target=self._sync_every_second, name='journal-sync', daemon=True)
        self._syncer.start()

    def _write(self, entry):
        data = (json.dumps(entry, separators=(',', ':'), ensure_ascii=False) + '\n').encode('utf-8')
        with self._lock:
            while data:
                data = data[os.write(self._fd, data):]
            self._dirty = True

    def _sync_every_second(self):
        while not self._closed.wait(SYNC_SECONDS):
            self._sync()

    def _sync(self):
        with self._lock:
            dirty, self._dirty = self._dirty, False
        if dirty:
            try:
                os.fsync(self._fd)
            except OSError:
                pass

    def scope(self, number, name, user, group, group_id=None):
        """Name a list, user and group (with the group's id) once, under `number` (the run's own number for it)."""
        with self._lock:
            if number in self._scopes:
                return number
            self._scopes[number] = (name, user, group)
        entry = {'scope': number, 'list': name, 'user': user, 'group': group}
        if group_id is not None:
            entry['group_id'] = group_id
        self._write(entry)
        return number

    def selected(self, count, **details):
        """The selection's size (records), with `addresses`, `held_back` and `deleted_before`."""
        self._write(dict({'selected': count}, **details))

    def before(self, scope, addresses):
        """Record a delete request's addresses before it is sent; its sequence number."""
        with self._lock:
            self._seq += 1
            seq = self._seq
        self._write({'seq': seq, 'scope': scope, 'delete': list(addresses)})
        return seq

    def answered(self, seq, gone=(), failed=None):
        """The request was answered: its addresses deleted, but `gone` (not listed) and `failed` (address: why)."""
        entry = {'seq': seq}
        if gone:
            entry['gone'] = list(gone)
        if failed:
            entry['failed'] = dict(failed)
        self._write(entry)

    def failed(self, seq, message):
        self._write({'seq': seq, 'error': message})

    def not_sent(self, seq, why):
        self._write({'seq': seq, 'not_sent': why})

    def skipped(self, scope, addresses, why):
        """Addresses the run will not send (it was stopped, or failures in a row stopped it)."""
        self._write({'scope': scope, 'skipped': list(addresses), 'why': why})

    def close(self, status, **details):
        """The closing entry, synced; the lock is let go with the file."""
        self._write(dict({'end': status}, **details))
        self.abandon()

    def abandon(self):
        """Let the journal go without a closing entry (its run failed before its report was written): the next run
        finishes it on paper, as it does a killed run's."""
        self._closed.set()
        self._syncer.join()
        os.fsync(self._fd)
        os.close(self._fd)


# ---- reading ----------------------------------------------------------------------------------------------------

class Contents:
    """A journal read back: its head, scopes, selection size, end and continuation; its outcomes are read again,
    line by line, when asked for, so that a journal of a million addresses never sits in memory."""

    def __init__(self, path):
        self.path = path
        self.head, self.end, self.selected, self.continued_by, self.told_by = {}, None, None, None, None
        self.scopes, self.group_ids, self.selection = {}, {}, {}
        for entry in self._entries():
            if 'journal' in entry:
                self.head = entry
            elif 'end' in entry:
                self.end = entry
            elif 'continued_by' in entry:
                self.continued_by = entry['continued_by']
            elif 'told_by' in entry:
                self.told_by = entry['told_by']
            elif 'list' in entry and 'scope' in entry:
                self.scopes[entry['scope']] = (entry.get('list'), entry.get('user'), entry.get('group'))
                self.group_ids[entry['scope']] = entry.get('group_id')
            elif 'selected' in entry:
                self.selected, self.selection = entry['selected'], entry

    @property
    def addresses(self):
        """How many addresses the run selected (its selection's `addresses`; a journal of 2.0.0 has only the
        records, which are the addresses unless a list held one address in two spellings)."""
        return self.selection.get('addresses', self.selected)

    def _entries(self):
        with open(self.path, encoding='utf-8') as handle:
            for line in handle:
                entry = _entry(line)
                if entry is not None:
                    yield entry

    def outcomes(self, exceptions_only=False):
        """(scope, address, outcome, error) of every journalled address, in the order the answers came: deleted,
        already_gone, failed, not_attempted, not_deleted (in flight when the run was killed, and still listed), or
        unknown (sent, and no answer recorded: the run was killed while it was in flight, and no later run could
        check). A deleted address that was in flight has VERIFIED_GONE as its error. With `exceptions_only`, the
        deleted addresses are left out."""
        pending = {}
        for entry in self._entries():
            if 'skipped' in entry:
                for email in entry['skipped']:
                    yield entry.get('scope'), email, 'not_attempted', 'not attempted: %s' % entry.get('why')
            elif 'delete' in entry:
                pending[entry['seq']] = entry
            elif entry.get('seq') in pending:
                request = pending.pop(entry['seq'])
                yield from _answered(request, entry, exceptions_only)
        for request in pending.values():
            yield from _answered(request, None, exceptions_only)

    def in_flight(self):
        """(seq, scope, addresses) of each request sent without an answer recorded: the run was killed first."""
        pending = {}
        for entry in self._entries():
            if 'delete' in entry:
                pending[entry['seq']] = entry
            elif 'seq' in entry:
                pending.pop(entry['seq'], None)
        return [(seq, request.get('scope'), request['delete']) for seq, request in pending.items()]

    def removed(self):
        """How many addresses this run and the runs it continued removed from the selection (REMOVED)."""
        return (self.selection.get('deleted_before') or 0) + sum(
            1 for dummy, dummy, outcome, dummy in self.outcomes() if outcome in REMOVED)


def _answered(request, answer, exceptions_only):
    gone = set((answer or {}).get('gone') or ())
    failed = (answer or {}).get('failed') or {}
    for email in request['delete']:
        found = _outcome(answer, email, gone, failed)
        if not exceptions_only or found[1] != 'deleted':
            yield (request.get('scope'),) + found


def _outcome(answer, email, gone, failed):
    if answer is None:
        return email, 'unknown', 'the request was sent; the run ended before its answer was recorded'
    if answer.get('verified'):
        if email in (answer.get('not_deleted') or ()):
            return email, 'not_deleted', 'in flight when the run was killed; SendGrid still lists it'
        return email, 'deleted', VERIFIED_GONE
    if 'not_sent' in answer:
        return email, 'not_attempted', 'not attempted: %s' % answer['not_sent']
    if 'error' in answer:
        return email, 'failed', answer['error']
    if email in failed:
        return email, 'failed', failed[email]
    return email, ('already_gone' if email in gone else 'deleted'), None


def _entry(line):
    """The JSON object of one line; None for a line cut short by a crash (the last one)."""
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


def is_live(path):
    """True while the run that writes the journal holds its lock (a run killed lets go of it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _journals(folder, live=False):
    """Each journal of `folder` read back, oldest first; without `live`, only those no run holds any more."""
    for path in sorted(glob.glob(os.path.join(folder, '*' + SUFFIX))):
        if not live and is_live(path):
            continue
        try:
            yield Contents(path)
        except OSError:
            continue


def interrupted_journals(folder):
    """The journals in `folder` whose run ended without its closing entry and is no longer alive, oldest first."""
    return [contents for contents in _journals(folder) if contents.end is None and contents.head]


def _stopped(contents):
    return bool(contents.end) and contents.end.get('end') == INTERRUPTED


def stopped_runs(folder, report_name):
    """The journals in `folder` of runs of this report name that ended interrupted and that no run has continued
    yet, oldest first: the run about to delete continues them."""
    return [contents for contents in _journals(folder, live=True) if _stopped(contents) and
            contents.continued_by is None and contents.head.get('report_name', '') == report_name]


def untold_stopped_runs(folder):
    """The journals in `folder` of runs that stopped themselves (their own closing entry says interrupted) and
    whose story nobody has told yet, oldest first: the person never saw their last line."""
    return [contents for contents in _journals(folder, live=True) if _stopped(contents) and
            'finished_by' not in contents.end and contents.told_by is None]


def append_verified(path, seq, not_deleted):
    """A killed run's request in flight, answered on its behalf by a later run that asked the list: the addresses
    of `not_deleted` are still listed, the others are gone."""
    append_entry(path, {'seq': seq, 'verified': True, 'not_deleted': list(not_deleted)})


def append_end(path, status, **details):
    """Close a dead run's journal on its behalf (so it is finished on paper once)."""
    append_entry(path, dict({'end': status}, **details))


def append_entry(path, entry):
    """A line added to the journal of a run that is over."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # A line the killed run left half-written ends here, so that this entry stands on a line of its own.
        os.write(fd, ('\n' + json.dumps(entry, separators=(',', ':')) + '\n').encode())
        os.fsync(fd)
    finally:
        os.close(fd)
