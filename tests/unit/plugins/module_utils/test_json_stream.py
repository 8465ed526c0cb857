# -*- coding: utf-8 -*-
"""The elements of an unpaged JSON array, read as its bytes arrive (ijson) or whole without ijson."""

import json
import tracemalloc

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils import json_stream
from ansible_collections.mailops.sendgrid.plugins.module_utils.json_stream import NotAnArray, array_items

ROWS = [{'email': 'ann%d@example.com' % n, 'group_id': 7, 'group_name': 'Ä news', 'created_at': 1700000000 + n}
        for n in range(50)]


def _chunks(data, size):
    return (data[i:i + size] for i in range(0, len(data), size))


@pytest.fixture(params=['ijson', 'whole'])
def parser(request, monkeypatch):
    if request.param == 'whole':
        monkeypatch.setattr(json_stream, 'ijson', None)
    else:
        assert json_stream.ijson is not None, 'ijson is in requirements.txt: the streamed path must be tested'
    return request.param


@pytest.mark.parametrize('size', [1, 2, 3, 7, 64, 100000])
def test_the_same_elements_whatever_the_chunks(parser, size):
    data = (' \n' + json.dumps(ROWS, ensure_ascii=False, indent=1)).encode('utf-8')
    assert list(array_items(_chunks(data, size))) == ROWS


def test_addresses_empty_and_whitespace_chunks(parser):
    assert list(array_items([b'', b'  ', b'["a@x", ', b'', b'"b@x"]'])) == ['a@x', 'b@x']
    assert list(array_items([b'[]'])) == []


@pytest.mark.parametrize('body', [b'{"errors": [{"message": "no"}]}', b'', b'null', b'<html>busy</html>'])
def test_a_body_that_is_no_array_is_refused_with_its_start(parser, body):
    with pytest.raises(NotAnArray, match='a JSON array was expected') as caught:
        list(array_items([body]))
    assert caught.value.head == body


@pytest.mark.parametrize('body', [b'["a@x", "b@', b'["a@x" "b@x"]', b'["a@x", \xff]'])
def test_a_truncated_or_malformed_array_is_refused(parser, body):
    with pytest.raises(NotAnArray, match='truncated or is malformed'):
        list(array_items(_chunks(body, 4)))


def test_without_ijson_a_body_past_the_cap_is_refused_naming_ijson(monkeypatch):
    monkeypatch.setattr(json_stream, 'ijson', None)
    with pytest.raises(NotAnArray, match='install the Python library ijson'):
        list(array_items(_chunks(json.dumps(['a@x'] * 1000).encode(), 100), max_bytes=1000))


def test_a_large_array_is_read_in_flat_memory():
    """200,000 addresses (6 MB of JSON) read through a few KB of buffers: what is held is one element."""
    count = 200000
    head, tail = b'[', b']'

    def body():
        yield head
        for start in range(0, count, 1000):
            yield ','.join('"user%07d@example.com"' % n for n in range(start, start + 1000)).encode() + (
                b',' if start + 1000 < count else b'')
        yield tail

    tracemalloc.start()
    try:
        seen = sum(1 for dummy in array_items(body()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < 1024 * 1024, 'the array was held whole: %d bytes' % peak
