"""cleanup.py, the coordinator: the clients of each region; the whole run is tested through the module
(modules/test_sendgrid_suppression_cleanup.py), its parts in their own test files; here the key's scopes, checked
once before the first read, and what the action tells the summary of check mode."""

import os
from unittest.mock import MagicMock

import pytest
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from emulator.process import FIXTURES, Emulator

from ansible_collections.mailops.sendgrid.plugins.action import sendgrid_suppression_cleanup as action
from ansible_collections.mailops.sendgrid.plugins.module_utils import permissions
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options


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


# ---- the key's scopes, checked once before the first read --------------------------------------------------------

@pytest.fixture(scope='module')
def demo():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emulator:
        yield emulator


def _cleanup(emu, key, check_mode=False, **args):
    task = Task()
    task.args = dict({'api_key': key, 'api_url': emu.url, 'api_version': 'v3', 'days': 36500}, **args)
    task.check_mode = check_mode
    plugin = action.ActionModule(task, MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)
    return plugin.run(task_vars={})


def test_a_purge_with_a_read_only_key_is_refused_before_any_read(demo, tmp_path):
    demo.reset_stats()
    result = _cleanup(demo, 'SG.demo-read-only', lists=[{'list': 'blocks'}], report_dir=str(tmp_path))
    assert result['failed'] and not result['changed']
    assert result['msg'] == ('the API key lacks scopes this run needs, so nothing was read or changed: '
                             '`suppression.delete` or `suppression.blocks.delete`: deleting from blocks')
    assert demo.stats()['by_endpoint'].keys() == {'v3/scopes'}


def test_its_dry_run_reads_and_warns_of_the_missing_write(demo):
    result = _cleanup(demo, 'SG.demo-read-only', check_mode=True, lists=[{'list': 'blocks'}])
    assert not result.get('failed') and result['selected'] == 2, result
    assert result['warnings'][0] == ('the API key lacks scopes a real run needs (this dry run writes nothing): '
                                     '`suppression.delete` or `suppression.blocks.delete`: deleting from blocks')


def test_a_subusers_entry_needs_subusers_read(demo):
    result = _cleanup(demo, 'SG.demo-blocks-purge', check_mode=True,
                      lists=[{'list': 'blocks', 'subusers': {'username': 'tenant-'}}])
    assert result['failed'] and '`subusers.read`: reading the subusers' in result['msg']


def test_a_key_that_may_not_read_its_scopes_runs_and_says_the_check_was_skipped(demo):
    result = _cleanup(demo, 'SG.demo-hidden-scopes', check_mode=True, lists=[{'list': 'spam_reports'}])
    assert not result.get('failed') and result['warnings'][0] == permissions.SKIPPED, result


def test_in_check_mode_the_summary_says_check_mode_made_the_dry_run_though_dry_run_is_false(demo):
    demo.reset_stats()
    result = _cleanup(demo, 'SG.demo-key', check_mode=True, lists=[{'list': 'blocks'}], dry_run=False)
    assert result['dry_run'] and demo.stats()['writes'] == 0, result
    assert result['summary_lines'][-1] == (
        'a real run of this selection needs a run without check mode (no --check, no check_mode: true); check mode '
        'made this a dry run, though dry_run is false')
    result = _cleanup(demo, 'SG.demo-key', lists=[{'list': 'blocks'}], dry_run=True)
    assert result['summary_lines'][-1] == 'a real run of this selection needs dry_run: false'
