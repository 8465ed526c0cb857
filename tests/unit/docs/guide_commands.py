"""The guides' console blocks as a reader types them: each `$ ` command (with its `\\` continuation lines) and the
output the guide shows under it, and a bash that runs them one after the other, as a terminal does (`export`,
`cd`, `. activate` and background jobs carry over from one command to the next)."""

import glob
import os
import queue
import re
import signal
import subprocess
import textwrap
import threading
import time
import uuid

from documented_examples import ROOT

CONSOLE_BLOCK = re.compile(r'^( *)\.\. code-block:: console\n((?:\1 +.*\n|[ \t]*\n)+)', re.M)
GUIDES = os.path.join(ROOT, 'docs', 'docsite', 'rst')


class Command:
    """One command of a console block: its text as typed (continuation lines included, the prompt left out) and
    the lines the guide shows it printing."""

    def __init__(self, text, output):
        self.text = text
        self.output = output

    @property
    def line(self):
        """The command on one line, its blanks squeezed: how a test names it."""
        return ' '.join(self.text.replace('\\\n', ' ').split())

    @property
    def background(self):
        return self.text.rstrip().endswith('&')

    def __repr__(self):
        return 'Command(%r)' % self.line


def parse(block):
    """The commands of a console block's text (dedented or not); output lines keep their indentation (a file
    shown with `cat`)."""
    found = []
    continued = False
    for line in textwrap.dedent(block).splitlines():
        line = line.rstrip()
        if continued:
            found[-1].text += '\n' + line.strip()
        elif line.startswith('$ '):
            found.append(Command(line[2:], []))
        elif line and found:
            found[-1].output.append(line)
        continued = line.endswith('\\') and bool(found)
    return found


def blocks(name):
    """The console blocks of the guide docs/docsite/rst/<name>, each as its commands."""
    with open(os.path.join(GUIDES, name), encoding='utf-8') as handle:
        text = handle.read()
    return [parse(match.group(2)) for match in CONSOLE_BLOCK.finditer(text)]


def every_command():
    """{guide file name: [command line, ...]} of every console block of every guide."""
    return {os.path.basename(path): [command.line for block in blocks(os.path.basename(path)) for command in block]
            for path in sorted(glob.glob(os.path.join(GUIDES, '*.rst')))}


def shown(pattern, text):
    """Whether a line the guide shows (`...` standing for any text) is in `text`."""
    regex = '.*'.join(re.escape(part) for part in pattern.split('...'))
    return re.search(regex, text) is not None


def substituted(text, substitutions):
    for old, new in substitutions:
        text = text.replace(old, new)
    return text


class Console:
    """A bash the commands are typed into, one after the other; its background jobs end with it. `substitutions`,
    (old, new) pairs, are applied to each command and to the output it shows (a port a test must not hard-code)."""

    def __init__(self, cwd, env, substitutions=()):
        self.substitutions = list(substitutions)
        self.transcript = []
        self._lines = queue.Queue()
        self._bash = subprocess.Popen(['bash', '--noprofile', '--norc'], cwd=str(cwd), env=env, text=True,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self._bash.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _until(self, done, timeout, what):
        """The lines printed until `done(line)` holds for one of them."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            try:
                line = self._lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = ''
            if line is None or time.monotonic() > deadline:
                raise AssertionError('%s: no end within %d s; the console said:\n%s'
                                     % (what, timeout, ''.join(self.transcript + seen)[-6000:]))
            seen.append(line)
            if done(line):
                self.transcript += seen
                return seen

    def run(self, command, timeout=600):
        """(exit status, output) of the command; a background one is waited for until the first line the guide
        shows it printing has come, as a reader waits for a server to say it listens."""
        text = substituted(command.text, self.substitutions)
        marker = 'END-OF-COMMAND-%s' % uuid.uuid4().hex
        # Grouped, not a subshell, so that what it sets stays; stdin from /dev/null, so that it reads none of the
        # lines typed after it.
        self._bash.stdin.write('{ %s\n} < /dev/null\necho "%s $?"\n' % (text, marker))
        self._bash.stdin.flush()
        # A command's last line may end without a newline (curl's JSON): the marker then follows it on that line.
        lines = self._until(lambda line: marker in line, timeout, command.line)
        last, status = lines[-1].split(marker)
        status = int(status)
        output = ''.join(lines[:-1]) + last
        expected = [substituted(line, self.substitutions) for line in command.output]
        if command.background and expected:
            before = len(self.transcript)
            if not shown(expected[0], ''.join(self.transcript)):
                self._until(lambda line: shown(expected[0], line), timeout, command.line)
            output += ''.join(self.transcript[before:])
        return status, output

    def type(self, command):
        """Type a command that runs until it is stopped (a server in a terminal of its own), and return at once."""
        self._bash.stdin.write('{ %s\n} < /dev/null\n' % substituted(command.text, self.substitutions))
        self._bash.stdin.flush()

    def printed(self):
        """Everything printed so far."""
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return ''.join(self.transcript)
            if line is None:
                return ''.join(self.transcript)
            self.transcript.append(line)

    def close(self):
        try:
            os.killpg(self._bash.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self._bash.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self._bash.pid, signal.SIGKILL)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_as_shown(console, command, timeout=600):
    """Run the command; it must succeed and print every line the guide shows under it (a background command's
    lines may come later, so they are looked for in the whole transcript at the end: see `all_shown`)."""
    status, output = console.run(command, timeout)
    assert status == 0, '%s: exit status %d\n%s' % (command.line, status, output[-6000:])
    if not command.background:
        missing = [line for line in command.output if not shown(substituted(line, console.substitutions), output)]
        assert missing == [], '%s did not print %r:\n%s' % (command.line, missing, output[-6000:])
    return output


def all_shown(console, command):
    """Every line the guide shows under a background command was printed by the end."""
    transcript = ''.join(console.transcript)
    missing = [line for line in command.output if not shown(substituted(line, console.substitutions), transcript)]
    assert missing == [], '%s did not print %r:\n%s' % (command.line, missing, transcript[-6000:])
