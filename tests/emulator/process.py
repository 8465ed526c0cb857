"""Start and stop the emulator as a real process on a free port: used by pytest, integration, demo and bench."""

import json
import os
import re
import ssl
import subprocess
import sys
import time
import urllib.request

SERVE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'serve.py')
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')
LISTENING = re.compile(r'listening on (https?://\S+)')
CERTIFICATE = re.compile(r'TLS certificate \(a CA for ca_path\): (\S+)')


class Emulator:
    """`with Emulator('--data', path) as emu: emu.url`: the process is stopped on exit, whatever happens."""

    def __init__(self, *args, python=None, startup_timeout=120):
        self.args = [str(a) for a in args]
        self.python = python or sys.executable
        self.startup_timeout = startup_timeout
        self.proc = None
        self.url = None
        self.ca_path = None

    def start(self):
        cmd = [self.python, SERVE, '--port', '0'] + self.args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + self.startup_timeout
        seen = []
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            certificate = CERTIFICATE.search(line)
            if certificate:
                self.ca_path = certificate.group(1)
            match = LISTENING.search(line)
            if match:
                self.url = match.group(1)
                return self
        self.stop()
        raise RuntimeError('emulator did not start: %s' % ''.join(seen))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()

    def kill(self):
        """Stop at once, as a crash would: no clean shutdown."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _json(self, path, method='GET'):
        req = urllib.request.Request(self.url + path, method=method, data=b'' if method == 'POST' else None)
        context = ssl.create_default_context(cafile=self.ca_path) if self.ca_path else None
        with urllib.request.urlopen(req, timeout=30, context=context) as resp:
            return json.loads(resp.read().decode('utf-8'))

    def stats(self):
        return self._json('/_emulator/stats')

    def requests(self):
        return self._json('/_emulator/requests')

    def reset_stats(self):
        return self._json('/_emulator/reset', method='POST')
