# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The values every layer reads: defaults, bounds, the API versions, the regions and their URLs, the statuses that
are retried. A leaf: it imports nothing of the collection, so the lowest layer can reach it without climbing."""

from __future__ import annotations

DEFAULT_API_URL = 'https://api.sendgrid.com'
DEFAULT_TIMEOUT = 30
DEFAULT_MAX_RETRIES = 5
DEFAULT_CONCURRENCY = 8
DEFAULT_BATCH_SIZE = 500
API_VERSIONS = ('v3', 'v2')
DEFAULT_API_VERSION = 'v3'
# SendGrid's own API URL for each region: EU subusers are managed through the EU one.
REGION_URLS = {'global': DEFAULT_API_URL, 'eu': 'https://api.eu.sendgrid.com'}
DEFAULT_REGION = 'global'
REGIONS = tuple(REGION_URLS)
# Upper bounds, with the rule each error names.
MAX_BATCH_SIZE = 1000
MAX_TIMEOUT = 3600
MAX_RETRIES = 20
MAX_CONCURRENCY = 64
# Answers retried with back-off (rate limited, or the service failing for a moment).
RETRY_STATUSES = (429, 500, 502, 503, 504)
