# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The factory, the one place that knows there are two API versions: options -> the client of `api_version`, and
a list name -> the catalogue's list object on that client. Above it, everything speaks the list interface."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.constants import DEFAULT_BATCH_SIZE

CLIENTS = {'v2': ClientV2, 'v3': ClientV3}


def open_client(options, read_only=False):
    """The client of `options.api_version` (an options.Options, checked before any request). A `read_only` client
    (check mode, a dry run, a lookup, the inventory) raises write_guard.WriteBlocked for any write, unsent."""
    return CLIENTS[options.api_version](read_only=read_only, **options.connection)


def open_list(client, name, user=None, group=None, batch_size=DEFAULT_BATCH_SIZE):
    """The list called `name` of `user` (group lists: of `group`) on the client's API version, its rules checked
    before any request. A user is passed on only where the list takes one on that version."""
    kind = catalogue.find(name)
    version = client.api_version
    catalogue.check(kind, version, user, group)
    user = user if kind.takes_user(version) else None
    cls = kind.classes[version]
    if version == 'v2':
        return cls(client, user)
    options = dict(user=user, name=kind.name, description=kind.description, batch_size=batch_size)
    if kind.groups:
        options['group'] = group
    return cls(client, **options)


def open_lists(options, selection, read_only=False):
    """(client, [list objects]) for `selection`, an iterable of (name, user, group), all checked before the first
    request."""
    client = open_client(options, read_only=read_only)
    return client, [open_list(client, name, user, group, batch_size=options.batch_size)
                    for name, user, group in selection]


def regional_clients(options, client):
    """client_for(region): the client to manage a user of `region` through (see Options.for_region), one per
    API URL, read-only when `client` is; `client` serves the task's own URL and users of no known region."""
    by_url = {options.connection['api_url']: client}

    def client_for(region):
        regional = options.for_region(region) if region else options
        url = regional.connection['api_url']
        if url not in by_url:
            by_url[url] = open_client(regional, read_only=client.read_only)
        return by_url[url]
    return client_for
