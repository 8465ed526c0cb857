"""Run the SendGrid Web API emulator (v2 and v3). See tests/emulator/README.md for the command line and fixtures."""

import argparse
import logging
import os
import sys

import yaml
from cheroot import wsgi

if not __package__:
    # Run as a file (python tests/emulator/serve.py): load it as the module of its package (PEP 366).
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = 'emulator'  # noqa: A001

from .app import create_app  # noqa: E402
from .knobs import Knobs  # noqa: E402
from .store import LIST_NAMES, Store  # noqa: E402

DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'demo.yml')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='SendGrid Web API v2 and v3 emulator (suppression endpoints).')
    parser.add_argument('--port', type=int, default=8025, help='TCP port; 0 picks a free one (printed on start)')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--data', default=DEFAULT_DATA, help='YAML or JSON fixture (default: the demo fixture)')
    parser.add_argument('--db', default=':memory:', help='SQLite file; kept between runs (default: in memory)')
    parser.add_argument('--generate', type=int, default=0, metavar='N',
                        help='add N synthetic records to every list of every user (and N suppressions to every group)')
    parser.add_argument('--generate-lists', default=','.join(LIST_NAMES), metavar='LIST,...',
                        help='the lists --generate fills (default: all of %s)' % ', '.join(LIST_NAMES))
    parser.add_argument('--latency-ms', type=float, default=0, help='added to every API request')
    parser.add_argument('--fault-rate', type=float, default=0.0,
                        help='share of API requests answered 500/502/503 or dropped, before any change')
    parser.add_argument('--rate-limit', type=float, default=0, metavar='RPS',
                        help='API requests a second above which the answer is 429 (v2 with Retry-After; v3 with the '
                             'X-RateLimit headers, as SendGrid sends them)')
    parser.add_argument('--seed', type=int, default=0, help='seed of --generate and of the fault choice')
    parser.add_argument('--tls', action='store_true',
                        help='serve HTTPS with a new self-signed certificate; its path is printed on start')
    parser.add_argument('--threads', type=int, default=64,
                        help='worker threads: requests answered at once (idle keep-alive connections hold none)')
    parser.add_argument('--webhook-new-key-on-sign', action='store_true',
                        help='signing an Event Webhook again makes a new key (by default the key is kept)')
    parser.add_argument('--verbose', action='store_true', help='log every request line')
    args = parser.parse_args(argv)
    if not 0.0 <= args.fault_rate < 1.0:
        parser.error('--fault-rate must be at least 0 and below 1')
    if args.generate < 0:
        parser.error('--generate must be 0 or more')
    args.generate_lists = tuple(name.strip() for name in args.generate_lists.split(',') if name.strip())
    unknown = sorted(set(args.generate_lists) - set(LIST_NAMES))
    if unknown:
        parser.error('--generate-lists: unknown list %s; choose from %s' % (', '.join(unknown), ', '.join(LIST_NAMES)))
    if args.threads < 1:
        parser.error('--threads must be at least 1')
    return args


def open_store(args):
    store = Store(args.db)
    if store.is_empty():
        if args.data:
            with open(args.data, encoding='utf-8') as handle:
                store.load(yaml.safe_load(handle) or {})
        if args.generate:
            store.generate(args.generate, args.seed, args.generate_lists)
    else:
        print('Using the existing data in %s; --data and --generate are ignored' % args.db, flush=True)
    return store


class SocketGateway(wsgi.Gateway_10):
    """cheroot's WSGI gateway, with the connection's socket in the environ: the fault knob's dropped connection
    shuts it down unanswered, as a failing load balancer would."""

    def get_environ(self):
        environ = super().get_environ()
        environ['emulator.socket'] = self.req.conn.socket
        return environ


class RequestLog:
    """--verbose: one line a request, with the URL the request log keeps (credentials masked)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        def logged(status, headers, exc_info=None):
            print('%s %s %s' % (environ.get('REQUEST_METHOD'), environ.get('emulator.logged_url', ''),
                                status.split(' ', 1)[0]), flush=True)
            return start_response(status, headers, exc_info)
        return self.app(environ, logged)


def print_environment(store, url):
    """The variables every plugin reads, for the fixture's first account: paste them into a shell."""
    account = store.first_account_key()
    if account is None:
        return
    print('# the environment for the account %s (Web API v3; SENDGRID_API_VERSION=v2 for v2):' % account[0])
    for name, value in (('SENDGRID_API_URL', url), ('SENDGRID_API_KEY', account[1]), ('SENDGRID_API_VERSION', 'v3')):
        print('export %s=%s' % (name, value))
    sys.stdout.flush()


def main(argv=None):
    args = parse_args(argv)
    # Request threads mostly sleep (--latency-ms) or wait on sockets; a short GIL switch interval lets a thread
    # whose wait is over answer at once instead of queueing behind another one for the default 5 ms.
    sys.setswitchinterval(0.0005)
    logging.getLogger('cheroot').setLevel(logging.INFO if args.verbose else logging.WARNING)
    store = open_store(args)
    knobs = Knobs(args.latency_ms, args.fault_rate, args.rate_limit, args.seed, args.webhook_new_key_on_sign)
    app = create_app(store, knobs)
    # cheroot: a production WSGI server that keeps HTTP/1.1 connections alive, so clients pool them.
    server = wsgi.Server((args.host, args.port), RequestLog(app) if args.verbose else app, numthreads=args.threads,
                         server_name='sendgrid-emulator', timeout=30)
    server.gateway = SocketGateway
    if args.tls:
        from cheroot.ssl.builtin import BuiltinSSLAdapter
        from .tls import self_signed
        cert_path, key_path = self_signed()
        server.ssl_adapter = BuiltinSSLAdapter(cert_path, key_path)
        print('TLS certificate (a CA for ca_path): %s' % cert_path, flush=True)
    server.prepare()
    host, port = server.bind_addr[:2]
    print('SendGrid v2+v3 emulator listening on %s://%s:%d (%d records)' % (
        'https' if args.tls else 'http', host, port, store.total_records()), flush=True)
    print_environment(store, '%s://%s:%d' % ('https' if args.tls else 'http', host, port))
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
