"""event_webhook.py: a user's URL, the URL rules, what a task asks for, v2 refused; the module's runs against the
emulator are in modules/test_sendgrid_event_webhook.py."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.event_webhook import (
    EventWebhooks, url_problem, user_url, wanted_settings)


def test_a_users_url_holds_the_username_as_one_path_segment():
    assert user_url('https://hooks.example.com/sg/{user}', 'tenant/42 x') == 'https://hooks.example.com/sg/tenant%2F42%20x'
    assert user_url('https://hooks.example.com/sg', None) == 'https://hooks.example.com/sg'


@pytest.mark.parametrize('url,many,problem', [
    ('https://hooks.example.com/sg', False, None),
    ('https://hooks.example.com/{user}', True, None),
    ('', False, 'url is required'),
    ('ftp://hooks.example.com/', False, 'url must be an http:// or https:// URL with a host'),
    ('https://hooks.example.com/sg', True, 'url must hold {user} when subusers is set'),
    ('https://hooks.example.com/{user}', False, 'url holds {user}, which only subusers fills in'),
])
def test_the_url_rules(url, many, problem):
    found = url_problem(url, many)
    assert found == problem if problem is None else found.startswith(problem)


def test_a_task_asks_only_for_what_it_sets():
    assert wanted_settings() == {}
    wanted = wanted_settings(enabled=True, events=['bounce'], friendly_name='ops')
    assert wanted['enabled'] is True and wanted['bounce'] is True and wanted['friendly_name'] == 'ops'
    assert wanted['spam_report'] is False


def test_v2_is_refused_before_any_request():
    class V2:
        api_version = 'v2'
    with pytest.raises(SendGridError, match='^the Event Webhook needs api_version v3'):
        EventWebhooks(V2())
