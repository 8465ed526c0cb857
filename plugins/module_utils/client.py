# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One HTTP session to the SendGrid Web API v2: credentials, retries, timeouts and reading errors from the body."""

from __future__ import annotations

import json
import os
import traceback

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import NameResolutionError, ReadTimeoutError
    from urllib3.util.retry import Retry
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    Retry = object
else:
    REQUESTS_IMPORT_ERROR = None

DEFAULT_API_URL = 'https://api.sendgrid.com'
DEFAULT_TIMEOUT = 30
DEFAULT_MAX_RETRIES = 5
DEFAULT_CONCURRENCY = 8
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER = 60
NOT_LISTED = 'Email does not exist'
USER_AGENT = 'mailops.sendgrid-ansible-collection'
MASK = '********'


class SendGridError(Exception):
    """A failed call: what was asked (list, user, email, endpoint) and what SendGrid said, never a secret."""

    def __init__(self, message, list_name=None, user=None, email=None, status=None, api_message=None,
                 endpoint=None, secrets=(), unreachable=False):
        self.secrets = tuple(s for s in secrets if s)
        self.list_name = list_name
        self.user = user
        self.email = email
        self.status = status
        self.api_message = self.scrub(api_message) if api_message is not None else None
        self.endpoint = endpoint
        self.retried = False     # set when the answer came after retries: the first attempt may have landed
        self.unreachable = unreachable   # no answer at all: the service is down, refused, unknown or untrusted
        self.reason = self.scrub(message)
        super().__init__(self.describe())

    def scrub(self, text):
        text = str(text)
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def describe(self):
        where = []
        if self.list_name:
            where.append(self.list_name)
        if self.user:
            where.append('user %s' % self.user)
        if self.email is not None:
            where.append('email %s' % self.email)
        details = []
        if self.status is not None:
            details.append('HTTP %s' % self.status)
        if self.endpoint:
            details.append(self.endpoint)
        text = self.reason
        if where:
            text = '%s: %s' % (', '.join(where), text)
        if details:
            text = '%s (%s)' % (text, ', '.join(details))
        return text

    @property
    def stops_run(self):
        """True when every further request would fail the same way (no service, refused credentials or user)."""
        return self.unreachable or self.status in (401, 403)

    def with_context(self, **context):
        """The same error with the list, user or email it concerns filled in."""
        values = dict(list_name=self.list_name, user=self.user, email=self.email, status=self.status,
                      api_message=self.api_message, endpoint=self.endpoint, unreachable=self.unreachable)
        values.update({k: v for k, v in context.items() if v is not None})
        error = SendGridError(self.reason, secrets=self.secrets, **values)
        error.retried = self.retried
        return error

    def to_dict(self):
        return {'message': str(self), 'list': self.list_name, 'user': self.user, 'email': self.email,
                'status': self.status, 'api_message': self.api_message}


class ClampedRetry(Retry):
    """urllib3's Retry that never waits longer than MAX_RETRY_AFTER for a Retry-After, nor retries a read timeout.

    A server that accepted the request and then stayed silent for `timeout` seconds is not retried: waiting
    `timeout` again and again would make a hung service look like a hung task.
    """

    def parse_retry_after(self, retry_after):
        return min(max(super().parse_retry_after(retry_after), 0), MAX_RETRY_AFTER)

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if isinstance(error, ReadTimeoutError):
            raise error
        return super().increment(method, url, response, error, _pool, _stacktrace)


