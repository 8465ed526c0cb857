"""import_targets.py: where each row goes (global, the task's group, the rows' own groups, the task's user or each
row's), delivery rows counted and never a target, spam reports only when asked, and each address once per target."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.import_targets import BATCH, Routing, open_store
from ansible_collections.mailops.sendgrid.plugins.module_utils.opt_out_sources import Row

ROWS = [Row(1, 'a@x.test'), Row(2, 'A@X.test', list='unsubscribes', created='2025-01-01 00:00:00'),
        Row(3, 'g@x.test', list='group_unsubscribes', user='tenant-42', group_id='301', group_name='Newsletters',
            group_description='News'),
        Row(4, 's@x.test', list='spam_reports', user='tenant-42'),
        Row(5, 'b@x.test', list='blocks'), Row(6, 'b@x.test', list='subuser_bounces'),
        Row(7, 'i@x.test', list='invalid_emails')]


@pytest.fixture
def store():
    opened = open_store()
    yield opened
    opened.close()


def _route(store, **settings):
    routing = Routing(store, **settings)
    for row in ROWS:
        routing.add(row)
    for target in routing.targets.values():
        target.count()
    return routing


def _where(routing):
    return {key: [email for email, dummy, dummy2 in target.missing_rows()] for key, target in routing.targets.items()}


def test_rows_keep_their_list_and_delivery_rows_are_only_counted(store):
    routing = _route(store)
    assert _where(routing) == {(None, None): ['a@x.test'], (None, 'Newsletters'): ['g@x.test']}
    assert routing.delivery == {'blocks': 1, 'subuser_bounces': 1, 'invalid_emails': 1}
    assert routing.spam_reports_skipped == 1 and routing.rows == 7
    glob = routing.targets[(None, None)]
    assert glob.rows == 2 and glob.list == 'unsubscribes' and glob.addresses == 1
    assert list(glob.missing_rows()) == [('a@x.test', None, 1)], 'the first spelling, its date and line'
    group = routing.targets[(None, 'Newsletters')]
    assert group.list == 'group_unsubscribes' and group.from_rows and group.description == 'News'


def test_a_group_row_without_a_name_goes_to_its_group_id(store):
    routing = Routing(store)
    routing.add(Row(1, 'x@x.test', list='group_unsubscribes', group_id='101'))
    assert set(routing.targets) == {(None, '101')}
    assert not routing.targets[(None, '101')].from_rows, 'found by id, never created'


def test_spam_reports_become_global_unsubscribes_when_asked_even_with_a_group(store):
    routing = _route(store, spam_reports_as='unsubscribes', group=101)
    assert _where(routing) == {(None, None): ['s@x.test'], (None, '101'): ['a@x.test', 'g@x.test']}
    assert not routing.targets[(None, '101')].from_rows and routing.spam_reports_skipped == 0


def test_the_task_s_user_or_each_row_s_own(store):
    assert set(_route(store, user='subuser@example.com').targets) == {
        ('subuser@example.com', None), ('subuser@example.com', 'Newsletters')}
    assert set(_route(store, each_row_user=True, spam_reports_as='unsubscribes').targets) == {
        (None, None), ('tenant-42', 'Newsletters'), ('tenant-42', None)}


def test_a_result_entry_counts_and_shows_the_first_addresses(store):
    target = _route(store).targets[(None, None)]
    target.listed('A@x.TEST')
    target.count()
    assert target.entry(True) == {'list': 'unsubscribes', 'user': None, 'group': None, 'group_id': None,
                                  'created_group': False, 'rows': 2, 'addresses': 1, 'already_listed': 1,
                                  'to_add': 0, 'first': []}
    assert target.entry(False)['added'] == 0 and target.entry(False)['first'] == []


def test_many_rows_go_to_the_store_in_batches_and_only_the_missing_are_shown(store):
    routing = Routing(store)
    for number in range(BATCH * 2 + 5):
        routing.add(Row(number + 1, 'p%d@x.test' % number))
    target = routing.targets[(None, None)]
    for number in range(0, BATCH * 2 + 5, 2):
        target.listed('P%d@X.test' % number)
    target.count()
    assert (target.addresses, target.missing) == (BATCH * 2 + 5, BATCH + 2)
    assert target.entry(True)['first'] == ['p%d@x.test' % number for number in range(1, 20, 2)]
    assert list(target.missing_rows(2)) == [('p1@x.test', None, 2), ('p3@x.test', None, 4)]
    batches = target.batches(2)
    sent = [next(batches) for dummy in range(3)]
    assert [number for number, dummy in sent] == [0, 1, 2] and sent[1][1] == ['p5@x.test', 'p7@x.test']
    target.accepted(0, 2)
    target.accepted(2, 2)
    assert target.sent == 6 and target.added == 4
    assert [row[3] for row in target.outcomes(False)] == ['added'] * 2 + ['unknown'] * 2 + ['added'] * 2
    assert target.entry(False)['first'] == ['p1@x.test', 'p3@x.test', 'p9@x.test', 'p11@x.test']
    assert len(list(batches)) == (BATCH + 2 - 6 + 1) // 2, 'the rest, the last one short'
    assert target.sent == BATCH + 2
