"""The emulator's unsubscribe group operations and the groups of one address, checked against SendGrid's OpenAPI
document (twilio/sendgrid-oai spec/yaml/tsg_suppressions_v3.yaml): POST/PATCH/DELETE asm/groups[/{id}] with the
documented bounds, and GET asm/suppressions/{email}."""

import os

import pytest
import requests
import yaml
from emulator.process import FIXTURES, Emulator

AUTH = {'Authorization': 'Bearer SG.demo-key'}
DEMO = os.path.join(FIXTURES, 'demo.yml')


def v3(emu, method, path, json=None, headers=None):
    return requests.request(method, emu.url + '/v3/' + path, json=json, timeout=30, headers=dict(AUTH, **(headers or {})))


def error(response):
    return response.status_code, response.json()['errors'][0]['field'], response.json()['errors'][0]['message']


@pytest.fixture(scope='module')
def emu():
    """The demo fixture, for tests that change nothing."""
    with Emulator('--data', DEMO) as emulator:
        yield emulator


@pytest.fixture
def fresh():
    """The demo fixture, for a test that changes it."""
    with Emulator('--data', DEMO) as emulator:
        yield emulator


def test_create_update_delete_a_group(fresh):
    emu = fresh
    created = v3(emu, 'POST', 'asm/groups', {'name': 'Offers', 'description': 'Deals', 'is_default': False})
    assert created.status_code == 201
    group = created.json()
    assert set(group) == {'id', 'name', 'description', 'is_default'} and isinstance(group['id'], int)
    assert v3(emu, 'GET', 'asm/groups/%d' % group['id']).json()['unsubscribes'] == 0
    updated = v3(emu, 'PATCH', 'asm/groups/%d' % group['id'], {'description': 'Deals and offers', 'is_default': True})
    assert updated.status_code == 201
    assert updated.json() == {'id': group['id'], 'name': 'Offers', 'description': 'Deals and offers'}
    assert v3(emu, 'GET', 'asm/groups/%d' % group['id']).json()['is_default'] is True
    assert v3(emu, 'DELETE', 'asm/groups/%d' % group['id']).status_code == 204
    assert v3(emu, 'GET', 'asm/groups/%d' % group['id']).status_code == 404
    assert emu.stats()['writes'] == 3


def test_deleting_a_group_takes_its_suppressions_with_it(fresh):
    emu = fresh
    assert v3(emu, 'DELETE', 'asm/groups/101').status_code == 204
    assert all(row['group_id'] != 101 for row in v3(emu, 'GET', 'asm/suppressions').json())


@pytest.mark.parametrize('body,field,message', [
    ({'description': 'd'}, 'name', 'name is required'),
    ({'name': 'n'}, 'description', 'description is required'),
    ({'name': 'x' * 31, 'description': 'd'}, 'name', 'at most 30 characters'),
    ({'name': ' ', 'description': 'd'}, 'name', 'not empty'),
    ({'name': 'n', 'description': 'd' * 101}, 'description', 'at most 100 characters'),
    ({'name': 'n', 'description': 'd', 'is_default': 'yes'}, 'is_default', 'true or false'),
    ({'name': 'Newsletters', 'description': 'd'}, 'name', 'already exists'),
])
def test_a_bad_group_is_refused(emu, body, field, message):
    status, got_field, text = error(v3(emu, 'POST', 'asm/groups', body))
    assert (status, got_field) == (400, field) and message in text
    assert [g['id'] for g in v3(emu, 'GET', 'asm/groups').json()] == [101, 102]


def test_the_201st_group_is_refused(tmp_path):
    data = yaml.safe_load(open(DEMO, encoding='utf-8'))
    data['accounts'][0]['groups'] = [{'id': 1000 + n, 'name': 'g%d' % n} for n in range(200)]
    path = tmp_path / 'groups.yml'
    path.write_text(yaml.safe_dump(data))
    with Emulator('--data', str(path)) as emu:
        status, dummy, text = error(v3(emu, 'POST', 'asm/groups', {'name': 'one more', 'description': 'd'}))
        assert status == 400 and 'at most 200' in text


def test_patch_and_delete_another_account_s_group_is_404(emu):
    subuser = {'on-behalf-of': 'subuser@example.com'}
    assert error(v3(emu, 'PATCH', 'asm/groups/101', {'description': 'x'}, subuser))[:2] == (404, 'group_id')
    assert error(v3(emu, 'DELETE', 'asm/groups/101', headers=subuser))[:2] == (404, 'group_id')
    assert v3(emu, 'GET', 'asm/groups/101').json()['description'] == 'Our monthly newsletter'


def test_the_groups_of_one_address(emu):
    answer = v3(emu, 'GET', 'asm/suppressions/READER@example.com')
    assert answer.status_code == 200
    rows = answer.json()['suppressions']
    assert [(r['id'], r['name'], r['suppressed']) for r in rows] == [
        (101, 'Newsletters', True), (102, 'Product news', False)]
    assert set(rows[0]) == {'description', 'id', 'is_default', 'name', 'suppressed'}
    tenant = v3(emu, 'GET', 'asm/suppressions/reader@example.com', headers={'on-behalf-of': 'tenant-42'}).json()
    assert [(r['id'], r['suppressed']) for r in tenant['suppressions']] == [(301, True)]
