# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The subusers (and reseller customers) under an account, from `GET /v3/subusers`, paged with the same guards
as the suppression lists."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import regional_clients
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import (
    DEPTH_REASON, MAX_RECORDS, check_advance, check_paging_depth, records_problem)
from ansible_collections.mailops.sendgrid.plugins.module_utils.constants import DEFAULT_REGION, REGIONS
from ansible_collections.mailops.sendgrid.plugins.module_utils.parallel import in_order

ENDPOINT = 'GET v3/subusers'
MAX_PAGE_SIZE = 500


def subusers_problem(answer):
    return records_problem(answer, what='subuser', key='username', meaning='username')


def _region(value):
    """A subuser's region as the API names it; a subuser not pinned to one is `global`, as the document says."""
    return value if value in REGIONS else DEFAULT_REGION


class Subusers:
    """The subusers a v3 client's account can act for, as {id, username, email, disabled, region}."""

    name = 'subusers'
    max_records = MAX_RECORDS
    depth_reason = DEPTH_REASON

    def __init__(self, client):
        if client.api_version != 'v3':
            raise SendGridError('api_version must be v3: Web API v2 cannot list subusers')
        self.client = client

    def read(self, username=None, page_size=MAX_PAGE_SIZE, region=None):
        """Every subuser whose username starts with `username` (case-insensitive, on the server), of `region`
        (global or eu; every region when None), page by page, each with its region."""
        offset, previous = 0, None
        params = {'username': username} if username else {}
        params.update(include_region='true', **({'region': region} if region else {}))
        while True:
            check_paging_depth(self, offset, ENDPOINT)
            page = self.client.call('GET', 'subusers', params=dict(params, limit=page_size, offset=offset))
            problem = subusers_problem(page)
            if problem:
                raise self.client.unexpected(problem, page, endpoint=ENDPOINT)
            previous = check_advance(self, previous, page, offset, ENDPOINT)
            for item in page:
                yield {'id': item.get('id'), 'username': item['username'], 'email': item.get('email'),
                       'disabled': bool(item.get('disabled')), 'region': _region(item.get('region'))}
            if len(page) < page_size:
                return
            offset += page_size


def selected(client, selection):
    """The subusers of a task's `subusers` selection ({username: prefix, include_disabled}), in the API's order."""
    return [subuser for subuser in Subusers(client).read(selection.get('username'))
            if selection.get('include_disabled') or not subuser['disabled']]


def fleet_users(client, users=None, subusers=None, include_account=False):
    """The users a fleet question asks, in order, each {'user', 'region'}: the account (user None) first when
    asked, the named `users`, then the `subusers` selection (username prefix, include_disabled), each once."""
    chosen = [{'user': None, 'region': None}] if include_account else []
    seen = set()
    for name in users or []:
        if name.lower() not in seen:
            seen.add(name.lower())
            chosen.append({'user': name, 'region': None})
    if subusers is not None:
        for subuser in selected(client, subusers):
            if subuser['username'].lower() not in seen:
                seen.add(subuser['username'].lower())
                chosen.append({'user': subuser['username'], 'region': subuser['region']})
    return chosen


def each_subuser(client, options, selection, concurrency, manage):
    """manage(client of its region, username) for each subuser of the `selection`, `concurrency` at a time under
    the clients' shared pacer, in the API's order. A user that fails, or that a stop left unasked, is told in its
    own entry {user, changed: false, failed: true, msg}; the others go on."""
    client_for = regional_clients(options, client)

    def one(subuser):
        try:
            return manage(client_for(subuser['region']), subuser['username'])
        except SendGridError as exc:
            return {'user': subuser['username'], 'changed': False, 'failed': True, 'msg': str(exc)}

    def not_asked(subuser):
        return {'user': subuser['username'], 'changed': False, 'failed': True, 'msg': 'not asked: the run was stopped'}
    return list(in_order(one, selected(client, selection), concurrency, not_asked))
