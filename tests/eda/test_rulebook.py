"""End to end: the emulator posts a burst of signed block events to the example rulebook's source under
ansible-rulebook; the rulebook runs the collection's playbook, which removes exactly the blocks of the domain past
the threshold (counted by the emulator's stats and records) and nothing else; the spam report is recorded."""

import json
import os
import shutil
import socket
import subprocess
import time

import pytest
import requests
from emulator.process import FIXTURES, Emulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RULEBOOK = os.path.join(ROOT, 'extensions', 'eda', 'rulebooks', 'sendgrid_suppression_events.yml')
AUTH = {'Authorization': 'Bearer SG.demo-key'}
INVENTORY = """all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_python_interpreter: "{{ ansible_playbook_python }}"
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def blocks(emu):
    return sorted(r['email'] for r in requests.get(emu.url + '/v3/suppression/blocks', headers=AUTH, timeout=30).json())


def wait_until(condition, timeout, what, log):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail('%s within %d s; ansible-rulebook said:\n%s' % (what, timeout, log.read_text()[-6000:]))


@pytest.fixture
def rulebook_run(tmp_path):
    collections = os.environ.get('ANSIBLE_COLLECTIONS_PATH', '')
    assert os.path.isdir(os.path.join(collections, 'ansible_collections', 'mailops', 'sendgrid', 'playbooks')), \
        'run through `make eda`, which sets ANSIBLE_COLLECTIONS_PATH to the built collection'
    assert shutil.which('ansible-rulebook'), 'ansible-rulebook is not installed: `make eda` installs it'
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        port = free_port()
        hook = requests.post(emu.url + '/v3/user/webhooks/event/settings', headers=AUTH, timeout=30, json={
            'enabled': True, 'url': 'http://127.0.0.1:%d/sendgrid/events' % port, 'bounce': True, 'spam_report': True,
            'delivered': True}).json()
        key = requests.patch(emu.url + '/v3/user/webhooks/event/settings/signed/' + hook['id'], headers=AUTH,
                             json={'enabled': True}, timeout=30).json()['public_key']
        (tmp_path / 'vars.yml').write_text(json.dumps({
            'sendgrid_webhook_public_key': key, 'sendgrid_events_host': '127.0.0.1', 'sendgrid_events_port': port,
            'sendgrid_block_wait_seconds': 1, 'sendgrid_spam_report_log': str(tmp_path / 'spam.jsonl'),
            'sendgrid_block_report_dir': str(tmp_path / 'reports')}))
        (tmp_path / 'inventory.yml').write_text(INVENTORY)
        log = tmp_path / 'rulebook.log'
        env = dict(os.environ, SENDGRID_API_KEY='SG.demo-key', SENDGRID_API_URL=emu.url, SENDGRID_API_VERSION='v3')
        with open(log, 'w', encoding='utf-8') as output:
            rulebook = subprocess.Popen(
                [shutil.which('ansible-rulebook'), '--rulebook', RULEBOOK, '--vars', 'vars.yml', '--inventory',
                 'inventory.yml', '--verbose'], cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            def listening():
                with socket.socket() as sock:
                    return sock.connect_ex(('127.0.0.1', port)) == 0
            wait_until(listening, 120, 'the source did not listen', log)
            yield emu, tmp_path, log
        finally:
            rulebook.terminate()
            try:
                rulebook.wait(30)
            except subprocess.TimeoutExpired:
                rulebook.kill()


def test_a_burst_of_blocks_removes_that_domains_blocks_and_nothing_else(rulebook_run):
    emu, folder, log = rulebook_run
    before = blocks(emu)
    requests.post(emu.url + '/_emulator/reset', timeout=30)
    outage = ['user%02d@Outage.Example' % n for n in range(25)]
    others = ['a@fine.example', 'b@fine.example', 'c@fine.example']
    events = ([{'event': 'bounce', 'type': 'blocked', 'email': email} for email in outage]
              + [{'event': 'bounce', 'type': 'blocked', 'email': email} for email in others]
              + [{'event': 'bounce', 'type': 'bounce', 'email': 'gone@outage.example'},
                 {'event': 'delivered', 'email': 'fine@outage.example'},
                 {'event': 'spamreport', 'email': 'angry@example.org'}])
    answer = requests.post(emu.url + '/_emulator/events', json={'events': events, 'batch_size': 10}, headers=AUTH,
                           timeout=30)
    assert answer.json() == {'events': 31, 'batches': 4}
    assert set(outage) <= set(blocks(emu))

    wait_until(lambda: not set(outage) & set(blocks(emu)), 180, 'the outage blocks were not removed', log)
    wait_until((folder / 'spam.jsonl').exists, 60, 'the spam report was not recorded', log)
    time.sleep(2)                                                   # a second run, if any, would show by now
    assert blocks(emu) == sorted(before + others)
    gone = requests.get(emu.url + '/v3/suppression/bounces/gone@outage.example', headers=AUTH, timeout=30).json()
    assert [record['email'] for record in gone] == ['gone@outage.example']     # a bounce, not a block: kept
    stats = requests.get(emu.url + '/_emulator/stats', timeout=30).json()
    writes = {(row['endpoint'], row['task']) for row in stats['requests'] if row['task'] in ('delete', 'add')}
    assert writes == {('v3/suppression/blocks', 'delete')}
    delivered = requests.get(emu.url + '/_emulator/events', timeout=30).json()
    assert delivered['acknowledged'] == 4 and delivered['events_acknowledged'] == 31
    removals = sorted((folder / 'reports').glob('*blocks-outage.example*-run.json'))
    assert removals, 'no report of the removal'
    assert json.loads(removals[0].read_text())['totals']['deleted'] == 25
    reports = [json.loads(line) for line in (folder / 'spam.jsonl').read_text().splitlines()]
    assert [report['email'] for report in reports] == ['angry@example.org']
    assert reports[0]['sg_event_id'] and reports[0]['received_at']


def _guide_playbook():
    """The event-driven guide's setup play, as the guide shows it."""
    sys_path = os.path.join(ROOT, 'tests', 'unit', 'docs')
    import sys
    if sys_path not in sys.path:
        sys.path.insert(0, sys_path)
    from documented_examples import examples
    return next(example.text for example in examples()
                if example.source.endswith('event_driven.rst') and 'sendgrid_event_webhook' in example.text)


