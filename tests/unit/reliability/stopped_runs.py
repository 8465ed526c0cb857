"""A purge run by ansible-playbook as a user runs it, against a rate-limited emulator whose store the tests read,
so that it can be stopped half-way and what it did compared with what it says."""

import glob
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import yaml
from emulator.process import Emulator

KEY = 'SG.stop-key'
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')


def write_fixture(tmp_path):
    path = tmp_path / 'fixture.yml'
    path.write_text(yaml.safe_dump({'accounts': [{'username': 'stop@example.com', 'api_keys': [KEY]}]}))
    return str(path)


class Purge:
    """One list of `records` invalid emails in an emulator with its store in a file, and the playbook that purges
    it; the emulator can be restarted on the same store without its rate limit, for the run that finishes."""

    def __init__(self, tmp_path, api_version='v3', records=1000, rate_limit=4, extra_args=()):
        self.tmp_path, self.api_version = tmp_path, api_version
        self.db = str(tmp_path / 'state.sqlite')
        self.report_dir = str(tmp_path / 'reports')
        self.emulator = Emulator('--data', write_fixture(tmp_path), '--db', self.db, '--generate', records,
                                 '--generate-lists', 'invalid_emails', '--rate-limit', rate_limit,
                                 *extra_args).start()
        self.original = self.listed()
        self.process = None

    def listed(self):
        with sqlite3.connect(self.db) as db:
            return {row[0] for row in db.execute("SELECT email FROM records WHERE list = 'invalid_emails'")}

    def restart_unlimited(self):
        self.emulator.stop()
        self.emulator = Emulator('--db', self.db).start()

    def add(self, emails):
        """Records added to the list while the emulator runs, as mail delivery adds them."""
        with sqlite3.connect(self.db, timeout=30) as db:
            user, = db.execute("SELECT id FROM users WHERE kind = 'account'").fetchone()
            db.executemany("INSERT INTO records (user_id, list, email, email_lc, reason, created) VALUES "
                           "(?, 'invalid_emails', ?, ?, 'Bad Syntax', '2026-01-01 00:00:00')",
                           [(user, email, email.lower()) for email in emails])

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.communicate()
        self.emulator.stop()

    def playbook(self, ignore_errors=False, **options):
        if options.get('recover_only'):
            task = dict({'report_dir': self.report_dir}, **options)
        else:
            task = dict({'lists': [{'list': 'invalid_emails'}], 'select_all': True, 'max_delete': 1000000,
                         'report_dir': self.report_dir, 'batch_size': 100, 'concurrency': 2}, **options)
        task = {name: value for name, value in task.items() if value is not None}
        play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [
            {'name': 'Purge', 'mailops.sendgrid.sendgrid_suppression_cleanup': task, 'register': 'purge',
             'ignore_errors': ignore_errors},
            {'ansible.builtin.copy': {'content': '{{ purge | to_json }}', 'dest': str(self.tmp_path / 'result.json')}}]}]
        path = self.tmp_path / 'play.yml'
        path.write_text(yaml.safe_dump(play, sort_keys=False))
        return str(path)

    def env(self):
        return dict(os.environ, SENDGRID_API_URL=self.emulator.url, SENDGRID_API_KEY=KEY,
                    PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get('PATH', '')]),
                    SENDGRID_API_VERSION=self.api_version, ANSIBLE_NOCOLOR='1',
                    # ansible-test gives workers a grace of 100 polls; a user's ansible-playbook gives none.
                    ANSIBLE_WORKER_SHUTDOWN_POLL_COUNT='0')

    def start(self, verbosity=None, **options):
        """ansible-playbook in a process group of its own, as a shell starts it."""
        command = [PLAYBOOK, self.playbook(**options)] + ([verbosity] if verbosity else [])
        self.process = subprocess.Popen(command, cwd=str(self.tmp_path), env=self.env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        return self.process

    def run(self, env=None, **options):
        """(rc, output, task result) of a whole run."""
        result_path = self.tmp_path / 'result.json'
        if result_path.exists():
            result_path.unlink()
        proc = subprocess.run([PLAYBOOK, self.playbook(**options)], cwd=str(self.tmp_path),
                              env=dict(self.env(), **(env or {})),
                              capture_output=True, text=True, timeout=600, check=False)
        result = json.loads(result_path.read_text()) if result_path.exists() else None
        return proc.returncode, proc.stdout + proc.stderr, result

    def read_until(self, text):
        """The output of the running ansible-playbook up to the line holding `text` (and that line): what a person
        has seen on the terminal before they stop it."""
        lines = []
        for line in iter(self.process.stdout.readline, ''):
            lines.append(line)
            if text in line:
                return ''.join(lines)
        raise AssertionError('ansible-playbook ended without printing %r:\n%s' % (text, ''.join(lines)[-3000:]))

    def wait_for_deletes(self, count, timeout=120):
        deadline = time.monotonic() + timeout
        while self.emulator.stats()['writes'] < count:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError('the purge did not reach %d deletes' % count)
            time.sleep(0.02)

    def wait_until_quiet(self, quiet=1.0, timeout=30):
        """Until no delete has landed for `quiet` seconds: requests a killed process left in flight are done."""
        deadline = time.monotonic() + timeout
        last, since = self.emulator.stats()['writes'], time.monotonic()
        while time.monotonic() - since < quiet:
            if time.monotonic() > deadline:
                raise AssertionError('deletes kept landing')
            time.sleep(0.1)
            writes = self.emulator.stats()['writes']
            if writes != last:
                last, since = writes, time.monotonic()

    def journals(self):
        return sorted(glob.glob(os.path.join(self.report_dir, '*.journal')))


def journal_entries(path):
    with open(path, encoding='utf-8') as handle:
        return [json.loads(line) for line in handle if line.strip()]


def journalled(path, outcome='deleted'):
    """The addresses the journal says were deleted (or had `outcome`)."""
    from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import Contents
    return {email for dummy, email, found, dummy in Contents(path).outcomes() if found == outcome}


def wait_until_unlocked(path, timeout=60):
    """Until no process holds the journal: the run, and any worker it left, is gone."""
    from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import is_live
    deadline = time.monotonic() + timeout
    while is_live(path):
        if time.monotonic() > deadline:
            raise AssertionError('a process still holds %s' % path)
        time.sleep(0.05)
