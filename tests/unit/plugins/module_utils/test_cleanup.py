"""cleanup.py: the plan's digest and the checks that refuse an edited or foreign plan, the guard, and the request's
settings; the whole run is tested through the module (test_suppression_cleanup_module.py)."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup import (
    CleanupError, Request, check_guard, check_plan, plan_digest)
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options

OPTIONS = Options.read({'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9'}.get)


def _plan(**changes):
    document = {'format': 1, 'api_url': 'http://127.0.0.1:9', 'api_version': 'v3', 'created': 'now',
                'selectors': {'status': '5.'}, 'select_all': False,
                'lists': [{'list': 'blocks', 'user': None, 'group': None, 'addresses': ['a@x.test']}]}
    document.update(changes)
    document['digest'] = plan_digest(document)
    return document


def test_a_plan_checks_out():
    assert check_plan(_plan(), OPTIONS) == [('blocks', None, None, None, ['a@x.test'])]


@pytest.mark.parametrize('plan,message', [
    (dict(_plan(), api_version='v2'), 'the digest does not match'),
    (_plan(api_url='https://api.sendgrid.com'), 'made for api_url https://api.sendgrid.com'),
    (_plan(api_version='v2'), 'made for api_version v2, not v3'),
    (_plan(format=2), 'not a plan this module wrote'),
    (_plan(lists=[{'list': 'blocks', 'addresses': [' ']}]), 'lists[0] has no list of addresses'),
    ([], 'not a plan this module wrote'),
])
def test_a_plan_is_refused(plan, message):
    with pytest.raises(CleanupError) as info:
        check_plan(plan, OPTIONS)
    assert message in str(info.value)


def test_the_digest_covers_everything_but_itself():
    plan = _plan()
    assert plan_digest(plan) == plan['digest'] and plan_digest(dict(plan, digest='x')) == plan['digest']
    assert plan_digest(dict(plan, created='later')) != plan['digest']


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


def test_a_request_takes_only_known_settings():
    assert _request(max_delete=7).max_delete == 7 and _request().dry_run is True
    with pytest.raises(TypeError, match='unknown cleanup settings: dryrun'):
        _request(dryrun=False)


def test_each_region_gets_one_client_through_its_url():
    from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client
    from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup import regional_clients
    options = Options.read({'api_key': 'SG.k'}.get)
    client = open_client(options)
    client_for = regional_clients(options, client)
    assert client_for(None) is client and client_for('global') is client
    assert client_for('eu').api_url == 'https://api.eu.sendgrid.com' and client_for('eu') is client_for('eu')
    emulator = Options.read({'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9'}.get)
    assert regional_clients(emulator, client)('eu') is client


def test_a_plan_entry_with_an_unknown_region_is_refused():
    with pytest.raises(CleanupError, match="lists\\[0\\] has the region 'mars'"):
        check_plan(_plan(lists=[{'list': 'blocks', 'user': 'u', 'group': None, 'region': 'mars',
                                 'addresses': ['a@x.test']}]), OPTIONS)
    assert check_plan(_plan(lists=[{'list': 'blocks', 'user': 'u', 'group': None, 'region': 'eu',
                                    'addresses': ['a@x.test']}]), OPTIONS)[0][3] == 'eu'
