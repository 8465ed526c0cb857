# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Web API v2 transport: POST form fields with the credentials, answers read in every v2 error shape."""

from __future__ import annotations

import json

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.http_core import HttpCore
from ansible_collections.mailops.sendgrid.plugins.module_utils.masking import excerpt
from ansible_collections.mailops.sendgrid.plugins.module_utils.write_guard import check_v2

NOT_LISTED = 'Email does not exist'


class ClientV2(HttpCore):
    """Calls the JSON edition of the v2 endpoints with POST form fields; answers parsed, errors raised."""

    api_version = 'v2'

    def __init__(self, api_user=None, api_key=None, **options):
        super().__init__(api_key=api_key, **options)
        self.api_user = api_user or 'apikey'

    def call(self, endpoint, params, context=None):
        """POST to `<api_url>/<endpoint>.json` and return the parsed answer, or raise SendGridError (WriteBlocked
        for a write on a read-only client)."""
        check_v2(self.read_only, endpoint, params)
        context = dict(context or {}, endpoint=endpoint)
        form = dict(params, api_user=self.api_user, api_key=self._api_key)
        url = '%s/%s.json' % (self.api_url, endpoint)
        status, headers, content, retried = self.send('POST', url, context, data=form)
        try:
            return self._read(status, headers, content, context)
        except SendGridError as exc:
            exc.retried = retried
            raise

    def _read(self, status, headers, content, context):
        body = self.parse_json(status, headers, content, context)
        problem = api_error_message(body, self.secrets)
        if problem is not None:
            raise self.error(problem, status=status, api_message=problem, **context)
        if status >= 400:
            raise self.error(self.status_problem(status), status=status, **context)
        return body


def api_error_message(body, secrets=()):
    """SendGrid's error text when the body is one of the v2 error shapes (with any HTTP status), else None."""
    if isinstance(body, dict):
        if isinstance(body.get('error'), dict):
            return excerpt(body['error'].get('message') or json.dumps(body['error']), secrets)
        if 'error' in body:
            return excerpt(body['error'], secrets)
        message = body.get('message')
        if message == 'error':
            errors = body.get('errors') or ['error']
            text = '; '.join(str(e) for e in errors) if isinstance(errors, list) else str(errors)
            return excerpt(text, secrets, size=300)
        if message is not None and message != 'success':
            return excerpt(message, secrets)
        return None
    # A list or a bare value is no error shape: what the caller expected decides whether it is wrong.
    return None


def is_not_listed(exc):
    return isinstance(exc, SendGridError) and exc.api_message == NOT_LISTED
