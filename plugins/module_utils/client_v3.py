# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Web API v3 transport: JSON over REST with a Bearer key, errors read from the `errors` array, and a pace
that keeps under the rate limit the service announces instead of collecting 429s."""

from __future__ import annotations

from contextlib import closing
from urllib.parse import quote

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.http_core import MAX_ANSWER_BYTES, HttpCore
from ansible_collections.mailops.sendgrid.plugins.module_utils.json_stream import NotAnArray, array_items
from ansible_collections.mailops.sendgrid.plugins.module_utils.pacing import RatePacer
from ansible_collections.mailops.sendgrid.plugins.module_utils.permissions import forbidden_hint
from ansible_collections.mailops.sendgrid.plugins.module_utils.masking import excerpt
from ansible_collections.mailops.sendgrid.plugins.module_utils.write_guard import check_v3

NOT_FOUND = object()


class ClientV3(HttpCore):
    """Calls `<api_url>/v3/<path>` with JSON; answers parsed, errors raised with the field and message."""

    api_version = 'v3'

    def __init__(self, api_user=None, api_key=None, **options):
        if api_user not in (None, '', 'apikey'):
            raise SendGridError('api_user %r cannot be used with api_version v3: Web API v3 takes an API key in '
                                'api_key (leave api_user unset, or "apikey"), never a username and password'
                                % api_user)
        super().__init__(api_key=api_key, **options)
        self.session.headers['Authorization'] = 'Bearer %s' % api_key
        # Some v3 endpoints (the bounce classifications) answer JSON only when asked for it by name.
        self.session.headers['Accept'] = 'application/json'
        self.pacer = RatePacer()

    def call(self, method, path, params=None, body=None, on_behalf_of=None, context=None, missing_ok=False):
        """The parsed answer (None for 204), NOT_FOUND for a 404 when `missing_ok`, or SendGridError (WriteBlocked
        for a write on a read-only client)."""
        check_v3(self.read_only, method, path)
        context = dict(context or {}, endpoint='%s v3/%s' % (method, path))
        headers = {'on-behalf-of': on_behalf_of} if on_behalf_of else {}
        self.pacer.before_request()
        answer_headers = {}
        try:
            status, answer_headers, content, retried = self.send(
                method, '%s/v3/%s' % (self.api_url, path), context, params=params, json=body, headers=headers)
        finally:
            self.pacer.after_response(answer_headers)
        return self._answer(method, path, status, answer_headers, content, context, retried, missing_ok)

    def items(self, path, on_behalf_of=None, context=None):
        """Each element of the array a GET of `path` answers, parsed as the body arrives (json_stream): an unpaged
        answer (a group's addresses, the account's group suppressions) is never held whole, whatever its size."""
        context = dict(context or {}, endpoint='GET v3/%s' % path)
        headers = {'on-behalf-of': on_behalf_of} if on_behalf_of else {}
        self.pacer.before_request()
        response = None
        try:
            response = self.open_stream('GET', '%s/v3/%s' % (self.api_url, path), context, headers=headers)
        finally:
            self.pacer.after_response(response.headers if response is not None else {})
        with closing(response):
            if response.status_code != 200:
                status, content = self.read_whole(response, context)
                retried = bool(getattr(getattr(response.raw, 'retries', None), 'history', ()))
                answer = self._answer('GET', path, status, response.headers, content, context, retried)
                raise self.unexpected('a JSON array was expected', answer, status=status, **context)
            try:
                yield from array_items(self.body_chunks(response, context), MAX_ANSWER_BYTES)
            except NotAnArray as exc:
                text = excerpt(exc.head.decode('utf-8', 'replace').strip(), self.secrets) if exc.head else ''
                raise self.error('unexpected answer: %s%s' % (exc, ', got %s' % text if text else ''),
                                 status=200, malformed=True, **context) from None

    def _answer(self, method, path, status, headers, content, context, retried, missing_ok=False):
        """The parsed answer of a request, or the error its status and body say."""
        if status == 404 and missing_ok:
            return NOT_FOUND
        if status == 204 or (not content.strip() and status < 300):
            return None
        answer = self.parse_json(status, headers, content, context)
        problem = api_errors(answer, self.secrets)
        if problem is not None:
            # A 403 names the scopes the key likely lacks, beside SendGrid's own message.
            reason = forbidden_hint(method, path, problem) if status == 403 else problem
            error = self.error(reason, status=status, api_message=problem, **context)
            error.retried = retried
            raise error
        if status >= 400:
            raise self.error(self.status_problem(status), status=status, **context)
        return answer


def path_segment(value):
    """An address or id as one URL path segment: `/`, `%` and the rest encoded."""
    return quote(str(value), safe='@')


def api_errors(body, secrets=()):
    """The text of a v3 `{"errors": [{"field": ..., "message": ...}]}` body, or None when it is not one."""
    if not isinstance(body, dict) or not isinstance(body.get('errors'), list):
        return None
    parts = []
    for item in body['errors'][:5]:
        if isinstance(item, dict):
            message = str(item.get('message') or 'error')
            parts.append('%s: %s' % (item['field'], message) if item.get('field') else message)
        else:
            parts.append(str(item))
    return excerpt('; '.join(parts) or 'error', secrets, size=300)
