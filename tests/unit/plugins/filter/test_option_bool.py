"""The role's booleans are read by the argument spec's parser; anything else is the caller's `unclear`."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.filter.option_bool import option_bool

pytestmark = pytest.mark.compat


@pytest.mark.parametrize('value', [True, 'y', 'Y', 't', ' true', 'yes', 'on', '1', 1, 'TRUE'])
def test_true_spellings(value):
    assert option_bool(value, unclear=False) is True


@pytest.mark.parametrize('value', [False, 'n', 'f', ' false', 'no', 'off', '0', 0])
def test_false_spellings(value):
    assert option_bool(value, unclear=True) is False


@pytest.mark.parametrize('value', [None, 'perhaps', '', 2, [], {}])
def test_anything_else_is_unclear(value):
    assert option_bool(value, unclear=True) is True
    assert option_bool(value, unclear=False) is False
