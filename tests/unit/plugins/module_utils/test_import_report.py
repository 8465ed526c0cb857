"""import_report.py: the files an import leaves, 0600 in a 0700 folder, named apart; the JSON the undo lookup reads
(every address added with the source's date and line), the CSV with defused cells, and the Markdown summary."""

import csv
import io
import json
import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.import_report import report_paths, write_report
from ansible_collections.mailops.sendgrid.plugins.module_utils.import_targets import Routing, open_store
from ansible_collections.mailops.sendgrid.plugins.module_utils.opt_out_sources import Row


INVALID = {'line': 9, 'problem': 'has no address'}


@pytest.fixture
def store():
    opened = open_store()
    yield opened
    opened.close()


def _run(store, tmp_path, dry_run):
    routing = Routing(store)
    for row in (Row(2, 'new@x.test', created='2020-01-01 00:00:00'), Row(3, '=x@evil.test'), Row(4, 'old@x.test'),
                Row(5, 'b@x.test', list='blocks')):
        routing.add(row)
    target = routing.targets[(None, None)]
    target.listed('old@x.test')
    target.count()
    if not dry_run:
        for number, batch in target.batches(2):
            target.accepted(number, len(batch))
    request = SimpleNamespace(params={'report_dir': str(tmp_path / 'reports'), 'src': 'in.csv'},
                              problems=SimpleNamespace(count=1, lines=lambda: iter([INVALID])))
    result = {'dry_run': dry_run, 'targets': [target.entry(dry_run)], 'rows': routing.rows,
              'delivery_rows': dict(routing.delivery), 'spam_reports_skipped': 0, 'invalid': 1}
    return write_report(request, routing, [target], result)


def test_the_report_names_every_address_added_with_the_source_s_date(store, tmp_path):
    paths = _run(store, tmp_path, dry_run=False)
    assert paths['json'].endswith('-run.json') and stat.S_IMODE(os.stat(tmp_path / 'reports').st_mode) == 0o700
    for name in ('json', 'csv', 'summary'):
        assert stat.S_IMODE(os.stat(paths[name]).st_mode) == 0o600
    report = json.loads(Path(paths['json']).read_text(encoding='utf-8'))
    assert report['kind'] == 'suppression_import' and not report['dry_run'] and report['rows'] == 4
    assert report['delivery_rows'] == {'blocks': 1} and report['invalid_lines'] == [{'line': 9, 'problem': 'has no address'}]
    entry, = report['lists']
    assert (entry['list'], entry['user'], entry['group_id'], entry['added'], entry['already_listed']) == (
        'unsubscribes', None, None, 2, 1)
    assert entry['records'] == [
        {'email': 'new@x.test', 'source_created': '2020-01-01 00:00:00', 'line': 2, 'outcome': 'added'},
        {'email': '=x@evil.test', 'source_created': None, 'line': 3, 'outcome': 'added'}]
    rows = list(csv.DictReader(io.StringIO(Path(paths['csv']).read_text(encoding='utf-8'))))
    assert [row['email'] for row in rows] == ['new@x.test', "'=x@evil.test"]
    summary = Path(paths['summary']).read_text(encoding='utf-8')
    assert '| unsubscribes |  |  | 3 | 1 | 2 |' in summary and 'blocks 1' in summary and 'source_created' in summary


def test_a_check_mode_report_says_to_add_and_two_reports_never_share_a_name(store, tmp_path):
    paths = _run(store, tmp_path, dry_run=True)
    report = json.loads(Path(paths['json']).read_text(encoding='utf-8'))
    assert report['dry_run'] and {r['outcome'] for r in report['lists'][0]['records']} == {'to_add'}
    assert paths['json'].endswith('-dry-run.json')
    assert report_paths(str(tmp_path / 'reports'), True)['json'] != paths['json']
