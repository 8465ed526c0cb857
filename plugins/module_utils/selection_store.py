# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where a cleanup run keeps what it selected: a private SQLite file, not memory. A purge of a million records so
costs the controller a few megabytes: one address spelling per key, the held-back addresses and the outcomes are
questions the database answers, read back in pages, never lists of a million strings."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading

SCHEMA = '''
CREATE TABLE records (list INTEGER, seq INTEGER, email TEXT, key TEXT, status TEXT, reason TEXT, created TEXT);
CREATE TABLE held (list INTEGER, key TEXT, unselected INTEGER, PRIMARY KEY (list, key));
CREATE TABLE outcomes (list INTEGER, key TEXT, outcome TEXT, error TEXT, PRIMARY KEY (list, key));
'''
INDEXES = 'CREATE INDEX records_by_key ON records (list, key, seq)'
PAGE = 2000


class SelectionStore:
    """One run's selected records, held back addresses and outcomes, shared by the threads of the run; with
    another `schema` and `indexes`, the same private file for another run's rows (an import's)."""

    def __init__(self, schema=SCHEMA, indexes=INDEXES, prefix='mailops-cleanup-'):
        self._folder = tempfile.mkdtemp(prefix=prefix)
        # Autocommit off: rows go in with executemany inside one implicit transaction, committed in batches.
        self._db = sqlite3.connect(os.path.join(self._folder, 'selection.sqlite'), check_same_thread=False)
        self._db.executescript('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;'
                               + schema)
        self._indexes = indexes
        self._lock = threading.Lock()
        self._lists = 0
        self._indexed = False

    def new_list(self):
        with self._lock:
            self._lists += 1
            return self._lists

    def insert(self, table, rows):
        with self._lock:
            self._db.executemany('INSERT OR IGNORE INTO %s VALUES (%s)' % (table, ', '.join('?' * len(rows[0]))),
                                 rows)
            self._db.commit()

    def ready(self):
        """Index the records once they are all in (faster than keeping an index up to date while they arrive)."""
        with self._lock:
            if not self._indexed:
                self._db.execute(self._indexes)
                self._db.commit()
                self._indexed = True

    def value(self, sql, params=()):
        with self._lock:
            return self._db.execute(sql, params).fetchone()[0]

    def rows(self, sql, params=()):
        """The rows of a query, read a page at a time (other threads may use the store between pages)."""
        with self._lock:
            cursor = self._db.cursor()
            cursor.execute(sql, params)
            page = cursor.fetchmany(PAGE)
        while page:
            yield from page
            with self._lock:
                page = cursor.fetchmany(PAGE)

    def close(self):
        with self._lock:
            self._db.close()
        shutil.rmtree(self._folder, ignore_errors=True)
