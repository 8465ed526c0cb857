"""cleanup.py: the guard, the request's settings and the regional clients; the whole run is tested through the
module (test_suppression_cleanup_module.py), the plan file in test_plan_file.py."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup import CleanupError, Request, check_guard
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


def test_a_request_takes_only_known_settings():
    assert _request(max_delete=7).max_delete == 7 and _request().dry_run is True
    with pytest.raises(TypeError, match='unknown cleanup settings: dryrun'):
        _request(dryrun=False)


def test_each_region_gets_one_client_through_its_url():
    from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client
    from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import regional_clients
    options = Options.read({'api_key': 'SG.k'}.get)
    client = open_client(options)
    client_for = regional_clients(options, client)
    assert client_for(None) is client and client_for('global') is client
    assert client_for('eu').api_url == 'https://api.eu.sendgrid.com' and client_for('eu') is client_for('eu')
    emulator = Options.read({'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9'}.get)
    assert regional_clients(emulator, client)('eu') is client
