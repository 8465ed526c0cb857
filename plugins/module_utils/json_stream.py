# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The elements of a JSON array read as its bytes arrive, so that an unpaged answer (a group's addresses, the
account's group suppressions: a million entries are 30 to 100 MB of JSON) is never held whole.

ijson (a maintained incremental JSON parser, in requirements.txt) does the parsing. Without it (a managed node
that lacks it) the whole body is parsed at once, within the size cap a caller gives: the same elements, without
the flat memory."""

from __future__ import annotations

import json

try:
    import ijson
except ImportError:
    ijson = None


class NotAnArray(ValueError):
    """The answer is not a JSON array, or is malformed JSON; its text is the reason."""

    def __init__(self, reason, head=b''):
        super().__init__(reason)
        self.head = head


class _ChunkReader:
    """A file-like view of an iterator of byte chunks, for ijson."""

    def __init__(self, first, chunks):
        self._pending = first
        self._chunks = chunks

    def read(self, size=-1):
        if size == 0:           # ijson reads nothing first, to learn whether the file gives bytes or text
            return b''
        while not self._pending:
            self._pending = next(self._chunks, None)
            if self._pending is None:
                return b''
        data, self._pending = self._pending, b''
        return data


def array_items(chunks, max_bytes=None):
    """Each element of the JSON array whose bytes `chunks` yields. NotAnArray when the body is no array or is
    malformed; `max_bytes` bounds the body only when it must be read whole (no ijson)."""
    chunks = iter(chunks)
    first = _first_data(chunks)
    if not first.lstrip().startswith(b'['):
        raise NotAnArray('a JSON array was expected', _rest_of(first, chunks, max_bytes))
    if ijson is None:
        yield from _whole(first, chunks, max_bytes)
        return
    try:
        yield from ijson.items(_ChunkReader(first, chunks), 'item', use_float=True)
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise NotAnArray('the answer was truncated or is malformed JSON (%s)' % exc) from None


def _first_data(chunks):
    """The first chunk that holds more than white space (or b'' for an empty body)."""
    for chunk in chunks:
        if chunk.strip():
            return chunk
    return b''


def _rest_of(first, chunks, max_bytes):
    """The start of a body that is not an array, for the error message (never more than max_bytes)."""
    data = first
    for chunk in chunks:
        data += chunk
        if len(data) > (max_bytes or 65536):
            break
    return data[:65536]


def _whole(first, chunks, max_bytes):
    parts, size = [first], len(first)
    for chunk in chunks:
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise NotAnArray('the answer is larger than %d MiB; install the Python library ijson to read it as it '
                             'arrives' % (max_bytes // (1024 * 1024)))
        parts.append(chunk)
    try:
        answer = json.loads(b''.join(parts).decode('utf-8'))
    except (ValueError, UnicodeDecodeError) as exc:
        raise NotAnArray('the answer was truncated or is malformed JSON (%s)' % exc) from None
    yield from answer
