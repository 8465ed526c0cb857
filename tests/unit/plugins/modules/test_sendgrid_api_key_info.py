"""sendgrid_api_key_info against the emulator: the key's scopes, and for each intended operation whether the key
may run it and what it lacks; check mode the same as the run, one request, never changed; a key that may not read
its scopes warned, not failed; v2 and bad input refused before any request."""

import json
import os

import pytest
from emulator.process import FIXTURES, Emulator
from module_helpers import run_module

from ansible_collections.mailops.sendgrid.plugins.module_utils import permissions


@pytest.fixture(scope='module')
def emu():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emulator:
        yield emulator


def _info(emu, tmp_path, key, check_mode=False, **args):
    return run_module('sendgrid_api_key_info', dict(dict(api_version='v3'), api_key=key, api_url=emu.url, **args),
                      tmp_path, check_mode=check_mode)


@pytest.mark.compat
def test_a_purge_key_can_purge_blocks_and_nothing_else(emu, tmp_path):
    emu.reset_stats()
    rc, result = _info(emu, tmp_path, 'SG.demo-blocks-purge', purge=['blocks', 'bounces'], read=['blocks'],
                       webhook=True)
    assert rc == 0 and result['changed'] is False, result
    assert result['scopes'] == ['suppression.blocks.delete', 'suppression.blocks.read'] and result['scopes_read']
    assert result['allowed'] == {'purge': {'blocks': True, 'bounces': False}, 'read': {'blocks': True},
                                 'webhook': False}
    assert result['missing'] == [
        {'intent': 'purge bounces', 'scopes': ['suppression.read', 'suppression.bounces.read'],
         'needed_for': 'reading bounces'},
        {'intent': 'purge bounces', 'scopes': ['suppression.delete', 'suppression.bounces.delete'],
         'needed_for': 'deleting from bounces'},
        {'intent': 'webhook', 'scopes': ['user.webhooks.event.settings.read'], 'needed_for': 'reading Event Webhooks'},
        {'intent': 'webhook', 'scopes': ['user.webhooks.event.settings.create'],
         'needed_for': 'creating Event Webhooks'},
        {'intent': 'webhook', 'scopes': ['user.webhooks.event.settings.update'],
         'needed_for': 'changing Event Webhooks (signing too)'},
        {'intent': 'webhook', 'scopes': ['user.webhooks.event.settings.delete'], 'needed_for': 'deleting Event Webhooks'}]
    assert list(emu.stats()['by_endpoint']) == ['v3/scopes'] and emu.stats()['total'] == 1


def test_a_read_only_key_reads_but_cannot_purge_nor_manage_groups(emu, tmp_path):
    rc, result = _info(emu, tmp_path, 'SG.demo-read-only', purge=['group_unsubscribes'],
                       read=['group_unsubscribes', 'unsubscribes', 'spam_reports'], groups=True, subusers=True)
    assert rc == 0
    assert result['allowed'] == {'purge': {'group_unsubscribes': False},
                                 'read': {'group_unsubscribes': True, 'unsubscribes': True, 'spam_reports': True},
                                 'groups': False, 'subusers': True}
    assert [(gap['intent'], gap['scopes']) for gap in result['missing']] == [
        ('purge group_unsubscribes', ['asm.groups.suppressions.delete']), ('groups', ['asm.groups.create']),
        ('groups', ['asm.groups.update']), ('groups', ['asm.groups.delete'])]


def test_check_mode_answers_the_same(emu, tmp_path):
    args = dict(purge=['spam_reports'], bounce_purge=True)
    emu.reset_stats()
    assert _info(emu, tmp_path, 'SG.demo-key', **args) == _info(emu, tmp_path, 'SG.demo-key', check_mode=True, **args)
    assert emu.stats()['writes'] == 0


def test_a_key_with_every_scope_may_do_all(emu, tmp_path):
    rc, result = _info(emu, tmp_path, 'SG.demo-key', purge=sorted(permissions.PURGES), groups=True, webhook=True,
                       bounce_purge=True, subusers=True)
    assert rc == 0 and result['missing'] == []
    assert all(result['allowed']['purge'].values()) and result['allowed']['webhook'] is True


def test_a_key_that_may_not_read_its_scopes_is_warned_not_failed(emu, tmp_path):
    rc, result = _info(emu, tmp_path, 'SG.demo-hidden-scopes', purge=['blocks'])
    assert rc == 0 and result['scopes_read'] is False and result['scopes'] == []
    assert result['allowed'] == {'purge': {'blocks': None}} and result['missing'] == []
    assert 'nothing was checked' in json.dumps(result['warnings'])


def test_a_wrong_key_fails_naming_the_status(emu, tmp_path):
    rc, result = _info(emu, tmp_path, 'SG.no-such-key', purge=['blocks'])
    # 401 on /v3/scopes is "could not tell": the key is refused at its first real request instead.
    assert rc == 0 and result['scopes_read'] is False
    assert 'SG.no-such-key' not in repr(result)


def test_v2_and_bad_input_are_refused_before_any_request(emu, tmp_path):
    emu.reset_stats()
    rc, result = _info(emu, tmp_path, 'SG.demo-key', purge=['blocks'], api_version='v2', api_user='apikey')
    assert rc == 1 and result['msg'] == ('sendgrid_api_key_info needs api_version v3: Web API v2 has no API key '
                                         'scopes (GET /v3/scopes)')
    rc, result = _info(emu, tmp_path, 'SG.demo-key', purge=['blockz'])
    assert rc == 1 and 'purge' in result['msg'] and 'blockz' in result['msg']
    rc, result = _info(emu, tmp_path, 'SG.demo-key', webhooks=True)
    assert rc == 1 and 'webhooks' in result['msg']
    assert emu.stats()['total'] == 0
