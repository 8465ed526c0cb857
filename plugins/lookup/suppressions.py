# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: suppressions
short_description: List the records of SendGrid suppression lists, with filters, paging and a JMESPath query
version_added: 0.1.0
author:
  - mailops.sendgrid developers (@mailops)
description:
  - Reads one or more SendGrid suppression lists through Web API v3 (the default) or v2 (O(api_version)) and
    returns their records, each tagged with the C(list) and C(user) it came from. Records look alike from both
    versions; C(created) is C(YYYY-MM-DD HH:MM:SS) in UTC.
  - Reads the whole selection page by page (500 records a request where the endpoint pages), so memory stays flat.
  - Filters the endpoint cannot apply itself (for example O(days) on the reseller endpoints) are applied to the
    records as they arrive, with the same meaning, so every list answers a filter the same way.
  - Values that come from SendGrid are marked unsafe, so an address or reason is never evaluated as a template.
  - A keyword argument that is no option of this lookup (a typo such as C(domain) for O(domains)) is an error naming
    the closest option, before any request, since an ignored filter would widen the selection.
options:
  _terms:
    description:
      - The lists to read. V(invalid_emails) is the account's own invalid emails; V(customer_invalid_emails) a
        reseller customer's, V(customer_bounces) a customer's bounces (legacy distributor endpoint on v2) and
        V(subuser_bounces) a customer subuser's bounces, each for O(user). On O(api_version=v3), O(user) is sent as
        the C(on-behalf-of) header, and V(subuser_bounces) without a user is the account's own bounces.
      - On O(api_version=v3) also V(blocks), V(spam_reports), V(unsubscribes) (the global unsubscribe list) and
        V(group_unsubscribes) (the unsubscribes of the group O(group)), of the account or of O(user); they are
        refused on V(v2), which never had them. Spam reports carry C(ip) instead of C(reason); unsubscribes have
        only C(email) and C(created); group unsubscribes have C(email), C(group_id) and C(group_name).
      - A group list is read whole, since the API does not page it; with a date filter it is read, with its times,
        from the account's list of every group suppression (C(asm/suppressions)).
      - A term may also be a dictionary with keys C(list), C(user) and C(group), to read lists of several users or
        groups at once.
      - With no term and O(emails) set, the lookup tells each address's whole story instead, as
        M(mailops.sendgrid.sendgrid_suppression_info) does (one entry per address, in the order given, with
        C(email), C(user), C(suppressed), C(lists), C(records), C(groups), C(users) and C(complete), the lists
        named as the terms name them), on Web API v3; O(query) then applies to those entries, and the options that
        select records cannot be set.
    type: list
    elements: raw
  user:
    description:
      - The customer or subuser of the lists that need one, for terms that do not name their own.
    type: str
  group:
    description:
      - The unsubscribe group of V(group_unsubscribes) terms that do not name their own, by id or by name (matched
        exactly, else ignoring case). An unknown group is an error.
    type: raw
    version_added: 1.0.0
  days:
    description:
      - Only records created in the last O(days) days, today included. An integer greater than 0.
      - Cannot be combined with O(start_date) or O(end_date).
    type: int
  start_date:
    description:
      - Only records created on or after this day, C(YYYY-MM-DD); earlier than O(end_date).
    type: str
  end_date:
    description:
      - Only records created on or before this day, C(YYYY-MM-DD); later than O(start_date).
    type: str
  email:
    description:
      - Only the records of this address, compared case-insensitively.
    type: str
  limit:
    description:
      - At most this many records of each list (after O(offset)); 0 or more.
    type: int
  offset:
    description:
      - Skip this many matching records of each list first; 0 or more.
    type: int
    default: 0
  reason:
    description:
      - Only records whose reason matches this Python regular expression (searched, not anchored).
    type: str
  status:
    description:
      - Only bounces whose SMTP status starts with this prefix, for example V(5.) or V(5.1.1). Invalid emails have
        no status, so this selects none of them.
    type: str
  domains:
    description:
      - Only addresses in these domains (the part after the last C(@), compared case-insensitively). Addresses
        without a domain, such as C(brandon), match none.
    type: list
    elements: str
  emails:
    description:
      - Only these addresses, compared case-insensitively.
      - With no term, the addresses whose whole story to tell (see O(_terms)).
    type: list
    elements: str
  query:
    description:
      - A JMESPath expression applied to the records of all terms together, for example
        V([?reason=='Bad Syntax'].email). A list result is returned as it is; anything else as a one-item list.
      - Cannot be combined with O(count_only).
    type: str
  flag_shared_addresses:
    description:
      - Add to each returned record C(unselected_records), the number of other records of its list with the same
        address (compared as SendGrid compares addresses, ignoring the case of ASCII letters) that the filters,
        selectors and O(query) left out.
      - SendGrid deletes by address, so deleting a record whose C(unselected_records) is above 0 also deletes
        those records. The
        R(mailops.sendgrid.suppression_cleanup role,ansible_collections.mailops.sendgrid.suppression_cleanup_role)
        holds such addresses back.
      - Reads each list whole, once, and filters it here. O(query) must then return records.
    type: bool
    default: false
    version_added: 1.0.0
  max_records:
    description:
      - The most records the lookup reads, over all its terms, before it stops with an error naming this option.
        A list that never ends (a broken or hostile server) then fails in seconds instead of filling the memory.
      - 250,000 records take about 250 MB on the controller. From 1 to 10,000,000.
    type: int
    default: 250000
    version_added: 1.0.0
  count_only:
    description:
      - Return the number of matching records of each list instead of the records, from the C(count) endpoint
        where the list has one (the account's invalid emails with no filter other than a date range).
    type: bool
    default: false
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.plugins
  - mailops.sendgrid.sendgrid.vars
"""

EXAMPLES = r"""
# The connection comes from SENDGRID_API_KEY (and SENDGRID_API_URL), from the play variables sendgrid_api_key,
# sendgrid_api_url, ... or from the keyword arguments, in that order of precedence from the last.
- name: Every record of the account's invalid-email list
  ansible.builtin.debug:
    msg: "{{ query('mailops.sendgrid.suppressions', 'invalid_emails') }}"

- name: The addresses SendGrid found badly formed since 2024
  ansible.builtin.set_fact:
    bad_syntax: >-
      {{ lookup('mailops.sendgrid.suppressions', 'invalid_emails', start_date='2024-01-01',
                query="[?reason=='Bad Syntax'].email", wantlist=true) }}

- name: Bounces of two subusers, one task each record
  ansible.builtin.debug:
    msg: "{{ item.user }} {{ item.email }} {{ item.status }}"
  loop: >-
    {{ query('mailops.sendgrid.suppressions',
             {'list': 'subuser_bounces', 'user': 'subuser@example.com'},
             {'list': 'subuser_bounces', 'user': 'tenant-42'}) }}

- name: Who unsubscribed from the newsletter group of a subuser this year
  ansible.builtin.debug:
    msg: >-
      {{ query('mailops.sendgrid.suppressions', 'group_unsubscribes', group='Newsletters', user='tenant-42',
               start_date='2025-01-01') | map(attribute='email') }}

- name: Where two addresses are held, every list and group, from a template (the list-free form)
  ansible.builtin.debug:
    msg: >-
      {{ query('mailops.sendgrid.suppressions', emails=['complainer@example.com', 'reader@example.com'],
               query='[?suppressed].{email: email, lists: lists, groups: groups[].name}') }}

- name: How many invalid emails the account has from 2024 on, with a longer timeout set as a play variable
  ansible.builtin.debug:
    msg: >-
      {{ lookup('mailops.sendgrid.suppressions', 'invalid_emails', count_only=true, start_date='2024-01-01') }}
  vars:
    sendgrid_timeout: 60
"""

RETURN = r"""
_raw:
  description:
    - The records of every term, in list order, each a dictionary with the fields SendGrid returns and the list and
      user it came from; or the result of O(query); or with O(count_only=true) one number per term.
    - With no term and O(emails), one entry per address as M(mailops.sendgrid.sendgrid_suppression_info) returns
      in C(addresses).
  type: list
  elements: raw
  contains:
    email:
      description: The address, as listed.
      type: str
    reason:
      description: Why SendGrid listed it.
      type: str
    status:
      description: The SMTP status, for bounces and blocks only.
      type: str
    ip:
      description: The sending IP address, for spam reports only (v3).
      type: str
    created:
      description: When it was listed, C(YYYY-MM-DD HH:MM:SS). Group unsubscribes have it only when a date filter
        is set.
      type: str
    group_id:
      description: The group's id, for group unsubscribes only.
      type: int
    group_name:
      description: The group's name, for group unsubscribes only.
      type: str
    list:
      description: The list the record is on, a term name.
      type: str
    user:
      description: The customer or subuser whose list it is, or V(null) for the account's own.
      type: str
"""

try:
    import jmespath
except ImportError:
    jmespath = None

from ansible.errors import AnsibleLookupError, AnsibleOptionsError
from ansible.plugins.lookup import LookupBase

from collections import Counter

from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue
from ansible_collections.mailops.sendgrid.plugins.module_utils.address_info import address_info
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client, open_lists
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import MAX_RECORDS
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import (
    OptionError, Options, check_known, read_api_version)
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import FILTER_NAMES, Filters
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import (
    SELECTOR_NAMES, Selectors, are_records, count_selected, flag_shared, query_records, select)
from ansible_collections.mailops.sendgrid.plugins.plugin_utils.unsafe import make_unsafe


TERM_KEYS = ('list', 'user', 'group')
# What selects records of a list, and so has no meaning for an address's whole story.
# The shared options this lookup does not have: it deletes nothing.
NOT_OPTIONS = ('batch_size',)
# What an address's story does not take: its addresses are the story's `emails`, and it reads no selection.
STORY_REFUSED = ('group', 'flag_shared_addresses', 'count_only', 'max_records') + FILTER_NAMES + tuple(
    name for name in SELECTOR_NAMES if name != 'emails')


class RecordBudget:
    """The records one lookup may read, over all its terms: past max_records it stops with an error naming it."""

    def __init__(self, max_records):
        self.max_records = max_records
        self.read = 0

    def bound_paging(self, suppression_list):
        # Paging stops at the same depth, so a list whose records the filters drop cannot run on either.
        suppression_list.max_records = self.max_records
        suppression_list.depth_reason = self._reason()

    def spend(self, records):
        for record in records:
            self.read += 1
            if self.read > self.max_records:
                raise OptionError('more than %s' % self._reason())
            yield record

    def _reason(self):
        return ('max_records=%d records were read: narrow the selection, or raise max_records if the controller '
                'has the memory' % self.max_records)


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        try:
            self.set_options(var_options=variables, direct=kwargs)
            # Ansible ignores a keyword no option has: a misspelled filter would widen the selection.
            check_known(kwargs, self._options, 'keyword')
        except (AnsibleOptionsError, OptionError) as exc:
            raise AnsibleLookupError('mailops.sendgrid.suppressions: %s' % exc) from None
        if not terms and self.get_option('emails') is not None:
            return self._story(kwargs)
        try:
            records, expression, unselected = self._read(terms)
        except (SendGridError, OptionError) as exc:
            raise AnsibleLookupError('mailops.sendgrid.suppressions: %s' % exc) from None
        if expression is None and unselected is None:
            return records
        chosen_from = None
        if expression is not None:
            chosen_from, records = records, query_records(expression, records)
        if unselected is not None:
            if not are_records(records):
                raise AnsibleLookupError('mailops.sendgrid.suppressions: with flag_shared_addresses, query must return '
                                         'records (dictionaries with email, list and user)')
            records = flag_shared(records, unselected, chosen_from)
        return make_unsafe(records)

    def _read(self, terms):
        """(records, the compiled query or None, the unselected counts or None) of the terms' lists; with count_only
        (the counts, None, None)."""
        filters = Filters.from_options({name: self.get_option(name) for name in FILTER_NAMES})
        selectors = Selectors.from_options({name: self.get_option(name) for name in SELECTOR_NAMES})
        version = read_api_version(self.get_option)
        selection = [self._term(term, version) for term in terms]
        expression = self._compile_query()
        dummy, lists = open_lists(Options.read(self.get_option, absent=NOT_OPTIONS), selection, read_only=True)
        budget = RecordBudget(self._max_records())
        for suppression_list in lists:
            budget.bound_paging(suppression_list)
        if self.get_option('count_only'):
            return [count_selected(suppression_list, filters, selectors) for suppression_list in lists], None, None
        unselected = Counter() if self.get_option('flag_shared_addresses') else None
        # Without a query, each record is marked unsafe as it arrives, so no second copy of a large list is made.
        # A query runs on plain values (jmespath does not know Ansible's string types), then its result is marked.
        mark = make_unsafe if expression is None and unselected is None else dict
        records = [mark(dict(record, list=suppression_list.name, user=suppression_list.user))
                   for suppression_list in lists
                   for record in budget.spend(select(suppression_list, filters, selectors, unselected))]
        return records, expression, unselected

    def _story(self, kwargs):
        """The list-free form: for each of `emails`, every list and group that holds it, as
        mailops.sendgrid.sendgrid_suppression_info tells it; `query` may narrow the entries."""
        other = sorted(set(kwargs) & set(STORY_REFUSED))
        if other:
            raise AnsibleLookupError('mailops.sendgrid.suppressions: with emails and no list (an address\'s whole '
                                     'story), %s cannot be set; only user, query and the connection options apply'
                                     % ', '.join(other))
        try:
            expression = self._compile_query()
            # A lookup only reads: its client refuses any write before it is sent.
            client = open_client(Options.read(self.get_option, absent=NOT_OPTIONS), read_only=True)
            addresses, dummy = address_info(client, self.get_option('emails'), self.get_option('user'))
        except (SendGridError, OptionError) as exc:
            raise AnsibleLookupError('mailops.sendgrid.suppressions: %s' % exc) from None
        if expression is not None:
            addresses = query_records(expression, addresses)
        return make_unsafe(addresses)

    def _term(self, term, version):
        """(list name, user, group) from a list name or a {list, user, group} dictionary, checked before any
        request."""
        if isinstance(term, dict):
            try:
                check_known(term, TERM_KEYS, 'key of a dictionary term')
            except OptionError as exc:
                raise AnsibleLookupError('mailops.sendgrid.suppressions: %s' % exc) from None
            if 'list' not in term:
                raise AnsibleLookupError('mailops.sendgrid.suppressions: a dictionary term needs the key "list" '
                                         'and may have "user" and "group", got %s' % ', '.join(sorted(map(str, term))))
            name = term['list']
            user = term['user'] if term.get('user') is not None else self.get_option('user')
            group = term['group'] if term.get('group') is not None else self.get_option('group')
        else:
            name, user, group = term, self.get_option('user'), self.get_option('group')
        if user is not None and (not isinstance(user, str) or not user.strip()):
            raise AnsibleLookupError('mailops.sendgrid.suppressions: user must not be empty or blank, got %r: omit it '
                                     'for the account\'s own list, or name the customer or subuser' % (user,))
        try:
            kind = catalogue.find(name)
            # A lookup-wide group serves the group lists only; a term's own group must fit its list.
            group = group if kind.groups or isinstance(term, dict) and 'group' in term else None
            catalogue.check(kind, version, user, group)
        except SendGridError as exc:
            raise AnsibleLookupError('mailops.sendgrid.suppressions: %s' % exc) from None
        return (name, user if kind.takes_user(version) else None, group)

    def _max_records(self):
        value = self.get_option('max_records')
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RECORDS:
            raise OptionError('max_records must be an integer from 1 to %d, got %r' % (MAX_RECORDS, value))
        return value

    def _compile_query(self):
        query = self.get_option('query')
        if query is None:
            return None
        if self.get_option('count_only'):
            raise AnsibleLookupError('mailops.sendgrid.suppressions: query cannot be combined with count_only')
        if not isinstance(query, str) or not query.strip():
            raise AnsibleLookupError('mailops.sendgrid.suppressions: query must be a non-empty JMESPath expression, '
                                     'got %r' % (query,))
        if jmespath is None:
            raise AnsibleLookupError('mailops.sendgrid.suppressions: the query option needs the Python library '
                                     'jmespath')
        try:
            return jmespath.compile(query)
        except jmespath.exceptions.JMESPathError as exc:
            raise AnsibleLookupError('mailops.sendgrid.suppressions: query %r is not a valid JMESPath expression: '
                                     '%s' % (query, exc)) from None
