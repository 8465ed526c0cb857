# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one place that knows there are two API versions: the client and the lists of the chosen `api_version`.
Above it, modules, the lookup and the role speak only the list interface."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.client import Client
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.http_core import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists import LISTS, open_list as open_v2_list
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v3 import (
    DEFAULT_BATCH_SIZE, V3_NAMES, V3_ONLY, open_v3_list)

API_VERSIONS = ('v3', 'v2')
DEFAULT_API_VERSION = 'v3'
MAX_BATCH_SIZE = 1000


def api_version(get):
    version = get('api_version')
    if version is None:
        return DEFAULT_API_VERSION
    if version not in API_VERSIONS:
        raise SendGridError('api_version must be v3 or v2, got %r' % (version,))
    return version


def batch_size(get):
    value = get('batch_size')
    if value is None:
        return DEFAULT_BATCH_SIZE
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_BATCH_SIZE:
        raise SendGridError('batch_size must be an integer from 1 to %d, got %r' % (MAX_BATCH_SIZE, value))
    return value


def open_client(get):
    """The client of the api_version that `get(name)` names, its options checked before any request."""
    version = api_version(get)
    size = batch_size(get)
    client = (ClientV3 if version == 'v3' else Client).from_options(get)
    client.batch_size = size
    return client


def check_list_version(version, name):
    """A list the v2 API never had is refused on v2, before any request."""
    if version == 'v2' and name in V3_ONLY:
        raise SendGridError('the list %s needs api_version v3: Web API v2 has no %s endpoints' % (
            name, name.replace('_', ' ')))


def open_suppression_list(client, name, user=None):
    """The list called `name` (a seeds' list name, or a v3 list) of `user`, on the client's API version."""
    if isinstance(client, ClientV3):
        return open_v3_list(client, name, user, batch_size=getattr(client, 'batch_size', DEFAULT_BATCH_SIZE))
    check_list_version('v2', name)
    return open_v2_list(client, name, user)


def list_names():
    return sorted(set(LISTS) | set(V3_NAMES))


def needs_user(version, name):
    """Whether the list `name` needs a user on that API version (None for an unknown list)."""
    if version == 'v3':
        return V3_NAMES[name][1] if name in V3_NAMES else None
    return LISTS[name].needs_user if name in LISTS else None


def list_description(name):
    return LISTS[name].description if name in LISTS else V3_NAMES[name][2] if name in V3_NAMES else name
