"""The action plugin of sendgrid_suppression_export, called as the task executor calls it: bad arguments fail before
any request (nothing listens at the API URL) and name the option; a file that cannot be written fails in one line,
with no key in the result; the key's scopes checked before the first read, against the emulator. Whole exports are
in module_utils/test_suppression_export.py and modules/test_sendgrid_suppression_export.py."""

import os

import pytest
from emulator.process import FIXTURES, Emulator
from module_helpers import run_action

from ansible_collections.mailops.sendgrid.plugins.action import sendgrid_suppression_export as action
from ansible_collections.mailops.sendgrid.plugins.module_utils.permissions import SKIPPED

NOWHERE = {'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9', 'api_version': 'v3'}


def _run(args, check_mode=False):
    return run_action(action, dict(NOWHERE, **args), check_mode=check_mode)


@pytest.mark.parametrize('args,message', [
    ({'lists': [{'list': 'blockz'}]}, 'blockz'),
    ({'lists': [{'list': 'blocks'}], 'fromat': 'csv'}, 'fromat'),
    ({'lists': [{'list': 'blocks'}], 'format': 'xlsx'}, 'format'),
    ({'lists': [{'list': 'blocks'}], 'api_version': 'v2'}, 'needs api_version v3'),
    ({'lists': [{'list': 'blocks'}], 'start_date': '2025-13-01'}, 'start_date must be a real date'),
    ({'lists': [{'list': 'blocks', 'user': 'a', 'subusers': {}}]}, 'mutually exclusive'),
])
def test_bad_input_fails_before_any_request(tmp_path, args, message):
    result = _run(dict({'dest': str(tmp_path / 'out.csv')}, **args))
    assert result['failed'] and message in result['msg'], result
    assert 'SG.k' not in repr(result) and os.listdir(tmp_path) == []


@pytest.mark.compat
def test_a_failed_request_leaves_no_file_and_names_what_failed(tmp_path):
    result = _run({'lists': [{'list': 'blocks'}], 'dest': str(tmp_path / 'out.csv'), 'max_retries': 0})
    assert result['failed'] and not result['changed'] and 'the file was left as it was' in result['msg'], result
    assert 'SG.k' not in repr(result) and os.listdir(tmp_path) == []


# ---- the key's scopes, checked once before the first read ---------------------------------------------------------

@pytest.fixture(scope='module')
def demo():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emulator:
        yield emulator


def _export(emu, key, tmp_path, lists, check_mode=False):
    emu.reset_stats()
    return run_action(action, {'api_key': key, 'api_url': emu.url, 'api_version': 'v3', 'lists': lists,
                               'dest': str(tmp_path / 'out.csv')}, check_mode=check_mode)


@pytest.mark.parametrize('check_mode', [False, True])
def test_lists_the_key_may_not_read_are_refused_before_any_read_naming_each_scope(demo, tmp_path, check_mode):
    result = _export(demo, 'SG.demo-blocks-purge', tmp_path, [
        {'list': 'blocks'}, {'list': 'unsubscribes'}, {'list': 'group_unsubscribes', 'group': 'Newsletters'}],
        check_mode=check_mode)
    assert result['failed'] and not result['changed']
    assert result['msg'] == (
        'the API key lacks scopes this run needs, so nothing was read or changed: `suppression.read` or '
        '`suppression.unsubscribes.read`: reading global unsubscribes; `asm.groups.read`: reading unsubscribe '
        'groups; `asm.groups.suppressions.read`: reading the unsubscribes of groups; the file was left as it was')
    assert demo.stats()['by_endpoint'].keys() == {'v3/scopes'} and os.listdir(tmp_path) == []


def test_a_subusers_selection_needs_subusers_read(demo, tmp_path):
    result = _export(demo, 'SG.demo-blocks-purge', tmp_path, [{'list': 'blocks', 'subusers': {'username': 'tenant-'}}])
    assert result['failed'] and result['msg'].endswith('`subusers.read`: reading the subusers; the file was left '
                                                       'as it was'), result
    assert demo.stats()['by_endpoint'].keys() == {'v3/scopes'}


def test_a_read_only_key_exports_every_list(demo, tmp_path):
    result = _export(demo, 'SG.demo-read-only', tmp_path, [
        {'list': name} for name in ('blocks', 'spam_reports', 'unsubscribes', 'invalid_emails')] + [
        {'list': 'group_unsubscribes', 'group': 'Newsletters', 'subusers': {'username': 'subuser@'}}])
    assert not result.get('failed') and 'warnings' not in result and result['records'] == 10, result
    assert demo.stats()['writes'] == 0


def test_a_key_that_may_not_read_its_scopes_exports_and_says_the_check_was_skipped(demo, tmp_path):
    result = _export(demo, 'SG.demo-hidden-scopes', tmp_path, [{'list': 'spam_reports'}])
    assert not result.get('failed') and result['records'] == 1 and result['warnings'] == [SKIPPED], result
