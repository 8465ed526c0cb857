"""interrupted.py: a killed run's report from its journal alone, each address checked against the list where this
run speaks to the same API, and the journal closed on the dead run's behalf so that it is reported once."""

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
    """A journal as a SIGKILLed run leaves it: no end, the lock let go with the process (here, closed by hand)."""
    journal = Journal(str(folder / 'suppression_cleanup-20261204T000000Z-run.journal'),
                      {'run': 'r1', 'started': '2026-12-04T00:00:00Z', 'api_url': api_url, 'api_version': 'v3'})
    journal.selected(4)
    scope = journal.scope(0, 'blocks', None, None)
    journal.answered(journal.before(scope, ['A@x.test', 'b@x.test']), gone=['b@x.test'])
    journal.before(scope, ['c@x.test', 'd@x.test'])        # in flight when killed
    journal._closed.set()
    journal._syncer.join()
    os.close(journal._fd)
    return journal.path


def test_a_killed_run_is_reported_with_what_sendgrid_still_lists(tmp_path):
    path = _killed_run(tmp_path)
    finished, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed(['d@x.test']), 'r2')
    assert finished['verified'] and finished['deleted'] == 2 and finished['selected'] == 4
    assert finished['msg'].startswith('an interrupted cleanup run (started 2026-12-04T00:00:00Z) deleted 2 of the 4 '
                                      'records it selected; its report is ')
    report = json.loads(open(finished['report']['json'], encoding='utf-8').read())
    assert [(row['email'], row['outcome'], row['still_listed']) for row in report['records']] == [
        ('A@x.test', 'deleted', False), ('b@x.test', 'already_gone', False), ('c@x.test', 'unknown', False),
        ('d@x.test', 'unknown', True)]
    assert report['interrupted'] and report['finished_by'] == 'r2' and report['totals']['unknown'] == 2
    assert Contents(path).end['finished_by'] == 'r2'
    assert finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r3') == [], 'reported once'


def test_a_run_against_another_api_is_reported_unverified(tmp_path):
    _killed_run(tmp_path, api_url='https://api.sendgrid.com')
    finished, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r2')
    assert not finished['verified'] and finished['deleted'] == 1
    assert 'not checked against SendGrid: it ran against https://api.sendgrid.com v3' in finished['msg']
    rows = json.loads(open(finished['report']['json'], encoding='utf-8').read())['records']
    assert {row['still_listed'] for row in rows} == {None}


def test_a_list_that_cannot_be_read_leaves_its_addresses_unverified(tmp_path):
    _killed_run(tmp_path)
    finished, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed(SendGridError('HTTP 403')), 'r2')
    rows = json.loads(open(finished['report']['json'], encoding='utf-8').read())['records']
    assert {row['still_listed'] for row in rows} == {None} and finished['deleted'] == 1


def test_in_check_mode_each_killed_run_is_named_with_its_report_and_nothing_is_written(tmp_path):
    path = _killed_run(tmp_path)
    before = sorted(os.listdir(str(tmp_path))), open(path, encoding='utf-8').read()
    told, = would_finish_all(str(tmp_path))
    base = path[:-len('.journal')]
    assert told['report'] == {'json': base + '-interrupted.json', 'csv': base + '-interrupted.csv'}
    assert told['journal'] == path and told['selected'] == 4 and told['written'] is False
    assert 'would be written to %s-interrupted.json (nothing was written)' % base in told['msg']
    assert (sorted(os.listdir(str(tmp_path))), open(path, encoding='utf-8').read()) == before
    finished, = finish_all(str(tmp_path), OPTIONS, lambda *scope: Listed([]), 'r2')
    assert finished['report'] == told['report'], 'the real run writes the report check mode named'
