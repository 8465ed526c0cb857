"""What a person reads in a job log when the suppression_cleanup role refuses: a variable typo (top-level or a key of
a list entry), the guard and the opt-out refusal each fail with a result holding only the message, which names the
key and its closest valid name or what to set, in at most 2,000 characters from the failing task's line to the
recap; and nothing is sent."""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from emulator.process import FIXTURES, Emulator

KEY = 'SG.demo-key'
LIMIT = 2000


@pytest.fixture(scope='module')
def demo():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        yield emu


def _failed_role(tmp_path, emu, **role_vars):
    """(the output from the failing task's line to the recap, the failed result)."""
    values = {'suppression_cleanup_report_dir': str(tmp_path / 'reports')}
    values.update({'suppression_cleanup_%s' % key: value for key, value in role_vars.items()})
    path = tmp_path / 'play.yml'
    path.write_text(yaml.safe_dump([{'hosts': 'localhost', 'gather_facts': False, 'roles': [
        {'role': 'mailops.sendgrid.suppression_cleanup', 'vars': values}]}], sort_keys=False))
    env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_KEY=KEY, SENDGRID_API_VERSION='v3',
               ANSIBLE_NOCOLOR='1')
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(path)],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output[-3000:]
    fatal = output.index('fatal: [localhost]')
    part = output[output.rindex('TASK [', 0, fatal):output.index('PLAY RECAP')]
    result = json.loads(re.search(r'fatal: \[localhost\]: FAILED! => (\{.*\})\n', part).group(1))
    return part, result


def _only_the_message(part, result):
    assert len(part) <= LIMIT, (len(part), part[:3000])
    assert set(result) <= {'msg', 'changed'} and result['msg'], result
    assert 'assertion' not in part and 'evaluated_to' not in part and 'argument_spec_data' not in part, part


def test_a_misspelled_key_of_a_list_entry(demo, tmp_path):
    demo.reset_stats()
    part, result = _failed_role(tmp_path, demo, lists=[{'list': 'blocks', 'usr': 'tenant-42'}], days=30)
    _only_the_message(part, result)
    assert result['msg'] == 'suppression_cleanup_lists[0]: unknown key usr: did you mean user?'
    assert demo.stats()['total'] == 0


def test_a_misspelled_variable(demo, tmp_path):
    demo.reset_stats()
    part, result = _failed_role(tmp_path, demo, lists=[{'list': 'blocks'}], domain=['x.test'], dry_run=False)
    _only_the_message(part, result)
    assert result['msg'] == ('unknown variable suppression_cleanup_domain: did you mean suppression_cleanup_domains?; '
                             'no selector is set (suppression_cleanup_days, suppression_cleanup_start_date, '
                             'suppression_cleanup_end_date, suppression_cleanup_reason, suppression_cleanup_status, '
                             'suppression_cleanup_domains, suppression_cleanup_emails, suppression_cleanup_query); '
                             'set suppression_cleanup_select_all to true to select every record of the lists')
    assert demo.stats()['total'] == 0


def test_the_guard_refusal(demo, tmp_path):
    demo.reset_stats()
    part, result = _failed_role(tmp_path, demo, lists=[{'list': 'blocks'}], select_all=True, dry_run=False,
                                max_delete=1)
    _only_the_message(part, result)
    assert 'suppression_cleanup_confirm_count' in result['msg'] and 'nothing was deleted' in result['msg'], result
    assert demo.stats()['writes'] == 0


def test_the_opt_out_refusal(demo, tmp_path):
    demo.reset_stats()
    part, result = _failed_role(tmp_path, demo, lists=[{'list': 'spam_reports', 'user': 'tenant-42'}],
                                select_all=True, dry_run=False)
    _only_the_message(part, result)
    assert 'suppression_cleanup_remove_opt_outs: true' in result['msg'], result
    assert demo.stats()['writes'] == 0
