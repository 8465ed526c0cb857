# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The read-only rule: a client opened for check mode, a dry run, a lookup or the inventory refuses every write
before it leaves the process, so no module, however written, can change data under `--check`.

An operation is told by what it does, never by its HTTP method alone: every Web API v2 call is a POST, reads
included, and v3 searches a group with a POST. Reads are listed; anything else counts as a write (fail safe)."""

from __future__ import annotations

import re

# v2: the operation is the endpoint's own word after the dot (api/invalidemails.get), or for the endpoints that
# take a `task` (apiv2/reseller.manage, apiv2/reseller.subuserManage, api/distributor.manage) that task.
V2_READS = frozenset(('get', 'count'))
V2_TASK_ENDPOINTS = frozenset(('manage', 'subuserManage'))
# v3: a GET reads; so does a POST to one of these paths (the request body is a query, not a change).
V3_READ_METHODS = frozenset(('GET',))
V3_POST_READS = (re.compile(r'asm/groups/[^/]+/suppressions/search'),)


class WriteBlocked(Exception):
    """A write asked of a read-only client. Never a SendGridError: nothing that handles a failed request (a
    record counted failed, a user skipped) may swallow it; it ends the task."""

    def __init__(self, operation):
        self.operation = operation
        super().__init__(
            'write blocked in check mode: %s changes data, and this task opened its client read-only (check mode, '
            'a dry run, or a plugin that only reads); nothing was sent. This is a bug in mailops.sendgrid: please '
            'report it' % operation)


def v2_operation(endpoint, params):
    """The operation a v2 call performs: `get`, `count`, `delete`, ... ('' when it names none)."""
    name = endpoint.rstrip('/').rsplit('/', 1)[-1]
    word = name.rpartition('.')[2] if '.' in name else ''
    if word in V2_TASK_ENDPOINTS:
        return str((params or {}).get('task') or '')
    return word


def is_v2_read(endpoint, params):
    return v2_operation(endpoint, params) in V2_READS


def is_v3_read(method, path):
    method = str(method).upper()
    if method in V3_READ_METHODS:
        return True
    path = str(path).split('?', 1)[0].strip('/')
    return method == 'POST' and any(pattern.fullmatch(path) for pattern in V3_POST_READS)


def check_v2(read_only, endpoint, params):
    """Raise WriteBlocked when a read-only client is asked a v2 call that is not a read."""
    if read_only and not is_v2_read(endpoint, params):
        operation = v2_operation(endpoint, params)
        raise WriteBlocked('POST %s%s' % (endpoint, ' (task %s)' % operation if operation else ''))


def check_v3(read_only, method, path):
    """Raise WriteBlocked when a read-only client is asked a v3 request that is not a read."""
    if read_only and not is_v3_read(method, path):
        raise WriteBlocked('%s v3/%s' % (str(method).upper(), str(path).split('?', 1)[0]))
