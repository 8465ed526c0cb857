"""opt_out_sources.py: each source format read row by row (an export, providers' CSVs by their address column, JSON
Lines, one address a line), defused cells read back, and every bad line told with its number."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.opt_out_sources import (
    ADDRESS_COLUMNS, SourceError, address_problem, read_source)


def _refuse(line, problem):
    raise SourceError('line %d %s' % (line, problem))


def _read(tmp_path, content, column=None, src_format='auto'):
    path = tmp_path / 'src'
    path.write_bytes(content if isinstance(content, bytes) else content.encode('utf-8'))
    problems = []
    rows = list(read_source(str(path), lambda line, problem: problems.append((line, problem)), column, src_format))
    return rows, problems


EXPORT = ('"list","user","group_id","group_name","group_description","email","created","reason","status"\n'
          '"unsubscribes","","","","","left@example.com","2024-12-24 18:00:00","",""\n'
          '"group_unsubscribes","tenant-42","301","Newsletters","Tenant news","\'=x@evil.test","2025-05-05 09:00:00",'
          '"",""\n'
          '"blocks","","","","","b@example.net","2025-03-01 08:00:00","servfail","4.0.0"\n')


def test_an_export_keeps_where_each_row_was_and_reads_defused_cells_back(tmp_path):
    rows, problems = _read(tmp_path, EXPORT)
    assert problems == []
    assert [(r.line, r.list, r.user, r.group_name, r.email, r.created) for r in rows] == [
        (2, 'unsubscribes', None, None, 'left@example.com', '2024-12-24 18:00:00'),
        (3, 'group_unsubscribes', 'tenant-42', 'Newsletters', '=x@evil.test', '2025-05-05 09:00:00'),
        (4, 'blocks', None, None, 'b@example.net', '2025-03-01 08:00:00')]
    assert rows[1].group_id == '301' and rows[1].group_description == 'Tenant news'


@pytest.mark.parametrize('name', ADDRESS_COLUMNS + ('EMAIL',))
def test_a_provider_csv_s_address_column_is_found_among_the_usual_names(tmp_path, name):
    rows, problems = _read(tmp_path, 'Id,%s,Reason\n1,a@example.com,Unsubscribed\n2,b@example.com,Spam\n' % name)
    assert [(r.line, r.email, r.list) for r in rows] == [(2, 'a@example.com', None), (3, 'b@example.com', None)]
    assert problems == []


def test_a_named_column_wins_and_a_missing_one_refuses_with_the_header(tmp_path):
    rows, dummy = _read(tmp_path, 'email,backup\nx@a.test,y@b.test\n', column='backup')
    assert [r.email for r in rows] == ['y@b.test']
    with pytest.raises(SourceError, match="src line 1: no address column 'mail'; the header has email, backup"):
        _read(tmp_path, 'email,backup\nx@a.test,y@b.test\n', column='mail')
    with pytest.raises(SourceError, match='src line 1: no address column .*the header has id, name'):
        _read(tmp_path, 'id,name\n1,x\n')


def test_json_lines_and_one_address_a_line(tmp_path):
    rows, dummy = _read(tmp_path, '{"email": "a@x.test", "list": "spam_reports"}\n\n{"Email Address": "b@x.test"}\n')
    assert [(r.line, r.email, r.list) for r in rows] == [(1, 'a@x.test', 'spam_reports'), (3, 'b@x.test', None)]
    rows, dummy = _read(tmp_path, '\ufeffa@x.test\n\n  B@X.test  \n')
    assert [(r.line, r.email) for r in rows] == [(1, 'a@x.test'), (3, 'B@X.test')]
    rows, dummy = _read(tmp_path, 'email\n=a@x.test\n', src_format='lines')
    assert [r.email for r in rows] == ['=a@x.test'] and dummy == [(1, "has 'email', an address without @")]


def test_an_empty_file_has_no_rows(tmp_path):
    assert _read(tmp_path, '') == ([], [])
    assert _read(tmp_path, '\n\n') == ([], [])
    for src_format in ('csv', 'jsonl', 'lines'):
        assert _read(tmp_path, '', src_format=src_format) == ([], [])


@pytest.mark.parametrize('content, line, problem', [
    (b'a@x.test\n\xff\xfe@x.test\n', 2, 'is not UTF-8 text'),
    ('a@x.test\nnobody\n', 2, "has 'nobody', an address without @"),
    ('email,name\na@x.test,A\n,B\n', 3, 'has no address'),
    ('email,name\na@x.test,A\nb@x.test\n', 3, 'has 1 cells, the header 2'),
    ('{"email": "a@x.test"}\n{"email": \n', 2, 'is not JSON'),
    ('{"email": "a@x.test"}\n["b@x.test"]\n', 2, 'is not a JSON object'),
    ('{"email": "a@x.test"}\n{"email": "b@x.test", "list": "bounce"}\n', 2, "names the list 'bounce'"),
    ('{"email": "a@x.test"}\n{"mail": "b@x.test"}\n', 2, 'has no address'),
    ('{"email": "a@x.test"}\n{"email": "b@x.test", "list": "group_unsubscribes"}\n', 2,
     'is a group unsubscribe of no group'),
])
def test_each_bad_line_is_told_with_its_number(tmp_path, content, line, problem):
    rows, problems = _read(tmp_path, content)
    assert len(problems) == 1 and problems[0][0] == line and problems[0][1].startswith(problem), problems
    assert len(rows) >= 1
    with pytest.raises(SourceError, match='line %d ' % line):
        list(read_source(str(tmp_path / 'src'), _refuse))


def test_an_address_needs_an_at_sign_and_nothing_more():
    assert address_problem('brandon') == "has 'brandon', an address without @"
    assert address_problem('isaac@hotmail') is None and address_problem(' ') == 'has no address'
