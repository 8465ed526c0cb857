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


def test_a_run_that_continues_an_interrupted_one_is_confirmed_by_the_first_count():
    # 20006 confirmed; the interrupted run deleted 9000; 11006 are left.
    request = _request(dry_run=False, confirm_count=20006, option_prefix='suppression_cleanup_')
    check_guard(11006, request, before=9000)
    check_guard(11006, _request(dry_run=False, confirm_count=11006), before=9000)     # or by what is left
    with pytest.raises(CleanupError) as grown:
        check_guard(11010, request, before=9000)
    assert str(grown.value) == (
        'suppression_cleanup_confirm_count is 20006 but 11010 records are selected now, and the interrupted runs this '
        'one continues deleted 9000 of the same selection (20010 in all), more than suppression_cleanup_max_delete '
        '(1000); nothing was deleted. The selection changed since you counted, or the selectors differ: check the '
        'dry-run report, then set suppression_cleanup_confirm_count: 20010 to confirm (or 11010, what is selected '
        'now).')


def test_a_refusal_says_which_count_to_confirm():
    with pytest.raises(CleanupError, match=r'check the dry-run report, then set confirm_count: 5 to confirm\.$'):
        check_guard(5, _request(dry_run=False, max_delete=1, confirm_count=4))
    with pytest.raises(CleanupError, match=r'continues deleted 3 .*\(8 in all\).* set confirm_count: 8 to confirm\.$'):
        check_guard(5, _request(dry_run=False, max_delete=1), before=3)
