"""progress.py: the lines a long run prints, for one user and for a fleet, and none for a short run."""

import threading
import time

from ansible_collections.mailops.sendgrid.plugins.module_utils import progress as progress_module
from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.progress import Progress, reporting


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_one_user_reading_then_deleting():
    clock = Clock()
    progress = Progress(clock)
    progress.lists([('invalid_emails', None, None)])
    progress.records_read(120000, 118000)
    clock.now = 12
    assert progress.lines() == ['reading invalid_emails: 120,000 records read, 118,000 selected (12 s)']
    progress.start_phase('deleting', 118000)
    clock.now = 22
    progress.records_deleted(40000)
    assert progress.lines() == ['deleting from invalid_emails: 40,000 of 118,000 selected deleted (4,000/s, about '
                                '20 s left)']


def test_a_fleet_prints_a_few_lines_not_one_per_user():
    clock = Clock()
    progress = Progress(clock)
    scopes = [('blocks', 'tenant-%d' % number, None) for number in range(2000)]
    progress.lists(scopes)
    progress.start_phase('deleting', 20000)
    for scope in scopes[:120]:
        progress.list_started(scope)
        progress.list_done(scope)
    for scope in scopes[120:130]:
        progress.list_started(scope)
    progress.records_deleted(1200)
    clock.now = 25
    lines = progress.lines()
    assert lines[0] == 'cleaned 120 of 2,000 users; 0 records read, 0 selected, 1,200 deleted so far (25 s)'
    assert lines[1:] == ['still deleting blocks of tenant-120, for 25 s', 'still deleting blocks of tenant-121, for 25 s',
                         'still deleting blocks of tenant-122, for 25 s']


def test_nothing_is_printed_by_a_run_shorter_than_the_interval():
    told = []
    with reporting(Progress(), told.append, interval=30):
        pass
    assert told == []
    seen = threading.Event()
    with reporting(Progress(), lambda line: seen.set(), interval=0.05):
        assert seen.wait(5)


def test_a_line_told_is_emitted_at_once_while_a_display_listens_and_never_fails_the_run():
    progress, said = Progress(), []
    progress.tell('before the display')
    with reporting(progress, said.append, interval=3600):
        progress.tell('the journal is /r/a.journal')
    progress.tell('after it')
    assert said == ['the journal is /r/a.journal']

    def broken(line):
        raise OSError('the display is gone')
    with reporting(progress, broken, interval=3600):
        progress.tell('said to nobody')


def test_nothing_is_told_once_the_controller_is_gone_and_a_stuck_line_never_holds_the_run(monkeypatch):
    """A worker's display is a pipe to the controller: once the controller is gone nobody reads it, and a write to
    a full one would wait for ever, holding the run and its journal open."""
    progress, said, stuck = Progress(), [], threading.Event()
    monkeypatch.setattr(stopping, 'parent_gone', lambda: True)
    with reporting(progress, said.append, interval=3600):
        progress.tell('the journal is /r/a.journal')
    assert said == []
    monkeypatch.setattr(stopping, 'parent_gone', lambda: False)
    monkeypatch.setattr(progress_module, 'JOIN_SECONDS', 0.2)
    ended = threading.Event()

    def run():
        with reporting(Progress(), lambda line: stuck.wait(), interval=0.01):
            time.sleep(0.05)      # the progress thread is now waiting inside its display
        ended.set()
    threading.Thread(target=run, daemon=True).start()
    assert ended.wait(60), 'the end of the run waited for a display that never returns'
    stuck.set()
