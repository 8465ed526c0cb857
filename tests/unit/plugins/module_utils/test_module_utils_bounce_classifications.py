"""bounce_classifications.py: what a query may ask, before any request; the rows are read from the emulator in
lookup/test_bounce_classifications.py."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.bounce_classifications import query_problem, user_rows
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError


def test_a_good_query_has_no_problem():
    assert query_problem() is None
    assert query_problem('Invalid Address', '2025-01-01', '2025-01-01') is None


@pytest.mark.parametrize('query,problem', [
    ({'classification': 'invalid address'}, 'classification must be one of '),
    ({'start_date': '2025-13-01'}, "start_date must be a date as YYYY-MM-DD, got '2025-13-01'"),
    ({'end_date': 'yesterday'}, "end_date must be a date as YYYY-MM-DD, got 'yesterday'"),
    ({'start_date': '2025-02-02', 'end_date': '2025-02-01'},
     'start_date (2025-02-02) must not be later than end_date (2025-02-01)'),
])
def test_each_bad_query_is_named(query, problem):
    assert query_problem(**query).startswith(problem)


def test_v2_is_refused_before_any_request():
    class V2:
        api_version = 'v2'
    with pytest.raises(SendGridError, match='^reading bounce classifications needs api_version v3'):
        user_rows(V2())
