"""selection.py: the selectors, a list's selection read once, and the held-back rule (an address with records left
out, by a selector or by a query, is never deleted)."""

from collections import Counter

import jmespath
import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import FilterError, Filters
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import (
    Selectors, count_selected, dropped_by_query, flag_shared, listed_key, query_records, select)

RECORDS = [{'email': 'a@old.test', 'status': '5.1.1', 'reason': 'user unknown'},
           {'email': 'A@old.test', 'status': '4.2.2', 'reason': 'mailbox full'},
           {'email': 'b@new.test', 'status': '5.1.1', 'reason': 'user unknown'}]


class Listed:
    """A list of records in memory, read through Filters as the real lists are."""

    name, user = 'bounces', None

    def list(self, filters):
        return filters.window(iter(RECORDS))

    def count(self, filters):
        return len(RECORDS)


def test_selectors_match_reason_status_domain_and_address():
    assert Selectors(status='5.1').matches(RECORDS[0]) and not Selectors(status='5.1').matches(RECORDS[1])
    assert Selectors(domains=['@OLD.test']).matches(RECORDS[1])
    assert Selectors(reason='^user').matches(RECORDS[2]) and not Selectors(reason='^user').matches(RECORDS[1])
    assert Selectors(emails=['B@new.test']).matches(RECORDS[2])
    assert not Selectors().active


@pytest.mark.parametrize('selectors,message', [({'reason': '('}, 'reason must be a valid regular expression'),
                                               ({'status': ' '}, 'status must be a non-empty status prefix')])
def test_bad_selectors_are_named(selectors, message):
    with pytest.raises(FilterError, match=message):
        Selectors(**selectors)


def test_an_address_with_a_record_left_out_is_held_back():
    unselected = Counter()
    chosen = list(select(Listed(), Filters(), Selectors(status='5.1.1'), unselected))
    assert [r['email'] for r in chosen] == ['a@old.test', 'b@new.test']
    assert unselected == Counter({listed_key('bounces', None, RECORDS[1]): 1})
    flagged = flag_shared([dict(r, list='bounces', user=None) for r in chosen], unselected)
    assert [r['unselected_records'] for r in flagged] == [1, 0]
    assert count_selected(Listed(), Filters(), Selectors(status='5.1.1')) == 2


def test_what_a_query_drops_holds_its_address_back_too():
    records = [dict(r, list='bounces', user=None) for r in RECORDS]
    kept = query_records(jmespath.compile("[?reason == 'user unknown']"), records)
    assert dropped_by_query(records, kept) == Counter({listed_key('bounces', None, RECORDS[1]): 1})
    assert [r['unselected_records'] for r in flag_shared(kept, Counter(), records)] == [1, 0]
    assert query_records(jmespath.compile('[0]'), []) == []
