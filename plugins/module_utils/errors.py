# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one error every layer raises for a failed call, and what it tells the layers above about the run."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.masking import mask
from ansible_collections.mailops.sendgrid.plugins.module_utils.constants import RETRY_STATUSES


class OptionError(ValueError):
    """A name or value that breaks a rule; the text names the option and the rule."""


class SendGridError(Exception):
    """A failed call: what was asked (list, user, email, endpoint) and what SendGrid said, never a secret."""

    def __init__(self, message, list_name=None, user=None, email=None, status=None, api_message=None,
                 endpoint=None, secrets=(), unreachable=False, malformed=False):
        self.secrets = tuple(s for s in secrets if s)
        self.list_name = list_name
        self.user = user
        self.email = email
        self.status = status
        self.api_message = self.scrub(api_message) if api_message is not None else None
        self.endpoint = endpoint
        self.retried = False     # set when the answer came after retries: the first attempt may have landed
        self.unreachable = unreachable   # no answer at all: the service is down, refused, unknown or untrusted
        self.malformed = malformed       # an answer of the wrong shape: the server does not speak this API
        self.reason = self.scrub(message)
        super().__init__(self.describe())

    def scrub(self, text):
        return mask(text, self.secrets)

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
        """True when every further request would fail the same way (no service, refused credentials or user,
        a redirect away from api_url)."""
        return self.unreachable or self.malformed or self.status in (401, 403) or \
            (self.status is not None and 300 <= self.status < 400)

    @property
    def exhausted_retries(self):
        """True when the service kept answering 429 or 5xx through every retry."""
        return self.status in RETRY_STATUSES

    def with_context(self, **context):
        """The same error with the list, user or email it concerns filled in."""
        values = dict(list_name=self.list_name, user=self.user, email=self.email, status=self.status,
                      api_message=self.api_message, endpoint=self.endpoint, unreachable=self.unreachable,
                      malformed=self.malformed)
        values.update({k: v for k, v in context.items() if v is not None})
        error = SendGridError(self.reason, secrets=self.secrets, **values)
        error.retried = self.retried
        return error

    def to_dict(self):
        return {'message': str(self), 'list': self.list_name, 'user': self.user, 'email': self.email,
                'status': self.status, 'api_message': self.api_message}


def require_v3(api_version, feature, missing):
    """Refuse Web API v2, before any request, for what SendGrid serves only through v3; one wording for all:
    `<feature> needs api_version v3: Web API v2 has no <missing>`."""
    if api_version != 'v3':
        raise SendGridError('%s needs api_version v3: Web API v2 has no %s' % (feature, missing))
