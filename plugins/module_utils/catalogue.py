# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""THE table of suppression lists: every fact about which lists exist is here, and everything else reads it."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError, require_v3
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v2 import (
    AccountInvalidEmails, CustomerBounces, CustomerInvalidEmails, SubuserBounces)
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v3 import (
    Blocks, Bounces, InvalidEmails, SpamReports)
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v3_unsubscribes import (
    GroupUnsubscribes, Unsubscribes)

# What a list does with `user` on one API version.
NO_USER = 'none'            # always the account's own list; a user given is not sent
OPTIONAL_USER = 'optional'  # the account's own list, or with a user that customer's or subuser's (on-behalf-of)
NEEDS_USER = 'required'     # always a customer's or a subuser's


class ListKind:
    """One suppression list: its name, its class and user rule on each API version (no v2 class: v3 only),
    whether it is one unsubscribe group's, whether its records are people's consent (an opt-out) rather than
    delivery failures, and the module that manages it (with the parameters that choose it)."""

    def __init__(self, name, description, v3, v3_user, v2=None, v2_user=None, groups=False, module=None,
                 chosen_when=None, consent=False):
        self.name = name
        self.description = description
        self.classes = {'v3': v3, 'v2': v2}
        self.users = {'v3': v3_user, 'v2': v2_user}
        self.groups = groups
        self.consent = consent
        self.module = module
        self.chosen_when = chosen_when or (lambda params: True)

    def available_on(self, version):
        return self.classes[version] is not None

    def needs_user(self, version):
        return self.users[version] == NEEDS_USER

    def takes_user(self, version):
        return self.users[version] not in (None, NO_USER)

    def __repr__(self):
        return 'ListKind(%s)' % self.name


CATALOGUE = (
    ListKind('invalid_emails', "the account's own invalid emails", InvalidEmails, NO_USER,
             AccountInvalidEmails, NO_USER, module='sendgrid_invalid_email',
             chosen_when=lambda params: not params.get('user')),
    ListKind('customer_invalid_emails', "a reseller customer's invalid emails", InvalidEmails, NEEDS_USER,
             CustomerInvalidEmails, NEEDS_USER, module='sendgrid_invalid_email',
             chosen_when=lambda params: bool(params.get('user'))),
    ListKind('customer_bounces', "a customer's bounces", Bounces, NEEDS_USER,
             CustomerBounces, NEEDS_USER, module='sendgrid_subuser_bounce',
             chosen_when=lambda params: params.get('bounce_list') == 'customer'),
    ListKind('subuser_bounces', "a subuser's bounces, or the account's own without a user (v3)", Bounces,
             OPTIONAL_USER, SubuserBounces, NEEDS_USER, module='sendgrid_subuser_bounce',
             chosen_when=lambda params: params.get('bounce_list') != 'customer'),
    ListKind('blocks', 'blocks, of the account or of a user', Blocks, OPTIONAL_USER, module='sendgrid_block'),
    # Opt-outs: a person said "stop sending to me". Removed by rule only when a run says so (consent.py).
    ListKind('spam_reports', 'spam reports, of the account or of a user', SpamReports, OPTIONAL_USER,
             module='sendgrid_spam_report', consent=True),
    ListKind('unsubscribes', 'global unsubscribes, of the account or of a user', Unsubscribes, OPTIONAL_USER,
             module='sendgrid_unsubscribe', chosen_when=lambda params: params.get('group') is None, consent=True),
    ListKind('group_unsubscribes', 'the unsubscribes of one group (group), of the account or of a user',
             GroupUnsubscribes, OPTIONAL_USER, groups=True, module='sendgrid_unsubscribe',
             chosen_when=lambda params: params.get('group') is not None, consent=True),
)
BY_NAME = {kind.name: kind for kind in CATALOGUE}


def list_names():
    return sorted(BY_NAME)


def opt_out_lists():
    """The lists whose records are people's consent, not delivery failures."""
    return sorted(kind.name for kind in CATALOGUE if kind.consent)


def find(name):
    """The ListKind called `name`, or an error naming every list."""
    if not isinstance(name, str) or name not in BY_NAME:
        raise SendGridError('unknown list %r: choose one of %s' % (name, ', '.join(list_names())))
    return BY_NAME[name]


def for_module(module_name, params):
    """The list a module manages with these parameters."""
    return next(kind for kind in CATALOGUE if kind.module == module_name and kind.chosen_when(params))


def check(kind, version, user=None, group=None):
    """The rules of one list on one API version, before any request: there at all, its user, its group."""
    if not kind.available_on(version):
        require_v3(version, 'the list %s' % kind.name, '%s endpoints' % kind.name.replace('_', ' '))
    if kind.needs_user(version) and not user:
        raise SendGridError('user is required for the list %s (%s)' % (kind.name, kind.description))
    check_group(kind, group)


def check_group(kind, group):
    """A group list needs its group, an id or a name; no other list takes one."""
    if kind.groups and (isinstance(group, bool) or not isinstance(group, (int, str)) or not str(group).strip()
                        or (isinstance(group, int) and group < 0)):
        raise SendGridError('the list %s needs group: group must be a group id (an integer of 0 or more) or a group '
                            'name, got %r' % (kind.name, group))
    if not kind.groups and group is not None:
        raise SendGridError('group applies only to the list group_unsubscribes, not to %s' % kind.name)
