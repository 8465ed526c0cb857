"""mailops.sendgrid.sendgrid_suppression_import as a play runs it: through the action group's module_defaults, check
and diff mode that write nothing, the import with its report, an identical re-run with no write, and the undo: one
sendgrid_unsubscribe task looped over the imported_unsubscribes lookup of the report."""

import json

import pytest
from cleanup_play import DEMO, _global_emails, _play
from emulator.process import Emulator
from module_helpers import run_module


@pytest.fixture(scope='module')
def emu():
    with Emulator('--data', DEMO) as emulator:
        yield emulator


def _import(check_mode=False, **options):
    task = {'module_defaults': {'group/mailops.sendgrid.sendgrid': {'batch_size': 2}},
            'mailops.sendgrid.sendgrid_suppression_import': options, 'diff': True}
    if check_mode:
        task['check_mode'] = True
    return task


UNDO = {'mailops.sendgrid.sendgrid_unsubscribe': {
    'user': "{{ item.user if item.user else omit }}", 'group': "{{ item.group if item.group is not none else omit }}",
    'emails': '{{ item.emails }}', 'state': 'absent'}}


@pytest.mark.compat
def test_check_mode_the_import_an_identical_one_and_the_undo(emu, tmp_path):
    src = tmp_path / 'mailchimp.csv'
    src.write_text('Email Address,First Name\nleft@example.com,Lee\nx1@moved.test,X\nx2@moved.test,Y\n'
                   'x3@moved.test,Z\n')
    reports = str(tmp_path / 'reports')
    emu.reset_stats()
    rc, output, results = _play(tmp_path, emu, _import(True, src=str(src)),
                                _import(src=str(src), report_dir=reports), _import(src=str(src), report_dir=reports))
    assert rc == 0, output
    dry, real, again = results
    assert dry['changed'] and dry['to_add'] == 3 and 'x1@moved.test' in output, 'diff mode shows the first'
    assert real['changed'] and real['added'] == 3 and real['targets'][0]['already_listed'] == 1
    assert not again['changed'] and again['added'] == 0
    assert emu.stats()['writes'] == 2, 'ceil(3 / 2) adds, then none'
    assert _global_emails(emu) == sorted(['left@example.com', 'x1@moved.test', 'x2@moved.test', 'x3@moved.test'])
    # The undo reads the report of the run that added them (the identical run's report names none).
    reports = {path: json.loads(path.read_text())['lists'][0]['added'] for path in (tmp_path / 'reports').glob('*.json')}
    assert sorted(reports.values()) == [0, 3]
    first = next(path for path, added in reports.items() if added)
    undo = dict(UNDO, loop="{{ query('mailops.sendgrid.imported_unsubscribes', '%s') }}" % first)
    rc, output, results = _play(tmp_path, emu, undo)
    assert rc == 0, output
    assert _global_emails(emu) == ['left@example.com'], 'only what the import added is taken out'


def test_the_module_alone_says_it_runs_through_its_action(tmp_path):
    rc, result = run_module('sendgrid_suppression_import', {'api_key': 'SG.k', 'src': str(tmp_path)}, tmp_path)
    assert rc != 0 and 'runs on the controller, through its action plugin' in result['msg']
