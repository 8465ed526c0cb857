"""journal.py: the write-ahead journal written line by line before each request, private, locked while its run
lives, read back into outcomes; the journals of dead runs told from live siblings'."""

import json
import os
import threading

from ansible_collections.mailops.sendgrid.plugins.module_utils import journal as journal_module
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import (
    Contents, Journal, append_end, interrupted_journals, is_live, stopped_runs, untold_stopped_runs)


def _lines(path):
    return [json.loads(line) for line in open(path, encoding='utf-8') if line.strip()]


def test_each_entry_is_on_disk_before_the_call_returns(tmp_path):
    path = str(tmp_path / 'runs' / 'a.journal')
    journal = Journal(path, {'run': 'r1', 'api_url': 'http://x'})
    scope = journal.scope(0, 'blocks', 'tenant-1', None)
    seq = journal.before(scope, ['a@x.test', 'b@x.test'])
    # Read by another open file while the journal is still open: nothing waits in a buffer of this process.
    assert _lines(path)[-1] == {'seq': seq, 'scope': scope, 'delete': ['a@x.test', 'b@x.test']}
    journal.answered(seq, gone=['b@x.test'])
    journal.close('finished')
    assert _lines(path)[0] == {'journal': 1, 'run': 'r1', 'api_url': 'http://x'}
    assert _lines(path)[-1] == {'end': 'finished'}


def test_the_journal_is_private_and_locked_while_its_run_lives(tmp_path):
    folder = tmp_path / 'reports'
    path = str(folder / 'a.journal')
    journal = Journal(path, {'run': 'r1'})
    assert oct(os.stat(path).st_mode & 0o777) == '0o600' and oct(os.stat(folder).st_mode & 0o777) == '0o700'
    assert is_live(path)
    journal.close('finished')
    assert not is_live(path)


def test_outcomes_as_the_api_answered_each_request(tmp_path):
    path = str(tmp_path / 'a.journal')
    journal = Journal(path, {'run': 'r1'})
    scope = journal.scope(0, 'invalid_emails', None, None)
    answered = journal.before(scope, ['a@x.test', 'b@x.test', 'c@x.test'])
    journal.answered(answered, gone=['b@x.test'], failed={'c@x.test': 'HTTP 400'})
    failed = journal.before(scope, ['d@x.test'])
    journal.failed(failed, 'HTTP 503 after every retry')
    not_sent = journal.before(scope, ['e@x.test'])
    journal.not_sent(not_sent, 'stopped by SIGTERM')
    journal.skipped(scope, ['g@x.test'], 'stopped by SIGINT')
    journal.before(scope, ['f@x.test'])          # sent, and the run killed before the answer
    contents = Contents(path)
    assert [(email, outcome) for dummy, email, outcome, dummy in contents.outcomes()] == [
        ('a@x.test', 'deleted'), ('b@x.test', 'already_gone'), ('c@x.test', 'failed'), ('d@x.test', 'failed'),
        ('e@x.test', 'not_attempted'), ('g@x.test', 'not_attempted'), ('f@x.test', 'unknown')]
    assert [email for dummy, email, dummy, dummy in contents.outcomes(exceptions_only=True)][0] == 'b@x.test'
    assert contents.scopes == {0: ('invalid_emails', None, None)} and contents.end is None


def test_a_line_cut_short_by_a_crash_is_skipped(tmp_path):
    path = tmp_path / 'a.journal'
    path.write_text('{"journal": 1, "run": "r1"}\n{"seq": 1, "scope": 0, "delete": ["a@x.te')
    assert list(Contents(str(path)).outcomes()) == []
    append_end(str(path), 'interrupted', finished_by='r2')
    assert Contents(str(path)).end == {'end': 'interrupted', 'finished_by': 'r2'}


