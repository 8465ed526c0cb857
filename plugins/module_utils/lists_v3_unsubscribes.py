# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Web API v3 unsubscribe lists, global and per group: the only lists the API can also add to (can_add), and
that delete one address a request."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import NOT_FOUND, path_segment
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.groups import (
    address_problem, checked_items, group_problem, group_suppression_problem, groups_problem, match_group)
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import ADDED, DELETED, NOT_LISTED
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v3 import V3List, created_text

# Group names are listed in an error only up to this many, so a huge account does not flood the message.
GROUPS_NAMED = 10


def _added_problem(answer):
    if isinstance(answer, dict) and isinstance(answer.get('recipient_emails'), list):
        return None
    return '{"recipient_emails": [...]} was expected'


class AddingList(V3List):
    """A v3 list that deletes one address a request (no bulk delete, no delete-all) and adds in bulk."""

    supports_delete_all = False
    bulk_delete = False
    can_add = True
    add_path = ''

    def delete(self, email):
        # The service answers 204 whether the address was listed or not (sendgrid/docs#6194): the engine deletes
        # only addresses it has just read on the list, so 204 means deleted.
        answer = self._call('DELETE', '%s/%s' % (self.delete_path, path_segment(email)), email=email,
                            missing_ok=True)
        return NOT_LISTED if answer is NOT_FOUND else DELETED

    def add_many(self, emails):
        """Add up to batch_size addresses with one request."""
        if len(emails) > self.batch_size:
            raise SendGridError('an add of %d addresses is more than batch_size=%d' % (len(emails), self.batch_size),
                                list_name=self.name, user=self.user)
        self._call('POST', self.add_path, body={'recipient_emails': list(emails)}, expect=_added_problem)
        return [ADDED] * len(emails)

    @property
    def delete_path(self):
        return self.add_path


class Unsubscribes(AddingList):
    """The global unsubscribe list: read from suppression/unsubscribes, written through asm/suppressions/global."""

    path = 'suppression/unsubscribes'
    add_path = 'asm/suppressions/global'

    def record(self, raw):
        return {'email': raw['email'], 'created': created_text(raw['created'])}

    def records_of(self, email):
        """The global list has no single-address GET that gives the record: the listing narrowed to the address."""
        return list(self.list(Filters(email=email)))


class GroupUnsubscribes(AddingList):
    """The unsubscribes of one group, named by id or by name. The group is looked up before anything else, since
    adding to a group that does not exist puts the addresses on the global list instead."""

    def __init__(self, client, user=None, group=None, **options):
        # The path names the group's id, which only a request can tell: never read it here.
        options['name'] = options.get('name') or 'group_unsubscribes'
        super().__init__(client, user=user, **options)
        # backends.check_group has checked the value.
        self.group = group.strip() if isinstance(group, str) else group

    @property
    def path(self):
        return 'asm/groups/%s/suppressions' % self.resolve_group()

    @property
    def add_path(self):
        return self.path

    def resolve_group(self):
        """The group's id, checked to exist for this account (or user) before any write."""
        if self.group_id is None:
            self.use_group(self._find_group())
        return self.group_id

    def use_group(self, group):
        """The group as SendGrid answered it (id, name, description), read by the caller: not read again."""
        self.group_id, self.group_name, self.group_description = group['id'], group['name'], group.get('description')

    def _find_group(self):
        """The group, as SendGrid answers it (id, name, description), read once."""
        who = ' of user %s' % self.user if self.user else ''
        text = str(self.group)
        if isinstance(self.group, int) or (text.isascii() and text.isdigit()):
            answer = self._call('GET', 'asm/groups/%s' % path_segment(int(text)), missing_ok=True,
                                expect=group_problem)
            if answer is NOT_FOUND:
                raise SendGridError('the unsubscribe group %s does not exist%s; nothing was changed (adding to it '
                                    'would put the addresses on the global list instead)' % (text, who),
                                    list_name=self.name, user=self.user)
            return answer
        groups = self._call('GET', 'asm/groups', expect=groups_problem)
        named = match_group(groups, text)
        if len(named) == 1:
            return named[0]
        if named:
            raise SendGridError('%d unsubscribe groups%s are named %r (ids %s): name the group by its id' % (
                len(named), who, text, ', '.join(str(g['id']) for g in named)), list_name=self.name, user=self.user)
        known = ', '.join('%s (%d)' % (g['name'], g['id']) for g in groups[:GROUPS_NAMED])
        raise SendGridError('no unsubscribe group%s is named %r; nothing was changed. The groups are: %s%s' % (
            who, text, known or 'none', ', ...' if len(groups) > GROUPS_NAMED else ''),
            list_name=self.name, user=self.user)

    def list(self, filters=None):
        """Every matching address. The group endpoint does not page and gives no times: a time filter reads the
        account's group suppressions instead, which carry them."""
        filters = filters or Filters()
        group_id = self.resolve_group()
        if filters.limit == 0:
            return
        tag = {'group_id': group_id, 'group_name': self.group_name}
        # Both answers are unpaged arrays, read as they arrive: a group of a million addresses is never held whole.
        if not filters.times:
            records = (dict(tag, email=email) for email in checked_items(
                self.client, self.path, address_problem, self.user, list_name=self.name))
        else:
            records = (dict(tag, email=row['email'], created=created_text(row['created_at']))
                       for row in checked_items(self.client, 'asm/suppressions', group_suppression_problem,
                                                self.user, list_name=self.name)
                       if row['group_id'] == group_id)
        yield from filters.narrowed(records)
