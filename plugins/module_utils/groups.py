# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unsubscribe groups themselves (Web API v3 `asm/groups`): found by name as every plugin finds them, created,
updated and deleted within the limits SendGrid documents, checked before any request."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import NOT_FOUND, path_segment
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v3 import MAX_UNIX_TIME

# SendGrid's limits: 200 groups an account (or subuser), a name of 1 to 30 characters, a description up to 100.
MAX_GROUPS = 200
MAX_NAME = 30
MAX_DESCRIPTION = 100
GROUP_FIELDS = ('id', 'name', 'description', 'is_default')


def groups_problem(answer):
    if not isinstance(answer, list) or not all(
            isinstance(group, dict) and isinstance(group.get('id'), int) and isinstance(group.get('name'), str)
            for group in answer):
        return 'a list of groups (each with an integer "id" and a string "name") was expected'
    return None


def group_problem(answer):
    return groups_problem([answer])


def address_problem(item):
    """What is wrong with one element of a group's addresses (read as they arrive, one at a time)."""
    return None if isinstance(item, str) else 'a list of addresses was expected'


def group_suppression_problem(row):
    """What is wrong with one element of the account's group suppressions (a million of them in a big account:
    exact types, so that a bool is no id or time, checked at the least cost)."""
    try:
        if row['email'].__class__ is str and row['group_id'].__class__ is int and \
                row['created_at'].__class__ is int and 0 <= row['created_at'] <= MAX_UNIX_TIME:
            return None
    except (TypeError, KeyError, IndexError):
        pass
    return 'a list of group suppressions (each with "email", "group_id" and "created_at") was expected'


def checked_items(client, path, problem, user=None, **context):
    """Each element of the unpaged array at `path` (client.items: never held whole), checked by `problem`."""
    for item in client.items(path, on_behalf_of=user, context=dict(context, user=user)):
        reason = problem(item)
        if reason:
            raise client.unexpected(reason, item, user=user, endpoint='GET v3/%s' % path, **context)
        yield item


def _groups_of_address_problem(answer):
    rows = answer.get('suppressions') if isinstance(answer, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get('id'), int) for r in rows):
        return 'an object whose "suppressions" lists the groups'
    return None


def match_group(groups, name):
    """The groups named `name`: exactly, else ignoring case; more than one means the name does not decide."""
    text = str(name)
    return [g for g in groups if g['name'] == text] or [g for g in groups if g['name'].lower() == text.lower()]


def shown(group):
    """A group as the modules return it."""
    return {'id': group['id'], 'name': group['name'], 'description': group.get('description') or '',
            'is_default': bool(group.get('is_default'))}


def check_group_fields(name=None, description=None):
    """The limits of a group's name and description, before any request."""
    if name is not None and (not name.strip() or len(name) > MAX_NAME):
        raise SendGridError('name must be 1 to %d characters (not blank), got %d: %r' % (MAX_NAME, len(name), name))
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise SendGridError('description must be at most %d characters, got %d' % (MAX_DESCRIPTION, len(description)))


class UnsubscribeGroups:
    """The unsubscribe groups of the account, or of the subuser or customer `user` (sent as on-behalf-of)."""

    def __init__(self, client, user=None):
        self.client, self.user = client, user

    def _call(self, method, path, expect=None, **kwargs):
        answer = self.client.call(method, path, on_behalf_of=self.user, context={'user': self.user}, **kwargs)
        problem = expect(answer) if expect and answer is not NOT_FOUND else None
        if problem:
            raise self.client.unexpected(problem, answer, user=self.user, endpoint='%s v3/%s' % (method, path))
        return answer

    def all(self):
        return self._call('GET', 'asm/groups', expect=groups_problem)

    def named(self, name, listing=None):
        """The one group called `name` (see match_group) among `listing` (read when not given), or None; two that
        match are refused, naming their ids."""
        found = match_group(self.all() if listing is None else listing, name)
        if len(found) > 1:
            who = ' of user %s' % self.user if self.user else ''
            raise SendGridError('%d unsubscribe groups%s are named %r (ids %s): rename one, or manage it by id in the '
                                'SendGrid UI' % (len(found), who, name, ', '.join(str(g['id']) for g in found)),
                                user=self.user)
        return found[0] if found else None

    def suppressions(self):
        """Every group suppression of the account, {email, group_id, group_name, created_at}: one request, read as
        it arrives."""
        return checked_items(self.client, 'asm/suppressions', group_suppression_problem, self.user)

    def of_address(self, email):
        """The groups that suppress `email`, each {id, name}."""
        answer = self._call('GET', 'asm/suppressions/%s' % path_segment(email), expect=_groups_of_address_problem)
        return [{'id': r['id'], 'name': r.get('name')} for r in answer['suppressions'] if r.get('suppressed') is True]

    def members(self, group_id):
        """How many addresses the group holds."""
        return sum(1 for dummy in checked_items(self.client, 'asm/groups/%s/suppressions' % path_segment(group_id),
                                                address_problem, self.user))

    def create(self, name, description, is_default):
        return self._call('POST', 'asm/groups', expect=group_problem,
                          body={'name': name, 'description': description, 'is_default': bool(is_default)})

    def update(self, group_id, changes):
        return self._call('PATCH', 'asm/groups/%s' % path_segment(group_id), body=changes)

    def delete(self, group_id):
        self._call('DELETE', 'asm/groups/%s' % path_segment(group_id))


def manage_group(groups, name, state='present', description=None, is_default=None, force=False, check_mode=False):
    """Bring the group called `name` to `state`: create it, update its description or default flag, or delete it
    (refused while it holds addresses, unless `force`). The module's result, with the group before and after."""
    check_group_fields(name, description)
    listing = groups.all()
    current = groups.named(name, listing)
    before = shown(current) if current else None
    if state == 'absent':
        if current is None:
            return _group_result(False, before, None)
        held = groups.members(current['id'])
        if held and not force:
            raise SendGridError(
                'the unsubscribe group %r (id %d) holds %d address(es); deleting it lets mail reach them again, and '
                'SendGrid moves later unsubscribes from that group\'s mail to the global list. Nothing was deleted: '
                'set force: true to delete it anyway' % (current['name'], current['id'], held), user=groups.user)
        if not check_mode:
            groups.delete(current['id'])
        return _group_result(True, before, None, held_addresses=held)
    if current is None:
        if description is None:
            raise SendGridError('description is required to create the unsubscribe group %r (SendGrid requires '
                                'one, up to %d characters)' % (name, MAX_DESCRIPTION), user=groups.user)
        if len(listing) >= MAX_GROUPS:
            raise SendGridError('the account%s already has %d unsubscribe groups, the most SendGrid allows: delete '
                                'one first' % (' of user %s' % groups.user if groups.user else '', MAX_GROUPS),
                                user=groups.user)
        wanted = {'id': None, 'name': name, 'description': description, 'is_default': bool(is_default)}
        if check_mode:
            return _group_result(True, None, wanted)
        return _group_result(True, None, shown(groups.create(name, description, bool(is_default))))
    changes = {key: value for key, value in (('description', description), ('is_default', is_default))
               if value is not None and value != before[key]}
    after = dict(before, **changes)
    if changes and not check_mode:
        groups.update(current['id'], changes)
    return _group_result(bool(changes), before, after)


def _group_result(changed, before, after, **extra):
    result = dict({'changed': changed, 'group': after if after is not None else before,
                   'diff': {'before': before or {}, 'after': after or {}}}, **extra)
    return result