class Client:
    """Calls the JSON edition of the v2 endpoints with POST form fields; answers parsed, errors raised."""

    def __init__(self, api_user=None, api_key=None, api_url=DEFAULT_API_URL, timeout=DEFAULT_TIMEOUT,
                 validate_certs=True, max_retries=DEFAULT_MAX_RETRIES, concurrency=DEFAULT_CONCURRENCY,
                 ca_path=None, backoff_factor=0.5):
        if REQUESTS_IMPORT_ERROR:
            raise SendGridError('the Python library requests is required: %s' % REQUESTS_IMPORT_ERROR.splitlines()[-1])
        if not api_key:
            raise SendGridError('api_key is required: a password, or an API key with api_user omitted or "apikey"')
        self.api_user = api_user or 'apikey'
        self._api_key = api_key
        self.secrets = (api_key,)
        self.api_url = check_api_url(api_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self.concurrency = max(int(concurrency or 1), 1)
        retry = ClampedRetry(
            total=max_retries, connect=max_retries, read=max_retries, status=max_retries, other=0,
            allowed_methods=None,              # POST too: a fault answered before any change is safe to resend
            status_forcelist=RETRY_STATUSES, backoff_factor=backoff_factor, backoff_jitter=backoff_factor,
            backoff_max=30, respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False)
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=self.concurrency, max_retries=retry,
                              pool_block=True)
        self.session = requests.Session()
        self.session.mount('http://', adapter)
        self.session.mount('https://', adapter)
        self.session.headers['User-Agent'] = USER_AGENT
        # requests reads proxy and CA-bundle variables from the environment on every request, which costs more
        # than the request itself on a busy bulk run; read them once here, with the same meaning.
        self.session.trust_env = False
        self.session.proxies = requests.utils.get_environ_proxies(self.api_url)
        env_bundle = os.environ.get('REQUESTS_CA_BUNDLE') or os.environ.get('CURL_CA_BUNDLE')
        self.session.verify = (ca_path or env_bundle or True) if validate_certs else False

    @classmethod
    def from_options(cls, get):
        """The option adapter: `get(name)` reads an option from module params or a lookup's get_option."""
        return cls(api_user=get('api_user'), api_key=get('api_key'), api_url=get('api_url') or DEFAULT_API_URL,
                   timeout=get('timeout') or DEFAULT_TIMEOUT, validate_certs=get('validate_certs') is not False,
                   max_retries=DEFAULT_MAX_RETRIES if get('max_retries') is None else get('max_retries'),
                   concurrency=get('concurrency') or DEFAULT_CONCURRENCY, ca_path=get('ca_path'))

    def error(self, message, **context):
        return SendGridError(message, secrets=self.secrets, **context)

    def call(self, endpoint, params, context=None):
        """POST to `<api_url>/<endpoint>.json` and return the parsed answer, or raise SendGridError."""
        context = dict(context or {}, endpoint=endpoint)
        form = dict(params, api_user=self.api_user, api_key=self._api_key)
        url = '%s/%s.json' % (self.api_url, endpoint)
        try:
            response = self.session.post(url, data=form, timeout=self.timeout)
        except requests.exceptions.SSLError as exc:
            raise self.error('TLS certificate verification failed for %s: %s. Set validate_certs to false, or '
                             'ca_path to the certificate authority that signed it' % (self.api_url, _root(exc)),
                             unreachable=True, **context) from None
        except requests.exceptions.ReadTimeout:
            raise self.error('no answer from %s within timeout=%s seconds' % (self.api_url, self.timeout),
                             unreachable=True, **context) from None
        except requests.exceptions.ConnectTimeout:
            raise self.error('could not connect to %s within timeout=%s seconds' % (self.api_url, self.timeout),
                             unreachable=True, **context) from None
        except requests.exceptions.ConnectionError as exc:
            raise self.error(_connection_problem(exc, self.api_url, self.max_retries), unreachable=True, **context) from None
        except requests.exceptions.RequestException as exc:
            raise self.error('request to %s failed: %s' % (self.api_url, _root(exc)), unreachable=True, **context) from None
        retried = bool(getattr(getattr(response.raw, 'retries', None), 'history', ()))
        try:
            return self._read(response, context)
        except SendGridError as exc:
            exc.retried = retried
            raise

    def _read(self, response, context):
        status = response.status_code
        try:
            body = json.loads(response.content.decode('utf-8'))
        except (ValueError, UnicodeDecodeError):
            raise self.error(_not_json(response), status=status, **context) from None
        problem = api_error_message(body)
        if problem is not None:
            raise self.error(problem, status=status, api_message=problem, **context)
        if status >= 400:
            if status in RETRY_STATUSES:
                problem = 'still HTTP %s after max_retries=%s retries' % (status, self.max_retries)
            else:
                problem = 'HTTP %s with an unexpected answer' % status
            raise self.error(problem, status=status, **context)
        return body

    def close(self):
        self.session.close()


def check_api_url(api_url):
    url = (api_url or '').strip().rstrip('/')
    if not url.lower().startswith(('http://', 'https://')) or len(url.split('://', 1)[1]) == 0:
        raise SendGridError('api_url must be an http:// or https:// URL such as %s, got %r' % (DEFAULT_API_URL, api_url))
    return url


def api_error_message(body):
    """SendGrid's error text when the body is one of the v2 error shapes (with any HTTP status), else None."""
    if isinstance(body, dict):
        if isinstance(body.get('error'), dict):
            return str(body['error'].get('message') or body['error'])
        if 'error' in body:
            return str(body['error'])
        message = body.get('message')
        if message == 'error':
            errors = body.get('errors') or ['error']
            return '; '.join(str(e) for e in errors) if isinstance(errors, list) else str(errors)
        if message is not None and message != 'success':
            return str(message)
        return None
    if isinstance(body, list):
        return None
    return 'unexpected answer: %s' % json.dumps(body)[:200]


def is_not_listed(exc):
    return isinstance(exc, SendGridError) and exc.api_message == NOT_LISTED


def _causes(exc):
    """The exception and the reasons it wraps (requests -> urllib3 -> socket), outermost first."""
    chain = []
    while isinstance(exc, BaseException) and exc not in chain and len(chain) < 10:
        chain.append(exc)
        exc = getattr(exc, 'reason', None) or (exc.args[0] if exc.args else None)
    return chain


def _root(exc):
    """The innermost reason of a requests/urllib3 exception, without the URL repetition."""
    return str(_causes(exc)[-1])


def _connection_problem(exc, api_url, max_retries):
    text = str(exc)
    if any(isinstance(e, NameResolutionError) for e in _causes(exc)) or 'Name or service not known' in text \
            or 'nodename nor servname' in text or 'getaddrinfo failed' in text:
        return 'cannot resolve the host name of api_url %s' % api_url
    if 'Connection refused' in text or 'ConnectionRefusedError' in text:
        return 'connection refused by %s: is the service running there?' % api_url
    if 'RemoteDisconnected' in text or 'Connection aborted' in text or 'Max retries exceeded' in text:
        return 'the connection to %s kept dropping; gave up after max_retries=%s retries' % (api_url, max_retries)
    return 'cannot reach %s: %s' % (api_url, _root(exc))


def _not_json(response):
    kind = response.headers.get('Content-Type', 'no content type')
    text = response.content[:200].decode('utf-8', 'replace').strip()
    if text.startswith(('{', '[')):
        return 'the answer was truncated or is malformed JSON (%s): %s' % (kind, text)
    return 'the answer is not JSON (%s): %s' % (kind, text or 'empty body')
