"""opt_out_files.py: the interchange file's format (CSV with defused cells read back as they were, JSON Lines), and the
private file that replaces its destination only when the content differs."""

import csv
import io
import json
import os
import stat

from ansible_collections.mailops.sendgrid.plugins.module_utils.opt_out_files import (
    EXPORT_FIELDS, PrivateFile, RowWriter, destination_problem, file_digest, format_of, undefused)

ROW = {'list': 'unsubscribes', 'user': None, 'email': '=HYPERLINK("x")@evil.test', 'created': '2025-01-01 00:00:00'}


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def _write(path, rows, write=True, file_format='csv'):
    target = PrivateFile(str(path), write=write)
    writer = RowWriter(target.text, file_format)
    for row in rows:
        writer.write(row)
    return target.commit()


def test_the_format_is_the_one_asked_or_the_one_the_name_says():
    assert format_of('/a/b.jsonl') == format_of('/a/B.NDJSON') == format_of('x.json') == 'jsonl'
    assert format_of('/a/b.csv') == format_of('/a/b.txt') == 'csv'
    assert format_of('/a/b.jsonl', 'csv') == 'csv'


def test_a_csv_row_is_defused_and_reads_back_as_it_was():
    out = io.StringIO()
    RowWriter(out, 'csv').write(ROW)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(EXPORT_FIELDS)
    cells = dict(zip(rows[0], rows[1]))
    assert cells['email'] == "'" + ROW['email'] and cells['user'] == '' and cells['list'] == 'unsubscribes'
    assert undefused(cells['email']) == ROW['email']
    assert undefused("'plain@example.com") == "'plain@example.com" and undefused("'") == "'"


def test_a_json_lines_row_has_every_column_in_order_and_is_not_defused():
    out = io.StringIO()
    RowWriter(out, 'jsonl').write(ROW)
    line = out.getvalue()
    assert line.endswith('\n') and line.count('\n') == 1
    assert list(json.loads(line)) == list(EXPORT_FIELDS)
    assert json.loads(line)['email'] == ROW['email'] and json.loads(line)['reason'] is None


def test_a_new_file_is_private_and_an_identical_one_is_left_alone(tmp_path):
    path = tmp_path / 'out.csv'
    assert _write(path, [ROW]) is True
    assert _mode(path) == 0o600
    before = (os.stat(path).st_ino, file_digest(str(path)))
    assert _write(path, [ROW]) is False
    assert (os.stat(path).st_ino, file_digest(str(path))) == before
    assert sorted(os.listdir(tmp_path)) == ['out.csv']
    assert _write(path, [ROW, dict(ROW, email='b@example.com')]) is True
    assert 'b@example.com' in path.read_text()


def test_an_identical_file_that_others_could_read_is_made_private(tmp_path):
    path = tmp_path / 'out.csv'
    _write(path, [ROW])
    os.chmod(path, 0o644)
    assert _write(path, [ROW], write=False) is True and _mode(path) == 0o644
    assert _write(path, [ROW]) is True and _mode(path) == 0o600


def test_check_mode_writes_nothing_and_tells_whether_the_file_would_change(tmp_path):
    path = tmp_path / 'out.csv'
    assert _write(path, [ROW], write=False) is True
    assert os.listdir(tmp_path) == []
    _write(path, [ROW])
    assert _write(path, [ROW], write=False) is False
    assert _write(path, [], write=False) is True
    assert sorted(os.listdir(tmp_path)) == ['out.csv']


def test_a_failed_run_leaves_the_file_and_no_temporary_file(tmp_path):
    path = tmp_path / 'out.csv'
    _write(path, [ROW])
    before = path.read_bytes()
    target = PrivateFile(str(path))
    target.text.write('half a row')
    target.discard()
    assert path.read_bytes() == before and sorted(os.listdir(tmp_path)) == ['out.csv']
    target.text.close()       # as garbage collection closes it: the dropped rows go nowhere, and nothing fails


def test_a_destination_must_be_a_file_in_a_folder_that_exists(tmp_path):
    assert destination_problem(str(tmp_path / 'a.csv')) is None
    assert 'does not exist' in destination_problem(str(tmp_path / 'no' / 'a.csv'))
    assert destination_problem(str(tmp_path)) == 'dest must be a file, not the folder %s' % tmp_path
    assert file_digest(str(tmp_path / 'none')) is None


def test_a_long_file_is_written_whole_in_chunks(tmp_path):
    path = tmp_path / 'long.jsonl'
    rows = [dict(ROW, email='person%06d@example.com' % number) for number in range(5000)]
    assert _write(path, rows, file_format='jsonl') is True
    lines = path.read_text().splitlines()
    assert len(lines) == 5000 and json.loads(lines[-1])['email'] == 'person004999@example.com'
    assert _write(path, rows, write=False, file_format='jsonl') is False
