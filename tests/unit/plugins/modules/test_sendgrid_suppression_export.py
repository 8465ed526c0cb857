"""mailops.sendgrid.sendgrid_suppression_export as a play runs it: through the action group's module_defaults, check
mode that writes nothing, the export, and an identical re-run that changes nothing; no write request to SendGrid."""

import csv
import os

import pytest
from cleanup_play import DEMO, _play
from emulator.process import Emulator
from module_helpers import run_module


@pytest.fixture(scope='module')
def emu():
    with Emulator('--data', DEMO) as emulator:
        yield emulator


def _export(check_mode=False, **options):
    task = {'module_defaults': {'group/mailops.sendgrid.sendgrid': {'concurrency': 2}},
            'mailops.sendgrid.sendgrid_suppression_export': options}
    if check_mode:
        task['check_mode'] = True
    return task


@pytest.mark.compat
def test_check_mode_then_the_export_then_an_identical_one(emu, tmp_path):
    dest = str(tmp_path / 'out' / 'opt-outs.csv')
    os.mkdir(tmp_path / 'out')
    lists = [{'list': 'unsubscribes'}, {'list': 'group_unsubscribes', 'group': 'Newsletters'}]
    emu.reset_stats()
    rc, output, results = _play(tmp_path, emu, _export(True, lists=lists, dest=dest), _export(lists=lists, dest=dest),
                                _export(lists=lists, dest=dest))
    assert rc == 0, output
    dry, real, again = results
    assert dry['changed'] and dry['records'] == 3 and dry['dest'] == dest
    assert real['changed'] and real['records'] == 3 and real['lists'][1]['group_id'] == 101
    assert not again['changed'] and again['records'] == 3
    with open(dest, encoding='utf-8', newline='') as handle:
        assert [row['email'] for row in csv.DictReader(handle)] == [
            'left@example.com', 'reader@example.com', 'former@example.com']
    assert os.listdir(tmp_path / 'out') == ['opt-outs.csv']
    assert emu.stats()['writes'] == 0


def test_the_module_alone_says_it_runs_through_its_action(tmp_path):
    rc, result = run_module('sendgrid_suppression_export', {'api_key': 'SG.k', 'lists': [{'list': 'blocks'}],
                                                            'dest': str(tmp_path / 'x')}, tmp_path)
    assert rc != 0 and 'runs on the controller, through its action plugin' in result['msg']
