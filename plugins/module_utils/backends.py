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
    DEFAULT_BATCH_SIZE, Blocks, Bounces, InvalidEmails, SpamReports)
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v3_unsubscribes import (
    GroupUnsubscribes, Unsubscribes)

API_VERSIONS = ('v3', 'v2')
DEFAULT_API_VERSION = 'v3'
MAX_BATCH_SIZE = 1000

# The seeds' list names, each a v3 list read for `user` (on-behalf-of) where it names one: a v2 playbook runs
# unchanged on v3. On v3 `subuser_bounces` without a user is the account's own bounces.
# name: (class, needs a user, description)
V2_NAMES = {
    'invalid_emails': (InvalidEmails, False, "the account's own invalid emails"),
    'customer_invalid_emails': (InvalidEmails, True, "a reseller customer's invalid emails"),
    'customer_bounces': (Bounces, True, "a customer's bounces"),
    'subuser_bounces': (Bounces, False, "a subuser's bounces, or the account's own without a user"),
}
# The lists only Web API v3 has, of the account or of `user` (on-behalf-of).
V3_ONLY = {
    'blocks': (Blocks, False, "blocks, of the account or of a user"),
    'spam_reports': (SpamReports, False, "spam reports, of the account or of a user"),
    'unsubscribes': (Unsubscribes, False, "global unsubscribes, of the account or of a user"),
    'group_unsubscribes': (GroupUnsubscribes, False, "the unsubscribes of one group (group), of the account or of "
                                                     "a user"),
}
V3_NAMES = dict(V2_NAMES, **V3_ONLY)
# The lists that are one group's, named by `group` (an id or a name).
GROUP_LISTS = ('group_unsubscribes',)


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


def check_group(name, group):
    """A group list needs its group, an id or a name; no other list takes one."""
    if name in GROUP_LISTS and (isinstance(group, bool) or not isinstance(group, (int, str)) or not str(group).strip()
                                or (isinstance(group, int) and group < 0)):
        raise SendGridError('the list %s needs group: group must be a group id (an integer of 0 or more) or a group '
                            'name, got %r' % (name, group))
    if name not in GROUP_LISTS and group is not None:
        raise SendGridError('group applies only to the list group_unsubscribes, not to %s' % name)


def open_v3_list(client, name, user=None, batch_size=DEFAULT_BATCH_SIZE, group=None):
    if name not in V3_NAMES:
        raise SendGridError('unknown list %r: choose one of %s' % (name, ', '.join(sorted(V3_NAMES))))
    cls, required, description = V3_NAMES[name]
    if required and not user:
        raise SendGridError('user is required for the list %s (%s)' % (name, description))
    check_group(name, group)
    options = dict(user=user if name != 'invalid_emails' else None, name=name, description=description,
                   batch_size=batch_size)
    if name in GROUP_LISTS:
        options['group'] = group
    return cls(client, **options)


def open_suppression_list(client, name, user=None, group=None):
    """The list called `name` (a seeds' list name, or a v3 list) of `user`, on the client's API version."""
    if isinstance(client, ClientV3):
        return open_v3_list(client, name, user, batch_size=getattr(client, 'batch_size', DEFAULT_BATCH_SIZE),
                            group=group)
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
