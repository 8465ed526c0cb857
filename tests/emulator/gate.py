"""The one gate every API request passes, v2 and v3 alike: the rate limit (429), the added latency, the faults
(5xx or a dropped connection), then the operation; every outcome counted, and the request's URL logged with any
credential masked."""

import re
import socket

from flask import Response, request

_CREDENTIAL = re.compile(r'((?:^|[?&])api_key=)[^&]*', re.IGNORECASE)


def logged_url():
    """The URL as the service received it, for the request log: path and query string, any api_key masked."""
    url = request.full_path if request.query_string else request.path
    url = _CREDENTIAL.sub(r'\1********', url)
    request.environ['emulator.logged_url'] = url
    return url


def rate_limit(knobs):
    """(allowed, X-RateLimit-* headers) of one request, which counts against the window: SendGrid sends the
    headers on every v3 answer, an unknown path's or a wrong method's too."""
    allowed, limit, remaining, reset = knobs.take()
    return allowed, {'X-RateLimit-Limit': str(limit), 'X-RateLimit-Remaining': str(remaining),
                     'X-RateLimit-Reset': str(reset)}


def drop_connection():
    sock = request.environ.get('emulator.socket')
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    return Response('', status=500)


class Gate:
    """`gate(endpoint, task, run, dialect)`: the answer to one request whose operation is `run() -> (status,
    body)`, in the API's `dialect` (how it renders a body and an error, which headers it sends)."""

    def __init__(self, knobs, stats):
        self.knobs = knobs
        self.stats = stats

    def __call__(self, endpoint, task, run, dialect):
        url = logged_url()
        allowed, limits = rate_limit(self.knobs)
        headers = limits if dialect.rate_limit_headers else {}

        def answer(status, body, outcome, extra=None):
            self.stats.record(endpoint, task, request.method, url, outcome)
            return dialect.respond(status, body, dict(headers, **(extra or {})))

        self.knobs.pause()
        if not allowed:
            return answer(429, dialect.error(429, 'too many requests'), 'rate_limited', dialect.too_many_headers)
        fault = self.knobs.fault()
        if fault == 'drop':
            self.stats.record(endpoint, task, request.method, url, 'dropped')
            return drop_connection()
        if fault:
            return answer(fault, dialect.error(fault, 'Internal error, retry later'), 'fault')
        try:
            status, body = run()
        # A refusal in the dialect's shape is answered; anything else is re-raised.
        except Exception as exc:  # pylint: disable=broad-except
            refusal = dialect.refusal(exc)
            if refusal is None:
                raise
            return answer(*refusal)
        return answer(status, body, 'ok')

    def unknown(self, endpoint, task, message, dialect, status=404):
        """The answer to a path or method the API does not have: counted as unknown, never through the knobs."""
        url = logged_url()
        headers = rate_limit(self.knobs)[1] if dialect.rate_limit_headers else {}
        self.stats.record(endpoint, task, request.method, url, 'unknown')
        return dialect.respond(status, dialect.error(status, message), headers)
