"""cleanup_guard.py: more than max_delete only with confirm_count equal to the count, in the caller's names."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_guard import check_guard
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import CleanupError, Request
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options

OPTIONS = Options.read({'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9'}.get)


def _request(**settings):
    return Request(OPTIONS, [], None, None, **settings)


def test_the_guard():
    check_guard(5, _request(dry_run=True, max_delete=1))
    check_guard(1, _request(dry_run=False, max_delete=1))
    check_guard(5, _request(dry_run=False, max_delete=1, confirm_count=5))
    with pytest.raises(CleanupError, match='5 records are selected, more than max_delete'):
        check_guard(5, _request(dry_run=False, max_delete=1))
    with pytest.raises(CleanupError, match='confirm_count is 4 but 5 records are selected'):
        check_guard(5, _request(dry_run=False, max_delete=1, confirm_count=4))


def test_the_guard_names_the_options_as_the_caller_spells_them():
    with pytest.raises(CleanupError) as refused:
        check_guard(5, _request(dry_run=False, max_delete=1, option_prefix='suppression_cleanup_'))
    assert str(refused.value) == (
        '5 records are selected, more than suppression_cleanup_max_delete (1); nothing was deleted. Check the dry-run '
        'report, then set suppression_cleanup_confirm_count: 5 to confirm.')
    with pytest.raises(CleanupError, match='^suppression_cleanup_confirm_count is 4 but 5 records are selected, more '
                                           'than suppression_cleanup_max_delete'):
        check_guard(5, _request(dry_run=False, max_delete=1, confirm_count=4, option_prefix='suppression_cleanup_'))


def test_the_guard_of_a_plan_counts_the_plans_addresses():
    with pytest.raises(CleanupError, match='the plan holds 5 addresses, more than max_delete'):
        check_guard(5, _request(dry_run=False, max_delete=1), planned=True)
