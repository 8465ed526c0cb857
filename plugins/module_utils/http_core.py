# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP core both API versions share: session, deadlines, size cap, redirects refused, secrets; the retry
policy it mounts is pacing.py's."""

from __future__ import annotations

import json
import os
import traceback
from urllib.parse import unquote, urlsplit

try:
    import requests
    from urllib3.exceptions import NameResolutionError
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.masking import Masker, excerpt
from ansible_collections.mailops.sendgrid.plugins.module_utils.constants import (
    DEFAULT_API_URL, DEFAULT_CONCURRENCY, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, RETRY_STATUSES)
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import check_api_url
from ansible_collections.mailops.sendgrid.plugins.module_utils.pacing import ClampedRetry
from ansible_collections.mailops.sendgrid.plugins.module_utils.request_deadline import BodyWatch, DeadlineAdapter, Watch

USER_AGENT = 'mailops.sendgrid-ansible-collection'
# The largest answer read, compressed or not: far above a page of 500 records or an unpaged list of 100,000.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


class HttpCore:
    """What both API versions share: one session with retries and back-off, a total deadline per attempt, a cap
    on the size of an answer, no redirect followed, errors that name what failed and never a secret."""

    def __init__(self, api_key=None, api_url=DEFAULT_API_URL, timeout=DEFAULT_TIMEOUT, validate_certs=True,
                 max_retries=DEFAULT_MAX_RETRIES, concurrency=DEFAULT_CONCURRENCY, ca_path=None, backoff_factor=0.5,
                 read_only=False):
        if REQUESTS_IMPORT_ERROR:
            raise SendGridError('the Python library requests is required: %s' % REQUESTS_IMPORT_ERROR.splitlines()[-1])
        if not api_key or not str(api_key).strip():
            raise SendGridError('api_key must not be empty: a password, or an API key with api_user omitted or '
                                '"apikey"')
        self._api_key = api_key
        # Check mode, dry runs, lookups and the inventory: every write refused before it is sent (write_guard).
        self.read_only = bool(read_only)
        self.secrets = (api_key,)
        self.mask = Masker(self.secrets)
        self.api_url = check_api_url(api_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self.concurrency = max(int(concurrency or 1), 1)
        retry = ClampedRetry(
            total=max_retries, connect=max_retries, read=max_retries, status=max_retries, other=0, redirect=0,
            allowed_methods=None,              # POST too: a fault answered before any change is safe to resend
            status_forcelist=RETRY_STATUSES, backoff_factor=backoff_factor, backoff_jitter=backoff_factor,
            backoff_max=30, respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False)
        adapter = DeadlineAdapter(pool_connections=1, pool_maxsize=self.concurrency, max_retries=retry,
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

    def error(self, message, **context):
        return SendGridError(message, secrets=self.secrets, **context)

    def send(self, method, url, context, **kwargs):
        """(status, headers, body bytes, retried) of one request and its retries, within every bound."""
        stopping.check()
        with Watch(self.timeout) as watch:
            try:
                # Never follow a redirect: it would re-send the credentials wherever it points.
                response = self.session.request(method, url, timeout=self.timeout, allow_redirects=False,
                                                stream=True, **kwargs)
                try:
                    retried = bool(getattr(getattr(response.raw, 'retries', None), 'history', ()))
                    status, content = self._content(response, context)
                finally:
                    response.close()
            except SendGridError:
                raise
            except requests.exceptions.RequestException as exc:
                if watch.expired:
                    raise self._past_deadline(context) from None
                raise self._unreachable(exc, context) from None
            if watch.expired:       # a body read to the close of a connection the watchdog cut
                raise self._past_deadline(context)
        return status, response.headers, content, retried

    def open_stream(self, method, url, context, **kwargs):
        """The response of a request whose body the caller reads as it arrives (body_chunks) and then closes. The
        deadline covers the answer's headers; each read of the body is bounded by the timeout, not the whole body,
        which may take long to read by design."""
        stopping.check()
        with Watch(self.timeout) as watch:
            try:
                return self.session.request(method, url, timeout=self.timeout, allow_redirects=False, stream=True,
                                            **kwargs)
            except requests.exceptions.RequestException as exc:
                if watch.expired:
                    raise self._past_deadline(context) from None
                raise self._unreachable(exc, context) from None

    def body_chunks(self, response, context):
        """The body of an open_stream response, a chunk at a time, each within the timeout (BodyWatch); a
        connection lost midway is an error naming it."""
        chunks = response.iter_content(CHUNK_BYTES)
        while True:
            stopping.check()
            with BodyWatch(self.timeout, response.raw.connection) as watch:
                try:
                    chunk = next(chunks, None)
                except requests.exceptions.RequestException as exc:
                    if watch.expired:
                        raise self._past_deadline(context) from None
                    raise self._unreachable(exc, context) from None
            if watch.expired:
                raise self._past_deadline(context)
            if chunk is None:
                return
            yield chunk

    def read_whole(self, response, context):
        """(status, body bytes) of an open_stream response read at once, within MAX_ANSWER_BYTES."""
        try:
            return self._content(response, context)
        except requests.exceptions.RequestException as exc:
            raise self._unreachable(exc, context) from None

    def parse_json(self, status, headers, content, context):
        try:
            return json.loads(content.decode('utf-8'))
        except (ValueError, UnicodeDecodeError):
            raise self.error('unexpected answer: %s' % _not_json(headers, content, self.secrets), status=status,
                             **context) from None
        except RecursionError:
            # No SendGrid answer nests more than a few levels; Python's decoder gives up far deeper.
            raise self.error('unexpected answer: JSON nested too deeply to be a SendGrid answer', status=status,
                             malformed=True, **context) from None

    def status_problem(self, status):
        """The error text for an HTTP error status whose body said nothing readable."""
        if status in RETRY_STATUSES:
            return 'still HTTP %s after max_retries=%s retries' % (status, self.max_retries)
        return 'HTTP %s with an unexpected answer' % status

    def _content(self, response, context):
        """(status, body bytes), read within MAX_ANSWER_BYTES; a redirect is an error naming where it points."""
        status = response.status_code
        if 300 <= status < 400:
            raise self.error('api_url answered with a redirect (HTTP %s) to %s, which is never followed: set '
                             'api_url to the address that answers' % (
                                 status, excerpt(response.headers.get('Location') or 'nowhere', self.secrets)),
                             status=status, **context)
        declared = response.headers.get('Content-Length', '')
        if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
            raise self._too_large(status, context)
        chunks, size = [], 0
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise self._too_large(status, context)
            chunks.append(chunk)
        return status, b''.join(chunks)

    def _past_deadline(self, context):
        return self.error('no answer from %s within timeout=%s seconds: it did not arrive whole in time'
                          % (self.api_url, self.timeout), unreachable=True, **context)

    def _too_large(self, status, context):
        return self.error('the answer is larger than %d MiB, more than any SendGrid answer; refusing to read it'
                          % (MAX_ANSWER_BYTES // (1024 * 1024)), status=status, **context)

    def _unreachable(self, exc, context):
        if isinstance(exc, requests.exceptions.SSLError):
            return self.error('TLS certificate verification failed for %s: %s. Set validate_certs to false, or '
                              'ca_path to the certificate authority that signed it' % (self.api_url, _root(exc)),
                              unreachable=True, **context)
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return self.error('no answer from %s within timeout=%s seconds' % (self.api_url, self.timeout),
                              unreachable=True, **context)
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return self.error('could not connect to %s within timeout=%s seconds' % (self.api_url, self.timeout),
                              unreachable=True, **context)
        if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
            return self.error(_connection_problem(exc, self.api_url, self.max_retries), unreachable=True, **context)
        return self.error('request to %s failed: %s' % (self.api_url, _root(exc)), unreachable=True, **context)

    def unexpected(self, what, body, **context):
        """The error for an answer of the wrong shape: what was expected, and a masked excerpt of what came."""
        return self.error('unexpected answer: %s, got %s' % (what, excerpt(json.dumps(body), self.secrets)),
                          malformed=True, **context)

    def close(self):
        self.session.close()


def url_secrets(api_url):
    """The password an URL carries, in the forms it may be written."""
    try:
        password = urlsplit(api_url or '').password
    except ValueError:
        return []
    return [password, unquote(password)] if password else []


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


def _not_json(headers, content, secrets):
    kind = headers.get('Content-Type', 'no content type')
    text = excerpt(content.decode('utf-8', 'replace').strip(), secrets)
    if text.startswith(('{', '[')):
        return 'the answer was truncated or is malformed JSON (%s): %s' % (kind, text)
    return 'the answer is not JSON (%s): %s' % (kind, text or 'empty body')
