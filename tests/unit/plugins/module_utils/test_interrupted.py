"""interrupted.py: a killed run's report from its journal alone, each address checked against the list where this
run speaks to the same API, totals that add up to what it selected, and the journal closed on the dead run's behalf
so that it is reported once; a run that stopped itself told once from its journal's closing entry."""

import json
import os

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.interrupted import finish_all, would_finish_all
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import Contents, Journal
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options

OPTIONS = Options.read({'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9'}.get)


class Listed:
    def __init__(self, emails):
        self.emails = emails

    def list(self, dummy_filters):
        if isinstance(self.emails, Exception):
            raise self.emails
        return [{'email': email} for email in self.emails]


def _killed_run(folder, api_url='http://127.0.0.1:9'):
    """A journal as a SIGKILLed run leaves it: six addresses selected, two requests sent (the second in flight when
    it was killed), two addresses never journalled; no end, the lock let go with the process (here, by hand)."""
    journal = Journal(str(folder / 'suppression_cleanup-20261204T000000Z-run.journal'),
                      {'run': 'r1', 'started': '2026-12-04T00:00:00Z', 'api_url': api_url, 'api_version': 'v3'})
    journal.selected(7, addresses=6, held_back=1, deleted_before=0)
    scope = journal.scope(0, 'blocks', None, None)
    journal.answered(journal.before(scope, ['A@x.test', 'b@x.test']), gone=['b@x.test'])
    journal.before(scope, ['c@x.test', 'd@x.test'])        # in flight when killed
    journal._closed.set()
    journal._syncer.join()
    os.close(journal._fd)
    return journal.path


def _report(finished):
    return json.loads(open(finished['report']['json'], encoding='utf-8').read())


def _outcomes_add_up(totals):
    return sum(totals[name] for name in ('deleted', 'already_gone', 'failed', 'not_deleted', 'not_attempted',
                                         'unknown')) == totals['selected']


def test_a_killed_run_is_reported_with_what_sendgrid_still_lists(tmp_path):
    path = _killed_run(tmp_path)
    finished, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed(['d@x.test']), 'r2')
    assert finished['verified'] and finished['deleted'] == 2 and finished['selected'] == 6
    assert finished['msg'].startswith(
        'an interrupted cleanup run (started 2026-12-04T00:00:00Z) deleted 2 of the 6 addresses it selected '
        '(already gone 1, failed 0, not deleted 1, not attempted 2); its report is ')
    report = _report(finished)
    assert [(row['email'], row['outcome'], row['verified'], row['still_listed']) for row in report['records']] == [
        ('A@x.test', 'deleted', False, False), ('b@x.test', 'already_gone', False, False),
        ('c@x.test', 'deleted', True, False), ('d@x.test', 'not_deleted', True, True)]
    # The two addresses the run never journalled died with it: counted, not named.
    assert report['totals'] == {'selected': 6, 'held_back': 1, 'deleted': 2, 'already_gone': 1, 'failed': 0,
                                'not_deleted': 1, 'not_attempted': 2, 'unknown': 0}
    assert report['not_journalled'] == 2 and finished['totals'] == report['totals']
    assert _outcomes_add_up(report['totals'])
    assert report['interrupted'] and report['finished_by'] == 'r2'
    contents = Contents(path)
    assert contents.end['finished_by'] == 'r2' and contents.end['totals'] == report['totals']
    # The answer is the journal's now: whoever reads it later (the undo, the next run) reads the same outcomes.
    assert [(email, outcome) for dummy, email, outcome, dummy in contents.outcomes()][2:] == [
        ('c@x.test', 'deleted'), ('d@x.test', 'not_deleted')]
    assert contents.removed() == 3
    assert finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r3') == [], 'reported once'


def test_a_run_against_another_api_is_reported_unverified(tmp_path):
    _killed_run(tmp_path, api_url='https://api.sendgrid.com')
    finished, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r2')
    assert not finished['verified'] and finished['deleted'] == 1
    assert 'not checked against SendGrid: it ran against https://api.sendgrid.com v3' in finished['msg']
    report = _report(finished)
    assert {row['still_listed'] for row in report['records']} == {None}
    assert report['totals']['unknown'] == 2 and report['totals']['not_attempted'] == 2
    assert _outcomes_add_up(report['totals'])


def test_a_list_that_cannot_be_read_leaves_its_addresses_unverified(tmp_path):
    _killed_run(tmp_path)
    finished, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed(SendGridError('HTTP 403')), 'r2')
    report = _report(finished)
    assert {row['still_listed'] for row in report['records']} == {None} and finished['deleted'] == 1
    assert report['totals']['unknown'] == 2 and _outcomes_add_up(report['totals'])


def test_in_check_mode_each_killed_run_is_named_with_its_report_and_nothing_is_written(tmp_path):
    path = _killed_run(tmp_path)
    before = sorted(os.listdir(str(tmp_path))), open(path, encoding='utf-8').read()
    told, = would_finish_all(str(tmp_path))
    base = path[:-len('.journal')]
    assert told['report'] == {'json': base + '-interrupted.json', 'csv': base + '-interrupted.csv'}
    assert told['journal'] == path and told['selected'] == 7 and told['written'] is False
    assert 'would be written to %s-interrupted.json (nothing was written)' % base in told['msg']
    assert (sorted(os.listdir(str(tmp_path))), open(path, encoding='utf-8').read()) == before
    finished, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r2')
    assert finished['report'] == told['report'], 'the real run writes the report check mode named'


def test_a_run_killed_before_its_selection_was_journalled_counts_what_it_sent(tmp_path):
    journal = Journal(str(tmp_path / 'a.journal'), {'run': 'r1', 'api_url': 'http://127.0.0.1:9',
                                                    'api_version': 'v3'})
    journal.abandon()
    finished, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r2')
    assert finished['selected'] == 0 and _outcomes_add_up(finished['totals'])


def test_a_stopped_run_is_told_once_from_its_closing_entry(tmp_path):
    totals = {'selected': 10, 'held_back': 0, 'deleted': 4, 'already_gone': 0, 'failed': 1, 'not_deleted': 0,
              'not_attempted': 5, 'unknown': 0, 'left_alone': 0}
    journal = Journal(str(tmp_path / 'a.journal'), {'run': 'r1', 'started': '2026-12-04T00:00:00Z'})
    journal.close('interrupted', stopped='stopped by SIGINT', report={'json': '/r/a.json'}, totals=totals)
    told, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r2')
    assert told['msg'] == (
        'a cleanup run (started 2026-12-04T00:00:00Z) was stopped by SIGINT: it deleted 4 of the 10 records it '
        'selected (already gone 0, failed 1, not attempted 5); its report is /r/a.json; running the cleanup again '
        'finishes the job')
    assert told['deleted'] == 4 and told['selected'] == 10 and Contents(journal.path).told_by == 'r2'
    assert finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r3') == [], 'told once'


def test_a_run_stopped_with_nothing_left_does_not_send_the_person_to_run_it_again(tmp_path):
    totals = {'selected': 10, 'held_back': 0, 'deleted': 9, 'already_gone': 1, 'failed': 0, 'not_deleted': 0,
              'not_attempted': 0, 'unknown': 0, 'left_alone': 0}
    journal = Journal(str(tmp_path / 'a.journal'), {'run': 'r1', 'started': '2026-12-04T00:00:00Z'})
    journal.close('interrupted', stopped='stopped by SIGINT', report={'json': '/r/a.json'}, totals=totals)
    told, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r2')
    assert told['msg'].endswith('its report is /r/a.json; nothing it selected is left to delete')
