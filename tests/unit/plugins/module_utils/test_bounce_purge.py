"""bounce_purge.py: the day ranges, what a task asks for, and v2 refused; the module's runs against the emulator are
in modules/test_sendgrid_bounce_purge.py."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.bounce_purge import (
    BouncePurge, days_problem, shown, wanted_purge)
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError


@pytest.mark.parametrize('value', [None, 0, 1, 3650])
def test_days_in_range(value):
    assert days_problem('hard_bounces', value) is None


@pytest.mark.parametrize('value', [-1, 3651])
def test_days_out_of_range_name_the_option_and_the_range(value):
    assert days_problem('soft_bounces', value) == (
        'soft_bounces must be from 1 to 3650 days, or 0 for no purge of these bounces; got %d' % value)


def test_a_task_asks_only_for_what_it_sets_and_0_is_the_apis_null():
    assert wanted_purge() == {}
    assert wanted_purge(enabled=True, hard_bounces=0) == {'enabled': True, 'hard_bounces': None}
    assert wanted_purge(soft_bounces=7) == {'soft_bounces': 7}


def test_a_setting_is_shown_with_none_for_no_purge():
    assert shown({'enabled': 1, 'soft_bounces': 0}) == {'enabled': True, 'soft_bounces': None, 'hard_bounces': None}


def test_v2_is_refused_before_any_request():
    class V2:
        api_version = 'v2'
    with pytest.raises(SendGridError, match='^the bounce purge needs api_version v3: Web API v2 has no mail settings'):
        BouncePurge(V2())
