"""The guide "Moving opt-outs" does what it says, run as written against the demo emulator: its copy between users
gives the other user the same opt-outs, its group made by name; its undo takes out exactly what the import added."""

import json
import os
import subprocess
import sys
import urllib.request

import pytest
import yaml
from documented_examples import examples
from emulator.process import FIXTURES, Emulator

GUIDE = 'docs/docsite/rst/moving_opt_outs.rst'
KEY = 'SG.demo-key'


@pytest.fixture(scope='module')
def emu():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emulator:
        yield emulator


def _block(word):
    found = [example for example in examples() if example.source == GUIDE and word in example.text]
    assert len(found) == 1, word
    return found[0].data


def _play(emu, tmp_path, tasks):
    (tmp_path / 'play.yml').write_text(yaml.safe_dump([{'hosts': 'localhost', 'gather_facts': False,
                                                        'tasks': tasks}]))
    env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_KEY=KEY, SENDGRID_API_VERSION='v3',
               ANSIBLE_NOCOLOR='1')
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), 'play.yml'],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def _get(emu, path, user=None):
    headers = {'Authorization': 'Bearer ' + KEY}
    if user:
        headers['on-behalf-of'] = user
    with urllib.request.urlopen(urllib.request.Request(emu.url + '/v3/' + path, headers=headers), timeout=30) as answer:
        return json.loads(answer.read())


def test_the_copy_between_users_gives_the_same_opt_outs_and_makes_the_group(emu, tmp_path):
    _play(emu, tmp_path, _block('create_groups: true'))
    group, = [g for g in _get(emu, 'asm/groups', 'customer@example.com') if g['name'] == 'Newsletters']
    assert group['description'] == "The subuser's newsletter"
    assert _get(emu, 'asm/groups/%d/suppressions' % group['id'], 'customer@example.com') == ['sub-reader@example.com']
    assert [r['email'] for r in _get(emu, 'suppression/unsubscribes', 'customer@example.com')] == [
        'sub-left@example.com']


def test_the_undo_takes_out_exactly_what_the_import_added(emu, tmp_path):
    before = sorted(r['email'] for r in _get(emu, 'suppression/unsubscribes'))
    _play(emu, tmp_path, _block('imported_unsubscribes'))
    report, = (tmp_path / 'import-reports').glob('*-run.json')
    assert [r['email'] for r in json.loads(report.read_text())['lists'][0]['records']] == [
        'wrong-1@example.com', 'wrong-2@example.com']
    assert sorted(r['email'] for r in _get(emu, 'suppression/unsubscribes')) == before
