"""A server on 127.0.0.1 that answers badly or with hostility on purpose, one behaviour a test.

`answer(request)` decides each reply; the server records every request (method, path, form) so a test can assert
that no delete reached it. Every slow behaviour stops by itself after `MAX_SECONDS`.
"""

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_SECONDS = 30


class Request:
    def __init__(self, method, path, form, headers, body=b''):
        self.method = method
        self.path = path
        self.form = form
        self.headers = headers
        self.body = body                    # the raw bytes, as a signature covers them
        self.received = time.monotonic()

    @property
    def is_delete(self):
        return 'delete' in self.path or self.form.get('task') == 'delete'


def json_reply(body, status=200, headers=None):
    """A whole answer: `body` as JSON, or bytes as they are; application/json unless `headers` says otherwise."""
    def write(handler):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        handler.send_response(status)
        for name, value in dict({'Content-Type': 'application/json'}, **(headers or {})).items():
            handler.send_header(name, value)
        handler.send_header('Content-Length', str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    return write


def redirect_reply(status, location):
    return json_reply({'message': 'success'}, status=status, headers={'Location': location})


def drip_body(interval=0.2):
    """Headers at once, then one byte of a never-ending JSON list every `interval` seconds."""
    def write(handler):
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        handler.end_headers()
        handler.wfile.write(b'[')
        _drip(handler, b' ', interval)
    return write


def drip_headers(interval=0.2):
    """The status line and headers one byte at a time, never finished."""
    def write(handler):
        handler.close_connection = True
        _drip(handler, b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: ' + b'a' * 10000, interval,
              whole=True)
    return write


def _drip(handler, data, interval, whole=False):
    end = time.monotonic() + MAX_SECONDS
    position = 0
    try:
        while time.monotonic() < end:
            byte = data[position % len(data):position % len(data) + 1] if whole else data
            handler.wfile.write(byte)
            handler.wfile.flush()
            position += 1
            time.sleep(interval)
    except OSError:
        pass


def huge_reply(megabytes, declared=False):
    """A JSON list longer than any answer should be, sent as fast as the socket takes it."""
    def write(handler):
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        if declared:
            handler.send_header('Content-Length', str(megabytes * 1024 * 1024))
        handler.send_header('Connection', 'close')
        handler.end_headers()
        handler.close_connection = True
        block = b' ' * (1024 * 1024)
        try:
            handler.wfile.write(b'[')
            for dummy in range(megabytes):
                handler.wfile.write(block)
        except OSError:
            pass
    return write


_BOMB = {}


def gzip_bomb_reply(megabytes):
    """A small gzip body that inflates to `megabytes` MiB."""
    if megabytes not in _BOMB:
        _BOMB[megabytes] = gzip.compress(b'[' + b' ' * (megabytes * 1024 * 1024), compresslevel=9)
    data = _BOMB[megabytes]

    def write(handler):
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        handler.send_header('Content-Encoding', 'gzip')
        handler.send_header('Content-Length', str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    return write


class HostileServer:
    """A threaded HTTP server whose every reply is `answer(request)`: a function that writes to the handler."""

    def __init__(self, answer):
        outer = self
        self.requests = []
        self._lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def _handle(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                split = urlsplit(self.path)
                form = {k: v[-1] for k, v in parse_qs(body.decode('utf-8', 'replace'), keep_blank_values=True).items()}
                form.update({k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()})
                request = Request(self.command, split.path, form, dict(self.headers), body)
                with outer._lock:
                    outer.requests.append(request)
                answer(request)(self)

            do_GET = do_POST = do_DELETE = do_PUT = _handle  # noqa: N815 - the names http.server calls

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def deletes(self):
        return [r for r in self.requests if r.is_delete]

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def by_task(listing=None, count=None, delete=None):
    """An `answer` for the v2 endpoints: one reply per kind of request (listing, count, delete); the count is the
    listing's length unless given."""
    if count is None and isinstance(listing, list):
        count = {'count': len(listing)}

    def answer(request):
        if request.path.endswith('.count.json'):
            return count(request) if callable(count) else json_reply(count)
        if request.is_delete:
            return delete(request) if callable(delete) else json_reply(delete)
        return listing(request) if callable(listing) else json_reply(listing)
    return answer


def records(count, domain='x.test'):
    return [{'email': 'user%d@%s' % (i, domain), 'reason': 'Bad Syntax', 'created': '2024-01-01 00:00:00'}
            for i in range(count)]
