"""cleanup_record.py: the names a run's files get (never one taken), the journal's head (never the key), and the
time stamps; the reports written from real runs are read back in modules/test_sendgrid_suppression_cleanup.py."""

import os
import re

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import Request
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_record import (
    journal_head, now_text, report_paths, stamp)
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options

OPTIONS = Options.read({'api_key': 'SG.secret-key', 'api_url': 'http://127.0.0.1:9'}.get)


def test_time_stamps_are_utc_and_sortable():
    assert re.fullmatch(r'\d{8}T\d{6}Z', stamp())
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', now_text())


def test_a_run_never_takes_the_name_of_a_report_already_there(tmp_path):
    request = Request(OPTIONS, [], None, None, report_dir=str(tmp_path / 'reports'), report_name='tenant/42',
                      dry_run=False)
    first = report_paths(request)
    assert os.path.basename(first['path']).startswith('suppression_cleanup-tenant_42-')
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
