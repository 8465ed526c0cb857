"""cleanup_record.py: the names a run's files get (never one taken), the journal's head (never the key), the time
stamps, and which interrupted runs a run continues; the reports written from real runs are read back in
modules/test_sendgrid_suppression_cleanup.py."""

import os
import re

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import Request
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_record import (
    continued_runs, journal_head, link_continued, now_text, report_paths, stamp)
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import Contents, Journal
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options

OPTIONS = Options.read({'api_key': 'SG.secret-key', 'api_url': 'http://127.0.0.1:9'}.get)


def test_time_stamps_are_utc_and_sortable():
    assert re.fullmatch(r'\d{8}T\d{6}Z', stamp())
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', now_text())


def test_a_run_never_takes_the_name_of_a_report_already_there(tmp_path):
    request = Request(OPTIONS, [], None, None, report_dir=str(tmp_path / 'reports'), report_name='tenant/42',
                      dry_run=False)
    first = report_paths(request)
    assert os.path.basename(first['path']) == 'suppression_cleanup-tenant_42-%s-run' % request.run_id, \
        'the run id the reports and the journal say, in the name'
    assert first['path'].endswith('-run') and first['journal'].startswith(first['path'])
    assert oct(os.stat(tmp_path / 'reports').st_mode & 0o777) == '0o700'
    open(first['json'], 'w').close()
    second = report_paths(request)
    assert second['path'] != first['path'] and second['path'].endswith('-2-run')


def test_the_journal_head_names_the_run_and_never_the_key(tmp_path):
    request = Request(OPTIONS, [], None, None, report_name='r', selector_values={'days': 3})
    head = journal_head(request, {'json': '/r.json', 'csv': '/r.csv'})
    assert head['run'] == request.run_id and head['selectors'] == {'days': 3}
    assert head['api_url'] == 'http://127.0.0.1:9' and 'SG.secret-key' not in repr(head)


class _List:
    def __init__(self, name, user=None, group=None):
        self.name, self.user, self.group = name, user, group


def _stopped(folder, request, scopes, name):
    paths = {'json': name + '.json', 'csv': name + '.csv'}
    journal = Journal(str(folder / ('%s.journal' % name)), journal_head(request, paths))
    for number, scope in enumerate(scopes):
        journal.scope(number, *scope)
    journal.close('interrupted', report={'json': name + '.json'})
    return journal.path


def test_a_run_continues_only_the_stopped_runs_of_its_own_selection(tmp_path):
    def request(**settings):
        return Request(OPTIONS, [], None, None, **dict({'report_dir': str(tmp_path), 'dry_run': False,
                                                        'selector_values': {'days': 3, 'domains': ['x.test']}},
                                                       **settings))
    lists = [_List('blocks'), _List('bounces', 'tenant-1')]
    same = _stopped(tmp_path, request(), [('blocks', None, None), ('bounces', 'tenant-1', None)], 'a-same')
    _stopped(tmp_path, request(selector_values={'days': 4, 'domains': ['x.test']}),
             [('blocks', None, None), ('bounces', 'tenant-1', None)], 'b-other-selectors')
    _stopped(tmp_path, request(), [('blocks', None, None)], 'c-other-lists')
    _stopped(tmp_path, request(report_name='tenant-2'), [('blocks', None, None), ('bounces', 'tenant-1', None)],
             'd-other-name')
    this = request()
    found = continued_runs(this, lists)
    assert [contents.path for contents in found] == [same]
    assert continued_runs(request(dry_run=True), lists) == [], 'a dry run continues nothing'
    link_continued(this, found)
    assert this.continues == ['a-same.json'] and Contents(same).continued_by == this.run_id
    assert continued_runs(request(), lists) == [], 'continued once'
