"""The unknown_names filter: one message per name that is not valid, with the closest valid one."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.filter.unknown_names import FilterModule, unknown_names

pytestmark = pytest.mark.compat


def test_each_unknown_name_gets_the_closest_valid_one():
    assert unknown_names(['suppression_cleanup_domain', 'suppression_cleanup_days'],
                         ['suppression_cleanup_days', 'suppression_cleanup_domains'], 'variable') == [
        'unknown variable suppression_cleanup_domain: did you mean suppression_cleanup_domains?']


def test_a_name_far_from_all_lists_the_valid_ones():
    assert unknown_names(['zzz'], ['days', 'reason']) == ['unknown option zzz: valid: days, reason']


def test_nothing_given_or_all_valid_is_no_message():
    assert unknown_names(None, ['days']) == [] and unknown_names(['days'], ['days']) == []
    assert FilterModule().filters() == {'unknown_names': unknown_names}
