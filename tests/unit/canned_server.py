"""A small HTTP server that answers every request the same, badly on purpose: for error-path tests."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CannedServer:
    """A server whose every answer is (status, headers, body); `hang=True` never answers."""

    def __init__(self, status=200, body=b'', headers=None, hang=False):
        outer = self
        self.hits = 0

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                outer.hits += 1
                self.rfile.read(int(self.headers.get('Content-Length') or 0))
                if hang:
                    threading.Event().wait(5)
                    return
                self.send_response(status)
                for name, value in (headers or {'Content-Type': 'application/json'}).items():
                    self.send_header(name, value)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
