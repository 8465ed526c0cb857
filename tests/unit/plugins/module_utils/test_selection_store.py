"""selection_store.py: a run's rows in a private SQLite file, read back a page at a time, removed on close."""

import os
import threading

from ansible_collections.mailops.sendgrid.plugins.module_utils import selection_store
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection_store import SelectionStore


def test_rows_read_back_across_pages_and_the_file_goes_on_close(monkeypatch):
    monkeypatch.setattr(selection_store, 'PAGE', 3)
    store = SelectionStore()
    folder = store._folder
    try:
        assert oct(os.stat(folder).st_mode & 0o777) == '0o700'
        store._db.execute('CREATE TABLE t (n INTEGER PRIMARY KEY)')
        store.insert('t', [(n,) for n in range(10)])
        store.insert('t', [(3,)])  # a row already in is ignored, not doubled
        store.ready()
        store.ready()
        assert store.value('SELECT COUNT(*) FROM t') == 10
        assert [row[0] for row in store.rows('SELECT n FROM t ORDER BY n')] == list(range(10))
    finally:
        store.close()
    assert not os.path.exists(folder)


def test_each_list_gets_its_own_number_from_any_thread():
    store = SelectionStore()
    try:
        numbers = []
        threads = [threading.Thread(target=lambda: numbers.append(store.new_list())) for dummy in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(numbers) == list(range(1, 9))
    finally:
        store.close()


def test_another_run_s_rows_take_their_own_schema():
    store = SelectionStore('CREATE TABLE rows (target INTEGER, key TEXT, PRIMARY KEY (target, key));', None,
                           prefix='mailops-import-')
    try:
        store.insert('rows', [(1, 'a'), (1, 'a'), (2, 'a')])
        assert store.value('SELECT COUNT(*) FROM rows') == 2
        assert list(store.rows('SELECT key FROM rows WHERE target = ?', (2,))) == [('a',)]
    finally:
        store.close()
