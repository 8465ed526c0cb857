"""The cleanup role's report: outcomes per record, counts, CSV quoting."""

import csv
import io
import json

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils import cleanup_report
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import build_report, report_csv, report_files

SELECTION = [
    {'list': 'invalid_emails', 'user': None, 'records': [
        {'email': 'A@example.com', 'reason': 'Bad Syntax', 'created': '2020-01-01 00:00:00'},
        {'email': 'b@example.com', 'reason': '=HYPERLINK("x")', 'created': '2020-01-02 00:00:00'},
        {'email': 'c@example.com', 'reason': 'Bad Syntax', 'created': '2020-01-03 00:00:00'},
        {'email': 'a@example.com', 'reason': 'duplicate', 'created': '2020-01-04 00:00:00'}]},
    {'list': 'subuser_bounces', 'user': 'sub@example.com', 'records': [
        {'email': 'd@example.com', 'status': '5.1.1', 'reason': 'unknown', 'created': '2021-01-01 00:00:00'}]},
    {'list': 'customer_bounces', 'user': 'cust@example.com', 'records': []},
]
RESULTS = [
    {'index': 0, 'item': {'list': 'invalid_emails', 'user': None}, 'deleted': ['A@example.com'], 'missing': ['b@example.com'],
     'failed': True, 'msg': '1 of 3 delete(s) failed',
     'failed_emails': [{'email': 'c@example.com', 'msg': 'HTTP 503'}]},
    {'index': 1, 'item': {'list': 'subuser_bounces', 'user': 'sub@example.com'}, 'failed': True,
     'msg': 'Permission denied, wrong credentials'},
    {'index': 2, 'item': {'list': 'customer_bounces', 'user': 'cust@example.com'}, 'skipped': True},
    # The other tasks of the role skip the lists they do not handle; a skip never hides a real result.
    {'index': 0, 'item': {'list': 'invalid_emails', 'user': None}, 'skipped': True},
]


def test_outcomes_and_counts():
    report = build_report(SELECTION, RESULTS, dry_run=False, started=100.0, finished=112.5,
                          selectors={'reason': 'x'})
    invalid, bounces, empty = report['lists']
    assert [r['outcome'] for r in invalid['records']] == ['deleted', 'already_gone', 'failed', 'deleted']
    assert invalid['records'][2]['error'] == 'HTTP 503'
    assert (invalid['deleted'], invalid['already_gone'], invalid['failed'], invalid['error']) == (2, 1, 1, None)
    assert bounces['records'][0] == {'email': 'd@example.com', 'status': '5.1.1', 'reason': 'unknown',
                                     'created': '2021-01-01 00:00:00', 'outcome': 'failed',
                                     'error': 'Permission denied, wrong credentials'}
    assert bounces['error'] == 'Permission denied, wrong credentials'
    assert empty['selected'] == 0
    assert report['totals'] == {'selected': 5, 'held_back': 0, 'deleted': 2, 'already_gone': 1, 'failed': 2}
    assert (report['seconds'], report['dry_run'], report['selectors']) == (12.5, False, {'reason': 'x'})


def test_dry_run_marks_everything_selected():
    report = build_report(SELECTION, [], dry_run=True, started=1, finished=2)
    assert {r['outcome'] for entry in report['lists'] for r in entry['records']} == {'selected'}
    assert report['totals'] == {'selected': 5, 'held_back': 0, 'deleted': 0, 'already_gone': 0, 'failed': 0}


def test_unreported_address_is_not_counted_as_deleted():
    results = [{'index': 0, 'item': {'list': 'invalid_emails', 'user': None}, 'deleted': [], 'missing': []}]
    report = build_report(SELECTION[:1], results, dry_run=False, started=1, finished=2)
    assert {r['outcome'] for r in report['lists'][0]['records']} == {'failed'}


def test_csv_quotes_every_cell_and_defuses_formulas():
    report = build_report(SELECTION, RESULTS, dry_run=False, started=1, finished=2)
    text = report_csv(report)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ['list', 'user', 'group', 'email', 'status', 'reason', 'created', 'outcome', 'error']
    assert rows[2] == ['invalid_emails', '', '', 'b@example.com', '', '\'=HYPERLINK("x")', '2020-01-02 00:00:00',
                       'already_gone', '']
    assert rows[5][:4] == ['subuser_bounces', 'sub@example.com', '', 'd@example.com']
    assert len(rows) == 6
    assert text.splitlines()[1].startswith('"invalid_emails",""')


def test_report_files_keep_counts_and_carry_the_records_as_text():
    report = build_report(SELECTION, RESULTS, dry_run=False, started=1, finished=2)
    files = report_files(report)
    assert 'records' not in json.dumps({k: v for k, v in files.items() if k not in ('json', 'csv')})
    assert files['lists'][0] == {'list': 'invalid_emails', 'user': None, 'group': None, 'selected': 4, 'held_back': 0, 'held_back_addresses': [], 'deleted': 2,
                                 'already_gone': 1, 'failed': 1, 'error': None}
    assert json.loads(files['json']) == report
    assert files['csv'] == report_csv(report)


def test_two_groups_of_one_list_keep_their_own_outcomes():
    selection = [{'list': 'group_unsubscribes', 'user': None, 'group': group, 'records': [{'email': 'r@example.com'}]}
                 for group in ('Newsletters', 102)]
    results = [{'index': 0, 'item': {'list': 'group_unsubscribes', 'group': 'Newsletters'}, 'deleted': ['r@example.com']},
               {'index': 1, 'item': {'list': 'group_unsubscribes', 'group': 102}, 'failed': True, 'msg': 'HTTP 500',
                'failed_emails': [{'email': 'r@example.com', 'msg': 'HTTP 500'}]}]
    report = build_report(selection, results, dry_run=False, started=1, finished=2)
    assert [(entry['group'], entry['records'][0]['outcome']) for entry in report['lists']] == [
        ('Newsletters', 'deleted'), (102, 'failed')]
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    assert [row[2] for row in rows[1:]] == ['Newsletters', '102']


@pytest.mark.parametrize('row', [
    ('a@x.test', '5.1.1', 'bad "quoted" reason', '2024-01-02 03:04:05', 'deleted', None),
    ('ünïcode@x.test', None, 'tab\tand\nnewline', None, 'failed', 'HTTP 500: \\ boom'),
    ('b@x.test', 550, 1.5, True, 'held_back', 'held back'),
])
def test_a_row_is_written_as_json_dumps_writes_it(row):
    assert cleanup_report.row_json(row) == json.dumps(dict(zip(cleanup_report.ROW_CELLS, row)), sort_keys=True)


def test_a_row_cells_are_defused_like_any_cell():
    row = ('=cmd@x.test', '+1', '-2', '@SUM(A1)', 'deleted', None)
    assert cleanup_report.row_cells(row) == [cleanup_report.spreadsheet_cell(value) for value in row]
    assert cleanup_report.row_cells(row)[:4] == ["'=cmd@x.test", "'+1", "'-2", "'@SUM(A1)"]
