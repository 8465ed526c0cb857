"""The bulk-cleanup guide's "When a run is stopped", run as written in a terminal: the guide's playbook saved as
purge.yml, each command of the section's console block typed into a pseudo-terminal (the command's controlling
terminal, its process group the foreground one), and its ^C sent as a terminal sends it, SIGINT to the foreground
process group, once the run has named its journal and the emulator (rate-limited, so the run is still deleting) has
lost its first records. The person sees where the journal and report are before the stop; the next command tells
what the stopped run did, with the numbers of its report; the third, the same command with the same
confirm_count, finishes past the default max_delete."""

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

from emulator.process import FIXTURES

from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import is_live
from documented_examples import CONSOLE_BLOCK, GUIDE, RST_BLOCK, console_lines, section

ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
JOURNAL_LINE = re.compile(r'the journal is (\S+\.journal) and the report will be (\S+\.json);')
SELECTED = 4000


def _take_the_terminal():
    """In the child, after setsid: its pseudo-terminal becomes its controlling terminal, as a login shell's is."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A command run in a pseudo-terminal of its own, everything it writes read back as the screen shows it."""

    def __init__(self, command, cwd, env):
        self.master, slave = pty.openpty()
        # Wide enough that no line is wrapped by anyone who asks the terminal its size.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 400, 0, 0))
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave,
                                        start_new_session=True, preexec_fn=_take_the_terminal)
        os.close(slave)
        self.screen = ''

    def _read(self, wait):
        """One read of what the command wrote; False once it has closed the terminal."""
        if not select.select([self.master], [], [], wait)[0]:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:         # EIO: every process holding the terminal has ended
            return False
        self.screen += ANSI.sub('', data.decode('utf-8', 'replace').replace('\r\n', '\n'))
        return bool(data)

    def wait_for(self, pattern, timeout=300):
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.screen):
            if not self._read(1) or time.monotonic() > deadline:
                raise AssertionError('never shown: %s\n%s' % (pattern, self.screen[-3000:]))
        return re.search(pattern, self.screen)

    def wait_until(self, condition, what, timeout=300):
        """Until condition() holds, reading the screen meanwhile (the command must not block on a full terminal)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if not self._read(0.05) or time.monotonic() > deadline:
                raise AssertionError('never %s:\n%s' % (what, self.screen[-3000:]))

    def ctrl_c(self):
        os.write(self.master, b'\x03')

    def finish(self, timeout=600):
        """The command's exit status, once it has ended and everything it wrote is read."""
        deadline = time.monotonic() + timeout
        while self._read(1):
            if time.monotonic() > deadline:
                raise AssertionError('still running:\n%s' % self.screen[-3000:])
        os.close(self.master)
        return self.process.wait(timeout)


def _guide():
    """(the guide's playbook, what the section's console block has the reader type: commands, and ^C)."""
    text = open(GUIDE, encoding='utf-8').read()
    playbook = re.sub(r'(?m)^ {3}', '', RST_BLOCK.search(text).group(2))
    return playbook, console_lines(CONSOLE_BLOCK.search(section(text, 'When a run is stopped')).group(2))


def _until(condition, what, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError('never: %s' % what)
        time.sleep(0.05)


def _records_left(emu):
    return emu._json('/_emulator/health')['records']  # pylint: disable=protected-access


def test_the_guides_stopped_run_as_a_person_sees_it_in_a_terminal(emulator_factory, tmp_path):
    playbook, typed = _guide()
    assert [each[:2] for each in typed] == [['ansible-playbook', 'purge.yml'], '^C',
                                            ['ansible-playbook', 'purge.yml'], ['ansible-playbook', 'purge.yml']]
    commands = [each for each in typed if each != '^C']
    assert commands[0] == commands[2], 'resuming is the same command'
    assert 'suppression_cleanup_confirm_count=%d' % SELECTED in commands[0]
    (tmp_path / 'purge.yml').write_text(playbook)
    # The guide's window (2015 to 2022) holds SELECTED records of its two lists; two requests a second.
    old = [{'email': 'old%04d@retired.test' % number, 'created': '2020-01-01 00:00:00'}
           for number in range(SELECTED - 1)]
    emu = emulator_factory('--rate-limit', 2, data=os.path.join(FIXTURES, 'demo.yml'), extra={
        'reseller@example.com': {'invalid_emails': old},
        'subuser@example.com': {'bounces': [dict(old[0], email='bounced@retired.test', status='5.1.1')]}})
    env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_KEY='SG.demo-key', SENDGRID_API_VERSION='v3',
               ANSIBLE_NOCOLOR='1', PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ['PATH']]))
    before = _records_left(emu)

    terminal = Terminal(commands[0], str(tmp_path), env)
    journal, report = terminal.wait_for(JOURNAL_LINE).groups()
    terminal.wait_until(lambda: _records_left(emu) < before, 'deleting')     # its first request has landed
    terminal.ctrl_c()
    assert terminal.finish() == 99
    screen = terminal.screen
    assert screen.index('the journal is %s' % journal) < screen.index('^C') < \
        screen.index('[ERROR]: User interrupted execution'), 'the paths were on the screen before the stop'
    assert 'Traceback' not in screen and os.path.dirname(journal) == str(tmp_path / 'suppression_cleanup_reports')
    # The worker, stopped, writes its report and lets its journal go a moment after ansible-playbook has exited.
    _until(lambda: not is_live(journal), 'the stopped worker let go of its journal')
    lost = before - _records_left(emu)
    assert 0 < lost and SELECTED - lost > 1000, 'stopped mid-purge, more left than the default max_delete'

    terminal = Terminal(commands[1], str(tmp_path), env)
    assert terminal.finish() == 0, terminal.screen[-3000:]
    totals = json.load(open(report, encoding='utf-8'))['totals']
    assert totals['deleted'] == lost and totals['not_attempted'] == SELECTED - lost and totals['selected'] == SELECTED
    assert re.search(r'a cleanup run \(started \S+\) was stopped by SIGINT: it deleted %d of the %d records it '
                     r'selected \(already gone 0, failed 0, not attempted %d\); its report is %s; running the '
                     r'cleanup again finishes the job' % (lost, SELECTED, SELECTED - lost, re.escape(report)),
                     terminal.screen), terminal.screen[-3000:]
    assert _records_left(emu) == before - lost, 'recover_only deletes nothing'

    terminal = Terminal(commands[2], str(tmp_path), env)
    assert terminal.finish() == 0, terminal.screen[-3000:]
    left = SELECTED - lost
    assert 'Cleanup finished' in terminal.screen
    assert 'selected %d, deleted %d, already gone 0, failed 0' % (left, left) in terminal.screen
    assert _records_left(emu) == before - SELECTED
    finished, = [path for path in os.listdir(os.path.dirname(journal))
                 if path.endswith('-run.json') and os.path.join(os.path.dirname(journal), path) != report]
    assert json.load(open(os.path.join(os.path.dirname(journal), finished), encoding='utf-8'))['continues'] == [report]
