"""list_reading.py: the filters a list is read through (rules, normalised values, the time window, paging)."""

import datetime

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import FilterError, Filters, today


@pytest.mark.parametrize('options,message', [
    ({'days': 0}, 'days must be an integer from 1 to 36500'),
    ({'days': -2}, 'days must be an integer from 1 to 36500'),
    ({'days': 'week'}, 'days must be an integer from 1 to 36500'),
    ({'days': 1.5}, 'days must be an integer from 1 to 36500'),
    ({'days': True}, 'days must be an integer from 1 to 36500'),
    ({'start_date': '2024/01/01'}, 'start_date must be a date in YYYY-MM-DD format'),
    ({'end_date': '2024-02-30'}, 'end_date must be a real date in YYYY-MM-DD format'),
    ({'start_date': 20240101}, 'start_date must be a date in YYYY-MM-DD format'),
    ({'start_date': '2024-03-01', 'end_date': '2024-02-01'}, 'start_date (2024-03-01) must be earlier than end_date'),
    ({'start_date': '2024-03-01', 'end_date': '2024-03-01'}, 'must be earlier than end_date'),
    ({'days': 3, 'start_date': '2024-03-01'}, 'days cannot be combined with start_date or end_date'),
    ({'days': 3, 'end_date': '2024-03-01'}, 'days cannot be combined with start_date or end_date'),
    ({'limit': -1}, 'limit must be an integer of 0 or more'),
    ({'offset': -1}, 'offset must be an integer of 0 or more'),
    ({'limit': 'all'}, 'limit must be an integer of 0 or more'),
    ({'email': ''}, 'email must be a non-empty string'),
    ({'email': '   '}, 'email must be a non-empty string'),
])
def test_rules(options, message):
    with pytest.raises(FilterError, match=message.replace('(', r'\(').replace(')', r'\)')):
        Filters(**options)


def test_valid_values_are_normalised():
    filters = Filters.from_options({'days': '7', 'limit': '10', 'offset': 5, 'email': 'brandon', 'other': 1})
    assert filters.as_dict() == {'days': 7, 'start_date': None, 'end_date': None, 'limit': 10, 'offset': 5,
                                 'email': 'brandon'}
    assert filters.since == today() - datetime.timedelta(days=6)


def test_email_without_syntax_is_accepted():
    assert Filters(email='isaac@hotmail').matches({'email': 'ISAAC@hotmail'})


def test_days_includes_today():
    now = datetime.datetime.now(datetime.timezone.utc)
    record = {'email': 'a', 'created': now.strftime('%Y-%m-%d %H:%M:%S')}
    yesterday = {'email': 'b', 'created': (now - datetime.timedelta(days=1)).strftime('%Y-%m-%d %H:%M:%S')}
    assert Filters(days=1).matches(record) and not Filters(days=1).matches(yesterday)
    assert Filters(days=2).matches(yesterday)


def test_date_range_is_inclusive_and_needs_created():
    filters = Filters(start_date='2009-06-01', end_date='2009-06-02')
    assert filters.matches({'email': 'a', 'created': '2009-06-01 00:00:00'})
    assert filters.matches({'email': 'a', 'created': '2009-06-02 23:59:59'})
    assert not filters.matches({'email': 'a', 'created': '2009-06-03 00:00:00'})
    assert not filters.matches({'email': 'a'})
    assert Filters(start_date='2009-06-02').matches({'email': 'a', 'created': '2020-01-01 00:00:00'})


def test_window_applies_offset_then_limit():
    assert list(Filters(offset=2, limit=3).window(iter(range(10)))) == [2, 3, 4]
    assert list(Filters(offset=8).window(iter(range(10)))) == [8, 9]
    assert list(Filters(limit=0).window(iter(range(10)))) == []


def test_narrowed_passes_an_unfiltered_list_through_untouched():
    records = iter([{'email': 'a@x.test'}])
    assert Filters().narrowed(records) is records


def test_narrowed_matches_then_windows():
    records = [{'email': 'A@x.test', 'created': '2025-01-02 00:00:00'},
               {'email': 'b@x.test', 'created': '2025-01-03 00:00:00'},
               {'email': 'a@x.test', 'created': '2025-01-04 00:00:00'}]
    assert [r['created'] for r in Filters(email='a@X.test').narrowed(iter(records))] == [
        '2025-01-02 00:00:00', '2025-01-04 00:00:00']
    assert [r['created'] for r in Filters(email='a@x.test', offset=1).narrowed(iter(records))] == [
        '2025-01-04 00:00:00']
    assert [r['email'] for r in Filters(start_date='2025-01-03', end_date='2025-01-05', limit=1).narrowed(
        iter(records))] == ['b@x.test']
