"""The emulator's API key scopes: GET /v3/scopes answers a key's own, a request outside them gets SendGrid's 403
body (each operation of the table), a call on behalf of a subuser is held to the parent key's scopes, and a bare
key keeps every scope. The README lists the table enforced."""

import os

import pytest
import requests
from emulator import scopes
from emulator.process import FIXTURES, Emulator

DEMO = os.path.join(FIXTURES, 'demo.yml')
README = os.path.join(os.path.dirname(FIXTURES), 'README.md')
FORBIDDEN = {'errors': [{'field': None, 'message': 'access forbidden'}]}
# A concrete path for each endpoint of the table, on the demo account (group 101, webhook id unknown: 404).
VALUES = {'{email}': 'reader@example.com', '{group_id}': '101', '{id}': 'no-such-webhook'}


def call(emu, method, path, key, body=None, headers=None):
    return requests.request(method, emu.url + '/v3/' + path, json=body, timeout=30,
                            headers=dict({'Authorization': 'Bearer ' + key}, **(headers or {})))


def concrete(endpoint):
    for name, value in VALUES.items():
        endpoint = endpoint.replace(name, value)
    return endpoint


@pytest.fixture(scope='module')
def emu():
    with Emulator('--data', DEMO) as emulator:
        yield emulator


def test_scopes_answers_the_keys_own(emu):
    answer = call(emu, 'GET', 'scopes', 'SG.demo-blocks-purge')
    assert answer.status_code == 200
    assert answer.json() == {'scopes': ['suppression.blocks.delete', 'suppression.blocks.read']}


def test_a_bare_key_holds_every_scope(emu):
    held = call(emu, 'GET', 'scopes', 'SG.demo-key').json()['scopes']
    assert set(held) >= {scope for needed in scopes.REQUIRED.values() for scope in needed}
    assert call(emu, 'GET', 'suppression/blocks', 'SG.demo-key').status_code == 200


def test_a_key_that_may_not_read_its_scopes_gets_403(emu):
    answer = call(emu, 'GET', 'scopes', 'SG.demo-hidden-scopes')
    assert (answer.status_code, answer.json()) == (403, FORBIDDEN)
    assert call(emu, 'GET', 'suppression/blocks', 'SG.demo-hidden-scopes').status_code == 200


def test_scopes_without_a_key_is_401(emu):
    assert call(emu, 'GET', 'scopes', 'SG.unknown').status_code == 401


@pytest.mark.parametrize('method,endpoint', sorted(scopes.REQUIRED))
def test_each_operation_out_of_scope_is_403(emu, method, endpoint):
    """A key with none of the scopes an operation needs gets SendGrid's body, before anything is read or
    changed; a key with only one of the alternatives passes the scope check."""
    body = {'emails': ['nobody@example.com']} if method in ('DELETE', 'POST', 'PATCH') else None
    answer = call(emu, method, concrete(endpoint), 'SG.demo-blocks-purge', body)
    needed = scopes.REQUIRED[(method, endpoint)]
    if any(scope in ('suppression.blocks.read', 'suppression.blocks.delete') for scope in needed):
        assert answer.status_code != 403
    else:
        assert (answer.status_code, answer.json()) == (403, FORBIDDEN)


def test_nothing_is_written_outside_the_scopes(emu):
    before = call(emu, 'GET', 'suppression/spam_reports', 'SG.demo-key').json()
    assert call(emu, 'DELETE', 'suppression/spam_reports', 'SG.demo-read-only',
                {'delete_all': True}).status_code == 403
    assert call(emu, 'GET', 'suppression/spam_reports', 'SG.demo-key').json() == before


def test_on_behalf_of_is_held_to_the_parent_keys_scopes(emu):
    behalf = {'on-behalf-of': 'tenant-42'}
    assert call(emu, 'GET', 'suppression/blocks', 'SG.demo-blocks-purge', headers=behalf).status_code == 200
    answer = call(emu, 'GET', 'suppression/bounces', 'SG.demo-blocks-purge', headers=behalf)
    assert (answer.status_code, answer.json()) == (403, FORBIDDEN)
    # /v3/scopes tells the key's own scopes, whoever it acts for.
    assert call(emu, 'GET', 'scopes', 'SG.demo-blocks-purge', headers=behalf).json()['scopes'] == [
        'suppression.blocks.delete', 'suppression.blocks.read']


def test_the_classifications_need_no_scope(emu):
    """SendGrid documents none for them, so none is enforced."""
    answer = call(emu, 'GET', 'suppression/bounces/classifications', 'SG.demo-blocks-purge',
                  headers={'Accept': 'application/json'})
    assert answer.status_code == 200


def test_the_readme_lists_the_table_enforced():
    with open(README, encoding='utf-8') as handle:
        text = handle.read()
    table = text.split('<!-- scopes table -->', 2)[1]
    rows = [line for line in table.splitlines() if line.startswith('| `')]
    assert rows == scopes.readme_rows()