@pytest.fixture
def fleet_run(tmp_path):
    """The guide's play sets up the account's and every tenant's signed webhook and writes the webhooks file; the
    shipped rulebook listens to all of them."""
    collections = os.environ.get('ANSIBLE_COLLECTIONS_PATH', '')
    assert os.path.isdir(os.path.join(collections, 'ansible_collections', 'mailops', 'sendgrid')), \
        'run through `make eda`, which sets ANSIBLE_COLLECTIONS_PATH to the built collection'
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        port = free_port()
        env = dict(os.environ, SENDGRID_API_KEY='SG.demo-key', SENDGRID_API_URL=emu.url, SENDGRID_API_VERSION='v3')
        (tmp_path / 'setup.yml').write_text(_guide_playbook())
        setup = subprocess.run([shutil.which('ansible-playbook'), 'setup.yml', '-e',
                                'sendgrid_events_url=http://127.0.0.1:%d/sendgrid/{user}' % port],
                               cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        (tmp_path / 'vars.yml').write_text(json.dumps({
            'sendgrid_webhooks_file': str(tmp_path / 'sendgrid-webhooks.yml'), 'sendgrid_events_host': '127.0.0.1',
            'sendgrid_events_port': port, 'sendgrid_block_wait_seconds': 1,
            'sendgrid_block_report_dir': str(tmp_path / 'reports')}))
        (tmp_path / 'inventory.yml').write_text(INVENTORY)
        log = tmp_path / 'rulebook.log'
        state = tmp_path / 'state'
        with open(log, 'w', encoding='utf-8') as output:
            rulebook = subprocess.Popen(
                [shutil.which('ansible-rulebook'), '--rulebook', RULEBOOK, '--vars', 'vars.yml', '--inventory',
                 'inventory.yml', '--verbose'], cwd=tmp_path, env=dict(env, XDG_STATE_HOME=str(state)),
                stdout=output, stderr=subprocess.STDOUT)
        try:
            def listening():
                with socket.socket() as sock:
                    return sock.connect_ex(('127.0.0.1', port)) == 0
            wait_until(listening, 120, 'the source did not listen', log)
            yield emu, tmp_path, log, state
        finally:
            rulebook.terminate()
            try:
                rulebook.wait(30)
            except subprocess.TimeoutExpired:
                rulebook.kill()


def test_a_subusers_block_storm_removes_that_subusers_blocks_and_its_spam_report_names_it(fleet_run):
    emu, folder, log, state = fleet_run
    tenant = dict(AUTH, **{'on-behalf-of': 'tenant-42'})

    def tenant_blocks():
        return sorted(r['email'] for r in requests.get(emu.url + '/v3/suppression/blocks', headers=tenant,
                                                       timeout=30).json())
    account_before = blocks(emu)
    outage = ['user%02d@outage.example' % n for n in range(25)]
    events = ([{'event': 'bounce', 'type': 'blocked', 'email': email} for email in outage]
              + [{'event': 'spamreport', 'email': 'angry@example.org'}])
    answer = requests.post(emu.url + '/_emulator/events', json={'events': events, 'batch_size': 10}, headers=tenant,
                           timeout=30)
    assert answer.json()['events'] == 26
    wait_until(lambda: not set(outage) & set(tenant_blocks()), 180, "the tenant's outage blocks were not removed", log)
    spam_log = state / 'mailops.sendgrid' / 'sendgrid-spam-reports.jsonl'
    wait_until(spam_log.exists, 60, 'the spam report was not recorded in the state directory', log)
    assert blocks(emu) == account_before, "the account's own blocks are not the tenant's"
    assert tenant_blocks() == ['someone@example.net']
    reports = [json.loads(line) for line in spam_log.read_text().splitlines()]
    assert [(report['email'], report['user']) for report in reports] == [('angry@example.org', 'tenant-42')]
