"""The suppression_cleanup role on the lists only Web API v3 has: blocks, spam reports, global and group
unsubscribes (two groups of one name, of the account and of a subuser), with the same dry run, report and an
idempotent re-run; a group list without its group, an unknown group and v2 refused before any delete."""

import json
import os
import subprocess
import sys

import pytest
import yaml
from emulator.process import FIXTURES

pytestmark = pytest.mark.slow

DEMO = os.path.join(FIXTURES, 'demo.yml')
LISTS = [{'list': 'blocks'},
         {'list': 'spam_reports'},
         {'list': 'unsubscribes'},
         {'list': 'unsubscribes', 'user': 'subuser@example.com'},
         {'list': 'group_unsubscribes', 'group': 'Newsletters'},
         {'list': 'group_unsubscribes', 'group': 'Newsletters', 'user': 'subuser@example.com'}]


def _role(tmp_path, emu, **role_vars):
    values = {'suppression_cleanup_api_key': 'SG.demo-key', 'suppression_cleanup_api_version': 'v3',
              'suppression_cleanup_api_url': emu.url, 'suppression_cleanup_report_dir': str(tmp_path / 'reports'),
              'suppression_cleanup_lists': LISTS}
    values.update({'suppression_cleanup_%s' % key: value for key, value in role_vars.items()})
    play = [{'hosts': 'localhost', 'gather_facts': False,
             'roles': [{'role': 'mailops.sendgrid.suppression_cleanup', 'vars': values}]}]
    path = tmp_path / ('play-%d.yml' % len(list(tmp_path.glob('play-*.yml'))))
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(path)],
                          capture_output=True, text=True, timeout=600, check=False,
                          env=dict(os.environ, ANSIBLE_NOCOLOR='1'))
    return proc.returncode, proc.stdout + proc.stderr


def _latest_report(tmp_path):
    return json.loads(sorted((tmp_path / 'reports').glob('*.json'))[-1].read_text())


@pytest.mark.compat
def test_dry_run_then_a_real_run_then_nothing_left_to_do(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, output = _role(tmp_path, emu, start_date='2025-01-01')
    assert rc == 0, output[-3000:]
    assert emu.stats()['writes'] == 0 and 'DRY RUN - nothing was deleted' in output
    dry = _latest_report(tmp_path)
    selected = [(e['list'], e['user'], e['group'], sorted(r['email'] for r in e['records'])) for e in dry['lists']]
    assert selected == [
        ('blocks', None, None, ['blocked@example.net', 'outage@example.org']),
        ('spam_reports', None, None, ['complainer@example.com']),
        ('unsubscribes', None, None, []),                       # left@ was listed in 2024
        ('unsubscribes', 'subuser@example.com', None, ['sub-left@example.com']),
        ('group_unsubscribes', None, 'Newsletters', ['former@example.com', 'reader@example.com']),
        ('group_unsubscribes', 'subuser@example.com', 'Newsletters', ['sub-reader@example.com'])]
    assert 'group_unsubscribes Newsletters of subuser@example.com: 1 selected' in output
    assert ('opt-outs selected: spam_reports: 1, unsubscribes of subuser@example.com: 1, group_unsubscribes (group '
            'Newsletters): 2, group_unsubscribes (group Newsletters) of subuser@example.com: 1; a real run needs '
            'suppression_cleanup_remove_opt_outs: true') in ' '.join(output.split())
    rc, output = _role(tmp_path, emu, start_date='2025-01-01', dry_run=False)
    assert rc != 0 and emu.stats()['writes'] == 0, 'opt-outs are removed only in words'
    assert 'only when the run says suppression_cleanup_remove_opt_outs: true' in ' '.join(output.split()), output[-3000:]
    # Every list's people asked to be mailed again, in this test.
    rc, output = _role(tmp_path, emu, start_date='2025-01-01', dry_run=False, remove_opt_outs=True)
    assert rc == 0, output[-3000:]
    report = _latest_report(tmp_path)
    assert report['totals'] == {'selected': 7, 'held_back': 0, 'deleted': 7, 'already_gone': 0, 'failed': 0, 'not_deleted': 0, 'not_attempted': 0,
                                'unknown': 0, 'left_alone': 0}
    # blocks and spam reports: one bulk delete each; unsubscribes: one request an address
    assert emu.stats()['writes'] == 2 + 1 + 2 + 1
    csv_text = sorted((tmp_path / 'reports').glob('*-run.csv'))[-1].read_text()
    assert '"group_unsubscribes","subuser@example.com","Newsletters","sub-reader@example.com"' in csv_text
    emu.reset_stats()
    rc, output = _role(tmp_path, emu, start_date='2025-01-01', dry_run=False, remove_opt_outs=True)
    assert rc == 0 and emu.stats()['writes'] == 0
    assert _latest_report(tmp_path)['totals']['selected'] == 0
    rc, output = _role(tmp_path, emu, select_all=True, lists=[{'list': 'unsubscribes'}])
    assert rc == 0 and 'unsubscribes: 1 selected' in output, 'left@ was never selected, so never deleted'


@pytest.mark.parametrize('lists,version,message', [
    ([{'list': 'group_unsubscribes'}], 'v3', 'suppression_cleanup_lists[0]: the list group_unsubscribes needs group'),
    ([{'list': 'blocks', 'group': 101}], 'v3', 'group applies only to the list group_unsubscribes, not to blocks'),
    ([{'list': 'group_unsubscribes', 'group': 'Nope'}], 'v3', "no unsubscribe group is named 'Nope'"),
    ([{'list': 'invalid_emails'}, {'list': 'spam_reports'}], 'v2',
     'suppression_cleanup_lists[1]: the list spam_reports needs api_version v3'),
])
def test_bad_lists_are_refused_before_any_delete(emulator_factory, tmp_path, lists, version, message):
    emu = emulator_factory(data=DEMO)
    extra = {'api_user': 'reseller@example.com', 'api_key': 's3cret'} if version == 'v2' else {}
    rc, output = _role(tmp_path, emu, lists=lists, api_version=version, select_all=True, dry_run=False, **extra)
    assert rc != 0 and message in ' '.join(output.split()), output[-3000:]
    assert emu.stats()['writes'] == 0
