# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: bounce_classifications
short_description: Why SendGrid bounces happen, day by day, of one user or many
version_added: 2.0.0
author:
  - mailops.sendgrid developers (@mailops)
description:
  - Reads SendGrid's bounce classifications through Web API v3 (C(/v3/suppression/bounces/classifications)), each
    day's bounces counted by the classification SendGrid gives them (C(Invalid Address), C(Mailbox Unavailable),
    C(Reputation) and so on). With O(classification), that classification's bounces counted by recipient domain.
  - Returns flat rows, one per user, day and classification (or domain), easy to sum, filter and sort with Ansible's
    filters; days come oldest first, each user's rows together, in the order the users were asked.
  - Of the account, of O(user), or of many users in one call (O(users), O(subusers)), up to O(concurrency) users at
    once under one rate pace.
  - The counts tell where to look; SendGrid does not return a classification with the bounce records, so a cleanup by
    domain and status chosen from them is an approximation (see the bulk cleanup guide).
  - A keyword argument that is no option of this lookup (a typo) is an error naming the closest option, before any
    request. Web API v2 has no classifications; O(api_version=v2) is an error before any request.
options:
  user:
    description:
      - A subuser or reseller customer, sent as C(on-behalf-of). Without it (and without O(users) and O(subusers)),
        the account's own bounces. Cannot be combined with O(users) or O(subusers).
    type: str
  users:
    description: Several subusers or customers by name, each asked on its own.
    type: list
    elements: str
  subusers:
    description:
      - Every subuser whose username starts with C(username) (all when unset), with C(include_disabled) the disabled
        ones too.
    type: dict
  include_account:
    description: With O(users) or O(subusers), the account's own bounces too (its rows have C(user) V(null)).
    type: bool
    default: false
  classification:
    description:
      - One classification, whose bounces are counted by recipient domain instead, spelled as SendGrid spells it,
        one of V(Content), V(Frequency or Volume Too High), V(Invalid Address), V(Mailbox Unavailable),
        V(Reputation), V(Technical Failure), V(Unclassified).
    type: str
  start_date:
    description: The first day counted, C(YYYY-MM-DD) (UTC); not later than O(end_date).
    type: str
  end_date:
    description: The last day counted, C(YYYY-MM-DD) (UTC), included.
    type: str
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.plugins
  - mailops.sendgrid.sendgrid.vars
seealso:
  - module: mailops.sendgrid.sendgrid_bounce_purge
  - module: mailops.sendgrid.sendgrid_suppression_cleanup
  - ref: ansible_collections.mailops.sendgrid.docsite.bulk_cleanup
    description: From the classifications to a cleanup by domain and status.
"""

EXAMPLES = r"""
- name: How the account's bounces of June 2024 were classified
  ansible.builtin.debug:
    msg: "{{ item.date }} {{ item.classification }}: {{ item.count }}"
  loop: "{{ query('mailops.sendgrid.bounce_classifications', start_date='2024-06-01', end_date='2024-06-30') }}"

- name: The domains behind the invalid addresses of every tenant subuser, most bounces first
  ansible.builtin.debug:
    msg: "{{ rows | sort(attribute='count', reverse=true) | map(attribute='domain') | unique | list }}"
  vars:
    rows: "{{ query('mailops.sendgrid.bounce_classifications', classification='Invalid Address',
                    subusers={'username': 'tenant-'}) }}"
"""

RETURN = r"""
_list:
  description: One row per user, day and classification (per user, day and domain with O(classification)).
  type: list
  elements: dict
  contains:
    user:
      description: The subuser or customer, or V(null) for the account.
      type: str
    date:
      description: The day, C(YYYY-MM-DD).
      type: str
    classification:
      description: SendGrid's classification of these bounces.
      type: str
    domain:
      description: The recipients' domain, with O(classification); else V(null).
      type: str
    count:
      description: How many bounces.
      type: int
"""

from ansible.errors import AnsibleLookupError, AnsibleOptionsError
from ansible.plugins.lookup import LookupBase

from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client
from ansible_collections.mailops.sendgrid.plugins.module_utils.bounce_classifications import (
    fleet_rows, query_problem, user_rows)
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError, require_v3
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import (
    OptionError, Options, check_known, read_api_version)
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import fleet_users
from ansible_collections.mailops.sendgrid.plugins.plugin_utils.unsafe import make_unsafe

NAME = 'mailops.sendgrid.bounce_classifications'
NOT_OPTIONS = ('batch_size',)
SUBUSERS_KEYS = ('username', 'include_disabled')


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        try:
            self.set_options(var_options=variables, direct=kwargs)
            check_known(kwargs, self._options, 'keyword')
            if terms:
                raise OptionError('takes no terms, got %s: name the users with user, users or subusers' % (terms,))
            query = self._query()
            chosen = self._chosen()
            require_v3(read_api_version(self.get_option), 'reading bounce classifications', 'classifications endpoint')
            options = Options.read(self.get_option, absent=NOT_OPTIONS)
            client = open_client(options, read_only=True)
            if chosen is None:
                rows = user_rows(client, self.get_option('user'), **query)
            else:
                rows = fleet_rows(client, options, fleet_users(client, *chosen), self.get_option('concurrency'),
                                  **query)
        except (AnsibleOptionsError, OptionError, SendGridError) as exc:
            raise AnsibleLookupError('%s: %s' % (NAME, exc)) from None
        return make_unsafe(rows)

    def _query(self):
        query = {name: self.get_option(name) for name in ('classification', 'start_date', 'end_date')}
        problem = query_problem(**query)
        if problem:
            raise OptionError(problem)
        return query

    def _chosen(self):
        """(users, subusers, include_account) of a question to many users, or None for one user."""
        user, users, subusers = self.get_option('user'), self.get_option('users'), self.get_option('subusers')
        if user is not None and (not isinstance(user, str) or not user.strip()):
            raise OptionError('user must not be empty or blank, got %r: omit it for the account' % (user,))
        if users is None and subusers is None:
            if self.get_option('include_account'):
                raise OptionError('include_account needs users or subusers: without them the account is asked')
            return None
        if user is not None:
            raise OptionError('user cannot be combined with users or subusers')
        if any(not isinstance(name, str) or not name.strip() for name in users or []):
            raise OptionError('users must be names of subusers or customers, none empty, got %r' % (users,))
        if subusers is not None:
            check_known(subusers, SUBUSERS_KEYS, 'key of subusers')
            if not isinstance(subusers.get('include_disabled', False), bool):
                raise OptionError('subusers.include_disabled must be true or false')
        return users, subusers, self.get_option('include_account')
