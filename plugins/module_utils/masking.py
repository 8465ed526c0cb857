# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Masking secrets in any text that may reach a user: in every form a server may echo them, before any cut."""

from __future__ import annotations

import html
import json
from urllib.parse import quote, quote_plus

MASK = '********'
EXCERPT = 120


def secret_forms(secret):
    """The spellings a secret may come back in: as sent, URL-encoded (both ways), JSON-escaped, HTML-escaped."""
    forms = {secret, quote(secret, safe=''), quote_plus(secret, safe=''), json.dumps(secret)[1:-1],
             json.dumps(secret, ensure_ascii=False)[1:-1], html.escape(secret, quote=True)}
    # The longest first, so a form that contains another is masked whole.
    return tuple(sorted((form for form in forms if form), key=len, reverse=True))


class Masker:
    """The forms of some secrets, worked out once, for masking many texts (every record of a long list)."""

    def __init__(self, secrets):
        self.forms = tuple(form for secret in secrets if secret for form in secret_forms(secret))

    def __call__(self, text):
        if not isinstance(text, str):
            return text
        for form in self.forms:
            if form in text:
                text = text.replace(form, MASK)
        return text


def mask(text, secrets):
    """`text` with every form of every secret replaced by MASK."""
    return Masker(secrets)(str(text))


def excerpt(text, secrets, size=EXCERPT):
    """At most `size` characters of `text`, masked first: a cut can never leave part of a secret behind."""
    text = ' '.join(mask(text, secrets).split())
    return text if len(text) <= size else text[:size] + '...'