def test_many_threads_write_whole_lines(tmp_path):
    path = str(tmp_path / 'a.journal')
    journal = Journal(path, {'run': 'r1'})
    scope = journal.scope(0, 'blocks', None, None)

    def write(number):
        for index in range(200):
            journal.answered(journal.before(scope, ['%d-%d@x.test' % (number, index)]))
    threads = [threading.Thread(target=write, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    journal.close('finished')
    outcomes = list(Contents(path).outcomes())
    assert len(outcomes) == 1600 and {outcome for dummy, dummy, outcome, dummy in outcomes} == {'deleted'}


def test_the_journal_is_synced_at_least_once_a_second(tmp_path, monkeypatch):
    synced = threading.Event()
    real_fsync = os.fsync

    def fsync(fd):
        synced.set()
        return real_fsync(fd)
    monkeypatch.setattr(journal_module, 'SYNC_SECONDS', 0.05)
    journal = Journal(str(tmp_path / 'a.journal'), {'run': 'r1'})
    monkeypatch.setattr(os, 'fsync', fsync)
    journal.before(journal.scope(0, 'blocks', None, None), ['a@x.test'])
    assert synced.wait(5), 'a write was never synced'
    journal.close('finished')


def test_only_dead_runs_without_an_end_are_interrupted(tmp_path):
    live = Journal(str(tmp_path / '1-live.journal'), {'run': 'live'})
    done = Journal(str(tmp_path / '2-done.journal'), {'run': 'done'})
    done.close('finished')
    (tmp_path / '3-dead.journal').write_text('{"journal": 1, "run": "dead"}\n')
    assert [contents.head['run'] for contents in interrupted_journals(str(tmp_path))] == ['dead']
    live.close('finished')


def test_stopped_runs_of_one_name_are_continued_once(tmp_path):
    stopped = Journal(str(tmp_path / 'a.journal'), {'run': 'r1', 'report_name': 'tenant-1'})
    stopped.close('interrupted', report={'json': 'a.json'})
    other = Journal(str(tmp_path / 'b.journal'), {'run': 'r2', 'report_name': 'tenant-2'})
    other.close('interrupted', report={'json': 'b.json'})
    found = stopped_runs(str(tmp_path), 'tenant-1')
    assert [contents.head['run'] for contents in found] == ['r1']
    journal_module.append_entry(found[0].path, {'continued_by': 'r3'})
    assert stopped_runs(str(tmp_path), 'tenant-1') == []


def test_a_request_left_in_flight_is_answered_by_the_run_that_checked_it(tmp_path):
    path = str(tmp_path / 'a.journal')
    journal = Journal(path, {'run': 'r1'})
    scope = journal.scope(0, 'blocks', None, None)
    journal.answered(journal.before(scope, ['a@x.test']))
    in_flight = journal.before(scope, ['b@x.test', 'c@x.test'])
    journal.abandon()
    assert Contents(path).in_flight() == [(in_flight, scope, ['b@x.test', 'c@x.test'])]
    journal_module.append_verified(path, in_flight, ['c@x.test'])
    contents = Contents(path)
    assert contents.in_flight() == [] and contents.end is None
    assert [(email, outcome, error) for dummy, email, outcome, error in contents.outcomes()] == [
        ('a@x.test', 'deleted', None), ('b@x.test', 'deleted', journal_module.VERIFIED_GONE),
        ('c@x.test', 'not_deleted', 'in flight when the run was killed; SendGrid still lists it')]


def test_what_a_run_removed_counts_the_runs_it_continued(tmp_path):
    path = str(tmp_path / 'a.journal')
    journal = Journal(path, {'run': 'r2'})
    journal.selected(5, addresses=5, held_back=0, deleted_before=7)
    scope = journal.scope(0, 'blocks', None, None)
    journal.answered(journal.before(scope, ['a@x.test', 'b@x.test', 'c@x.test']), gone=['b@x.test'],
                     failed={'c@x.test': 'HTTP 400'})
    journal.skipped(scope, ['d@x.test', 'e@x.test'], 'stopped by SIGINT')
    journal.close('interrupted')
    contents = Contents(path)
    assert contents.removed() == 7 + 2, 'deleted or found gone, and what the runs before it removed'
    assert contents.selected == 5 and contents.addresses == 5 and contents.selection['deleted_before'] == 7


def test_a_run_that_failed_before_its_report_leaves_its_journal_unclosed(tmp_path):
    journal = Journal(str(tmp_path / 'a.journal'), {'run': 'r1'})
    journal.abandon()
    assert not is_live(journal.path)
    assert [contents.head['run'] for contents in interrupted_journals(str(tmp_path))] == ['r1']


def test_stopped_runs_are_told_once_and_killed_ones_are_not_told_twice(tmp_path):
    stopped = Journal(str(tmp_path / 'a.journal'), {'run': 'r1'})
    stopped.close('interrupted', stopped='stopped by SIGTERM')
    killed = Journal(str(tmp_path / 'b.journal'), {'run': 'r2'})
    killed.abandon()
    append_end(killed.path, 'interrupted', finished_by='r3')
    finished = Journal(str(tmp_path / 'c.journal'), {'run': 'r4'})
    finished.close('finished')
    assert [contents.head['run'] for contents in untold_stopped_runs(str(tmp_path))] == ['r1']
    journal_module.append_entry(stopped.path, {'told_by': 'r5'})
    assert untold_stopped_runs(str(tmp_path)) == []
