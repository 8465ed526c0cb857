"""The cleanup_problems filter: the cleanup's own rules, worded in the caller's variable names (the role's)."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.filter.cleanup_problems import FilterModule, cleanup_problems

pytestmark = pytest.mark.compat


def test_the_role_s_prefix_names_its_variables():
    problems = cleanup_problems({'lists': [{'list': 'customer_bounces'}], 'max_delete': 0}, 'v3',
                                'suppression_cleanup_')
    assert problems == [
        'suppression_cleanup_lists[0]: the list customer_bounces needs a user (the customer or subuser)',
        'no selector is set (suppression_cleanup_days, suppression_cleanup_start_date, suppression_cleanup_end_date, '
        'suppression_cleanup_reason, suppression_cleanup_status, suppression_cleanup_domains, '
        'suppression_cleanup_emails, suppression_cleanup_query); set suppression_cleanup_select_all to true to '
        'select every record of the lists',
        'suppression_cleanup_max_delete must be at least 1, got 0']


def test_good_settings_have_no_problem_and_the_filter_is_registered():
    assert cleanup_problems({'lists': [{'list': 'blocks'}], 'days': 90}, 'v3') == []
    assert FilterModule().filters()['cleanup_problems'] is cleanup_problems
