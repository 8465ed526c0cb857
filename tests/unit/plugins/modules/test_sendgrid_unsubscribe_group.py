"""sendgrid_unsubscribe_group against the emulator: create once and then unchanged, adopt a group by name, update,
refuse deleting a group that holds addresses unless forced, delete and then unchanged, check and diff modes,
two groups of one name, on-behalf-of isolation, and SendGrid's limits checked before any request."""

import os

import pytest
import requests
import yaml
from module_helpers import run_module
from emulator.process import FIXTURES

DEMO = os.path.join(FIXTURES, 'demo.yml')
V3 = {'api_key': 'SG.demo-key', 'api_version': 'v3'}


def _module(emu, args, tmp_path, **kwargs):
    return run_module('sendgrid_unsubscribe_group', dict(V3, api_url=emu.url, **args), tmp_path, **kwargs)


def _groups(emu, user=None):
    headers = dict({'Authorization': 'Bearer SG.demo-key'}, **({'on-behalf-of': user} if user else {}))
    return {g['name']: g for g in requests.get(emu.url + '/v3/asm/groups', headers=headers, timeout=30).json()}


@pytest.mark.compat
def test_create_once_then_unchanged_with_check_and_diff(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    args = {'name': 'Release Notes', 'description': 'What changed, weekly.'}
    rc, check = _module(emu, args, tmp_path, check_mode=True, diff=True)
    assert rc == 0 and check['changed'] and emu.stats()['writes'] == 0
    assert check['group'] == {'id': None, 'name': 'Release Notes', 'description': 'What changed, weekly.',
                              'is_default': False}
    assert check['diff'] == {'before': {}, 'after': check['group']}
    rc, result = _module(emu, args, tmp_path)
    assert rc == 0 and result['changed'] and isinstance(result['group']['id'], int)
    assert _groups(emu)['Release Notes']['description'] == 'What changed, weekly.'
    emu.reset_stats()
    rc, again = _module(emu, args, tmp_path)
    assert rc == 0 and again['changed'] is False and again['group'] == result['group']
    assert emu.stats()['writes'] == 0


def test_an_existing_group_is_adopted_by_name_and_updated(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    args = {'name': 'PRODUCT NEWS', 'description': 'Launches, updates and offers', 'is_default': True}
    rc, result = _module(emu, args, tmp_path, diff=True)
    assert rc == 0 and result['changed'] and result['group']['id'] == 102
    assert result['group'] == {'id': 102, 'name': 'Product news', 'description': 'Launches, updates and offers',
                               'is_default': True}, 'adopted as it is named, its name kept'
    assert result['diff']['before']['description'] == 'Launches and updates'
    assert emu.stats()['writes'] == 1 and 'PRODUCT NEWS' not in _groups(emu)
    emu.reset_stats()
    rc, again = _module(emu, {'name': 'Product news', 'is_default': True}, tmp_path)
    assert rc == 0 and again['changed'] is False and emu.stats()['writes'] == 0, 'unset options are left as they are'


def test_a_group_that_holds_addresses_is_deleted_only_when_forced(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, refused = _module(emu, {'name': 'Newsletters', 'state': 'absent'}, tmp_path)
    assert rc == 1 and emu.stats()['writes'] == 0
    assert "'Newsletters' (id 101) holds 2 address(es)" in refused['msg']
    assert 'global list' in refused['msg'] and 'force: true' in refused['msg']
    rc, check = _module(emu, {'name': 'Newsletters', 'state': 'absent', 'force': True}, tmp_path, check_mode=True)
    assert rc == 0 and check['changed'] and emu.stats()['writes'] == 0
    rc, result = _module(emu, {'name': 'Newsletters', 'state': 'absent', 'force': True}, tmp_path)
    assert rc == 0 and result['changed'] and result['held_addresses'] == 2 and result['group']['id'] == 101
    assert 'Newsletters' not in _groups(emu)
    emu.reset_stats()
    rc, again = _module(emu, {'name': 'Newsletters', 'state': 'absent'}, tmp_path)
    assert rc == 0 and again['changed'] is False and again['group'] is None and emu.stats()['writes'] == 0


def test_an_empty_group_is_deleted_without_force(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _module(emu, {'name': 'Product news', 'state': 'absent'}, tmp_path)
    assert rc == 0 and result['changed'] and result['held_addresses'] == 0 and 'Product news' not in _groups(emu)


def test_two_groups_of_one_name_are_refused(emulator_factory, tmp_path):
    data = yaml.safe_load(open(DEMO, encoding='utf-8'))
    data['accounts'][0]['groups'].append({'id': 103, 'name': 'newsletters', 'description': 'a second one'})
    emu = emulator_factory(data=data)
    rc, result = _module(emu, {'name': 'NEWSLETTERS', 'description': 'x'}, tmp_path)
    assert rc == 1 and '2 unsubscribe groups are named' in result['msg'] and 'ids 101, 103' in result['msg']
    rc, exact = _module(emu, {'name': 'newsletters', 'description': 'a second one'}, tmp_path)
    assert rc == 0 and exact['group']['id'] == 103 and exact['changed'] is False, 'an exact name decides'
    assert emu.stats()['writes'] == 0


def test_on_behalf_of_a_subuser_touches_only_its_groups(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _module(emu, {'user': 'tenant-42', 'name': 'Newsletters', 'description': 'Changed'}, tmp_path)
    assert rc == 0 and result['changed'] and result['group']['id'] == 301 and result['user'] == 'tenant-42'
    assert _groups(emu, 'tenant-42')['Newsletters']['description'] == 'Changed'
    assert _groups(emu)['Newsletters']['description'] == 'Our monthly newsletter'


def test_the_200_group_limit_is_checked_before_any_write(emulator_factory, tmp_path):
    data = yaml.safe_load(open(DEMO, encoding='utf-8'))
    data['accounts'][0]['groups'] = [{'id': 1000 + n, 'name': 'group %d' % n, 'description': ''}
                                     for n in range(200)]
    emu = emulator_factory(data=data)
    rc, result = _module(emu, {'name': 'one more', 'description': 'x'}, tmp_path)
    assert rc == 1 and 'already has 200 unsubscribe groups' in result['msg'] and emu.stats()['writes'] == 0
    rc, result = _module(emu, {'name': 'group 7', 'description': 'still fine'}, tmp_path)
    assert rc == 0 and result['changed'], 'an existing group is still updated'


def test_bad_input_is_refused_before_any_request(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    for args, message in (
            ({'name': 'x' * 31, 'description': 'd'}, 'name must be 1 to 30 characters'),
            ({'name': '  ', 'description': 'd'}, 'name must be 1 to 30 characters'),
            ({'name': 'ok', 'description': 'd' * 101}, 'description must be at most 100 characters, got 101'),
            ({'name': 'ok', 'user': ' '}, 'user must not be empty or blank'),
            ({'name': 'ok', 'api_version': 'v2'}, 'managing unsubscribe groups needs api_version v3: Web API v2 has no groups endpoint'),
            ({'name': 'ok', 'statee': 'absent'}, 'Unsupported parameters'),
    ):
        rc, result = _module(emu, args, tmp_path)
        assert rc == 1 and message in result['msg'], (args, result['msg'])
    assert emu.stats()['total'] == 0


def test_a_new_group_needs_a_description(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _module(emu, {'name': 'No words'}, tmp_path)
    assert rc == 1 and 'description is required to create' in result['msg'] and emu.stats()['writes'] == 0
