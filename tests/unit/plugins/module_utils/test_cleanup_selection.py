"""cleanup_selection.py: one list's selection kept out of memory (in the run's SQLite store), the held-back rule
with and without a query, one spelling per address, the outcomes joined to the records, and a plan's entry against
the list as it is now."""

import jmespath
import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils import cleanup_selection
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_selection import (
    QueryError, read_planned, read_selection)
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import Filters, Selectors


class ListOf:
    """A list that answers its records, as a backend's list does."""

    def __init__(self, records, name='blocks', user=None, group=None, group_id=None):
        self.name, self.user, self.group, self.group_id = name, user, group, group_id
        self._records = records
        self.reads = 0

    def list(self, filters):
        self.reads += 1
        return iter([dict(record) for record in self._records])


def _record(email, reason='550 no such user', status='5.1.1', created='2026-01-01 00:00:00'):
    return {'email': email, 'reason': reason, 'status': status, 'created': created}


RECORDS = [_record('a@x.test'), _record('B@x.test'), _record('b@x.test', reason='kept'),
           _record('c@y.test'), _record('C@y.test')]


def test_selected_records_come_back_whole_and_in_order_with_the_held_back_count():
    listed = ListOf(RECORDS)
    selection = read_selection(listed, Filters(times=True), Selectors(reason='no such user'))
    records = list(selection.records())
    assert [r['email'] for r in records] == ['a@x.test', 'B@x.test', 'c@y.test', 'C@y.test']
    assert records[0] == dict(_record('a@x.test'), unselected_records=0, outcome=None, error=None)
    # B@x.test shares its address with b@x.test, which the reason leaves out: held back, never deleted.
    assert [r['unselected_records'] for r in records] == [0, 1, 0, 0]
    assert selection.selected == 3 and listed.reads == 1
    assert list(selection.deletable()) == ['a@x.test', 'c@y.test'], 'one spelling per address'
    assert selection.addresses == 2, 'what deletable() yields, counted'
    selection.close()


def test_what_a_query_drops_holds_its_address_back():
    selection = read_selection(ListOf(RECORDS), Filters(times=True), Selectors(),
                               jmespath.compile("[?email != 'C@y.test']"))
    held = {r['email']: r['unselected_records'] for r in selection.records()}
    assert held == {'a@x.test': 0, 'B@x.test': 0, 'b@x.test': 0, 'c@y.test': 1}
    assert list(selection.deletable()) == ['a@x.test', 'B@x.test']


def test_a_query_that_returns_no_records_is_refused():
    with pytest.raises(QueryError, match='query must return records'):
        read_selection(ListOf(RECORDS), Filters(times=True), Selectors(), jmespath.compile('[].email'))


def test_many_lists_share_one_store_and_keep_apart(monkeypatch):
    from ansible_collections.mailops.sendgrid.plugins.module_utils.selection_store import SelectionStore
    monkeypatch.setattr(cleanup_selection, 'BATCH', 7)
    store = SelectionStore()
    records = [_record('user%05d@x.test' % number) for number in range(2000)]
    first = read_selection(ListOf(records), Filters(times=True), Selectors(), store=store)
    second = read_selection(ListOf(RECORDS, name='spam_reports'), Filters(times=True), Selectors(), store=store)
    assert [r['email'] for r in first.records()] == [r['email'] for r in records]
    assert list(first.deletable()) == [r['email'] for r in records] and first.selected == 2000
    # Read twice (the report), the same records both times.
    assert sum(1 for dummy in first.records()) == 2000
    assert list(second.deletable()) == ['a@x.test', 'B@x.test', 'c@y.test'] and second.selected == 5
    second.set_outcomes([('b@x.test', 'failed', 'HTTP 400')])
    outcomes = [(r['email'], r['outcome']) for r in second.records()]
    assert outcomes[1:3] == [('B@x.test', 'failed'), ('b@x.test', 'failed')]
    store.close()


def test_the_records_are_not_kept_in_memory():
    selection = read_selection(ListOf(RECORDS[:1]), Filters(times=True), Selectors())
    assert not hasattr(selection, 'emails') and not hasattr(selection, '_spool')
    selection.close()


def test_a_planned_entry_selects_what_is_still_listed_and_tells_the_drift():
    listed = ListOf(RECORDS + [_record('new@x.test')])
    selection, drift = read_planned(listed, ['A@x.test', 'gone@x.test'], Filters(times=True),
                                    Selectors(reason='no such user'))
    assert [r['email'] for r in selection.records()] == ['a@x.test']
    assert drift == {'list': 'blocks', 'user': None, 'group': None, 'gone': ['gone@x.test'],
                     'new_matches_left': ['B@x.test', 'C@y.test', 'c@y.test', 'new@x.test']}
    assert listed.reads == 1
