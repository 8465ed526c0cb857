"""request_deadline.py: each attempt has a total deadline, headers and body together; the watchdog cuts a
connection that drips past it, and only that one."""

import time

import pytest
from hostile_server import HostileServer, drip_body, json_reply

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.request_deadline import (
    Watch, current_attempt_expired, current_watch)


def test_a_watch_is_the_current_one_while_it_runs():
    assert current_watch() is None
    with Watch(5) as watch:
        assert current_watch() is watch and not current_attempt_expired()
        watch.expire()
        assert current_attempt_expired()
    assert current_watch() is None


def test_a_dripping_answer_is_cut_at_the_deadline():
    with HostileServer(lambda request: drip_body(0.1)) as server:
        client = ClientV3(api_key='SG.k', api_url=server.url, timeout=1, max_retries=3)
        started = time.monotonic()
        with pytest.raises(SendGridError, match='did not arrive whole in time'):
            client.call('GET', 'suppression/blocks')
    assert time.monotonic() - started < 4, 'cut once, not retried'


def test_a_quick_answer_is_untouched():
    with HostileServer(lambda request: json_reply([])) as server:
        client = ClientV3(api_key='SG.k', api_url=server.url, timeout=1)
        assert [client.call('GET', 'suppression/blocks') for dummy in range(3)] == [[], [], []]


def test_an_unpaged_answer_that_drips_is_cut_at_the_deadline():
    with HostileServer(lambda request: drip_body(0.1)) as server:
        client = ClientV3(api_key='SG.k', api_url=server.url, timeout=1, max_retries=3)
        with pytest.raises(SendGridError, match='did not arrive whole in time'):
            list(client.items('asm/groups/7/suppressions'))
