# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The interchange file of opt-outs and suppressions: its columns, one row in CSV (cells defused for spreadsheets,
read back as they were) or JSON Lines, and the private file written beside its destination and renamed over it
only when its content differs."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat
import tempfile

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import FORMULA_STARTS, row_cells

# The columns of an export, in order: where the record was, then the record.
EXPORT_FIELDS = ('list', 'user', 'group_id', 'group_name', 'group_description', 'email', 'created', 'reason',
                 'status')
# The first five are the same for every record of a list: written once per list, then copied before each record.
WHERE_FIELDS, RECORD_FIELDS = EXPORT_FIELDS[:5], EXPORT_FIELDS[5:]
FORMATS = ('csv', 'jsonl')
_CHUNK = 1 << 16


def format_of(path, asked=None):
    """The format asked, else the one the file name says (.jsonl, .ndjson or .json: JSON Lines), else CSV."""
    if asked:
        return asked
    return 'jsonl' if path.lower().endswith(('.jsonl', '.ndjson', '.json')) else 'csv'


def undefused(cell):
    """A cell as it was before spreadsheet_cell defused it: the apostrophe before a formula's first sign dropped."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


class RowWriter:
    """Rows (dictionaries of EXPORT_FIELDS) as text, one line each, to `out` (a text stream)."""

    def __init__(self, out, file_format):
        self._out, self._format = out, file_format
        self._csv = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator='\n') if file_format == 'csv' else None
        if self._csv:
            self._csv.writerow(EXPORT_FIELDS)

    def write(self, row):
        self.for_list(row)(row)

    def for_list(self, where):
        """A writer of one list's records, whose WHERE_FIELDS are `where`'s: those cells are made once, not once a
        record, since a list may hold a million."""
        if self._csv:
            head, writerow = row_cells([where.get(name) for name in WHERE_FIELDS]), self._csv.writerow

            def write_csv(record):
                writerow(head + row_cells([record.get(name) for name in RECORD_FIELDS]))
            return write_csv
        fixed = {name: where.get(name) for name in WHERE_FIELDS}

        def write_json(record):
            self._out.write(json.dumps(dict(fixed, **{name: record.get(name) for name in RECORD_FIELDS})) + '\n')
        return write_json


class _Hashing(io.TextIOBase):
    """A text sink that hashes what is written and passes it on to `target` (a binary file), or nowhere; written in
    chunks of about _CHUNK characters, since a row at a time would cost a call of each per row."""

    def __init__(self, target=None):
        super().__init__()
        self.digest, self._target = hashlib.sha256(), target
        self._parts, self._size = [], 0

    def write(self, text):
        self._parts.append(text)
        self._size += len(text)
        if self._size >= _CHUNK:
            self.flush()
        return len(text)

    def flush(self):
        if not self._parts:
            return
        data = ''.join(self._parts).encode('utf-8')
        self._parts, self._size = [], 0
        self.digest.update(data)
        if self._target is not None:
            self._target.write(data)

    def forget(self):
        """Drop the rows not passed on yet (a failed run's), so that closing this sink writes nothing."""
        self._parts, self._size = [], 0


def file_digest(path):
    """The SHA-256 of the file at `path`, read in chunks; None if there is no such file."""
    digest = hashlib.sha256()
    try:
        with open(path, 'rb') as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b''):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def destination_problem(path, name='dest'):
    """What is wrong with `path` as a file to write, or None."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return '%s must be a file, not the folder %s' % (name, path)
    if not os.path.isdir(folder):
        return '%s: the folder %s does not exist' % (name, folder)
    return None


class PrivateFile:
    """What a writer writes, hashed: with `path`, to a 0600 temporary file in the same folder, renamed over `path`
    by commit() only when its content differs (so a reader never sees half a file); without, only hashed (check
    mode). `changed` says whether the file at `path` differs, or would."""

    def __init__(self, path, write=True):
        self.path, self.changed = path, False
        self._temp = None
        if write:
            # mkstemp makes the file 0600 before any byte is in it.
            fd, self._temp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), suffix='.tmp',
                                              dir=os.path.dirname(os.path.abspath(path)))
            self._binary = os.fdopen(fd, 'wb')
        self.text = _Hashing(self._binary if write else None)

    def commit(self):
        """Rename the temporary file over `path` if the content differs; a file already equal is left, only made
        private. Returns `changed`."""
        self.text.flush()
        same = self.text.digest.hexdigest() == file_digest(self.path)
        if self._temp is None:
            self.changed = not same or _not_private(self.path)
            return self.changed
        self._binary.flush()
        os.fsync(self._binary.fileno())
        self._binary.close()
        if same:
            os.unlink(self._temp)
            self.changed = _not_private(self.path)
            if self.changed:
                os.chmod(self.path, 0o600)
        else:
            os.replace(self._temp, self.path)
            self.changed = True
        self._temp = None
        return self.changed

    def discard(self):
        """Drop the temporary file of a run that failed; the file at `path` stays as it was."""
        if self._temp is not None:
            self.text.forget()
            self._binary.close()
            os.unlink(self._temp)
            self._temp = None


def _not_private(path):
    return stat.S_IMODE(os.stat(path).st_mode) != 0o600
