#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_suppression_info
short_description: Tell every SendGrid suppression list and unsubscribe group that holds an address, of one user or a whole fleet
version_added: 1.0.0
description:
  - Answers the question support teams ask most, "why does this customer get none of our mail?", for one address
    or thousands, telling for each the suppression lists that hold it (bounces, blocks, spam reports, invalid emails, global
    unsubscribes) with their records, and the unsubscribe groups that suppress it, of the account or of a subuser
    or customer with O(user), through Web API v3.
  - With O(users), O(subusers) or O(include_account), asks many users in one task, "where is this address suppressed,
    anywhere in our account?", up to O(concurrency) users at once under one rate pace, each through its region, and
    answers per address with each user that holds it. A user the key cannot act for (SendGrid answers 403 or 404 on
    its behalf) is reported in RV(unanswered) and the addresses say their answer is not complete; the task goes on.
  - Reads only. Addresses are compared as SendGrid compares them, ignoring the case of ASCII letters.
  - Few requests. For one address, each list's single-address GET and C(GET /v3/asm/suppressions/{email}) per user.
    For more, each list is read whole when that takes fewer requests than asking per address (it stops counting
    pages once they pass the number of addresses, and asks per address instead), and the groups come from one
    C(GET /v3/asm/suppressions). For one user the result says which way each was read.
  - The lists are named as the C(mailops.sendgrid.suppressions) lookup and the C(mailops.sendgrid.sendgrid_suppression_cleanup)
    module name them, so that an answer can be handed to either with its user, for example C(subuser_bounces) and,
    for a user, C(customer_invalid_emails). Before 2.0.0 this module said C(bounces), and C(invalid_emails) for a
    user's too; O(list_names=legacy) keeps those names until 3.0.0.
  - Web API v2 has neither the lists nor the groups to ask; the module needs O(api_version=v3), the default.
author:
  - mailops.sendgrid developers (@mailops)
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.attributes
  - mailops.sendgrid.sendgrid.v3_user
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details: The module only reads; it runs the same in check mode.
  diff_mode:
    support: N/A
    details: The module changes nothing.
options:
  emails:
    description:
      - The addresses to tell about, one or many; each must be a non-blank string. An address asked twice is told
        twice.
    type: list
    elements: str
    required: true
  users:
    description:
      - The subusers or customers to ask, by username (each asked once, in this order). Mutually exclusive with
        O(user).
    type: list
    elements: str
    version_added: 2.0.0
  subusers:
    description:
      - Every subuser whose username starts with C(username) (all of them when it is unset), read from
        C(GET /v3/subusers), with C(include_disabled) the disabled ones too; the same selection as the cleanup
        entries' C(subusers). Each is asked through its region. Mutually exclusive with O(user).
    type: dict
    version_added: 2.0.0
    suboptions:
      username:
        description: The username prefix (compared on the server, ignoring case).
        type: str
      include_disabled:
        description: Include disabled subusers.
        type: bool
        default: false
  include_account:
    description:
      - Ask the account itself too, before O(users) and O(subusers) (its entries have C(user) V(null)). With
        neither of those, V(true) asks the account alone, as when no user is named.
    type: bool
    default: false
    version_added: 2.0.0
  include_unsuppressed:
    description:
      - List under each address every user asked, also those that do not suppress it. By default only the users
        that hold it are listed.
    type: bool
    default: false
    version_added: 2.0.0
  list_names:
    description:
      - V(catalogue) names the lists as the lookup and the cleanup do (C(subuser_bounces), C(blocks),
        C(spam_reports), C(invalid_emails) of the account and C(customer_invalid_emails) of a user,
        C(unsubscribes)).
      - V(legacy) names them as this module did before 2.0.0 (C(bounces), and C(invalid_emails) for every user). It
        is deprecated and will be removed in 3.0.0.
    type: str
    choices: [catalogue, legacy]
    default: catalogue
    version_added: 2.0.0
seealso:
  - module: mailops.sendgrid.sendgrid_unsubscribe_group
  - plugin: mailops.sendgrid.suppressions
    plugin_type: lookup
  - module: mailops.sendgrid.sendgrid_suppression_cleanup
"""

EXAMPLES = r"""
- name: Why does this customer get none of our mail?
  mailops.sendgrid.sendgrid_suppression_info:
    emails: [complainer@example.com, reader@example.com]
  register: story

- name: Say where each address is held
  ansible.builtin.debug:
    msg: >-
      {{ item.email }}: {{ (item.lists + (item.groups | map(attribute='name'))) | join(', ')
         if item.suppressed else 'not suppressed' }}
  loop: "{{ story.addresses }}"
  loop_control:
    label: "{{ item.email }}"

- name: The same for a subuser's lists and groups
  mailops.sendgrid.sendgrid_suppression_info:
    user: tenant-42
    emails: [reader@example.com]

- name: Where is this address suppressed, anywhere in our account?
  mailops.sendgrid.sendgrid_suppression_info:
    emails: [reader@example.com]
    include_account: true
    subusers:
      include_disabled: true
    concurrency: 16
  register: fleet

- name: Say which users hold it, and where
  ansible.builtin.debug:
    msg: >-
      {{ item.user | default('the account', true) }}:
      {{ (item.lists + (item.groups | map(attribute='name'))) | join(', ') }}
  loop: "{{ fleet.addresses[0].users }}"
  loop_control:
    label: "{{ item.user | default('the account', true) }}"

- name: Fail when some user could not be asked
  ansible.builtin.assert:
    that: fleet.addresses | map(attribute='complete') | min
    fail_msg: "Not asked: {{ fleet.unanswered | map(attribute='user') | join(', ') }}"
"""

RETURN = r"""
addresses:
  description: One entry per asked address, in the order asked.
  returned: always
  type: list
  elements: dict
  contains:
    email:
      description: The address as asked.
      type: str
      sample: complainer@example.com
    suppressed:
      description: Whether any list or group of any user asked holds the address, so that SendGrid drops mail to it.
      type: bool
      sample: true
    users:
      description:
        - Each user that holds the address (with O(include_unsuppressed), each user asked), in the order asked,
          with C(user) (V(null) for the account), C(suppressed), C(lists), C(records) and C(groups) as below.
      type: list
      elements: dict
      sample: [{user: tenant-42, suppressed: true, lists: [spam_reports], groups: [],
                records: {spam_reports: {email: complainer@example.com, ip: 10.63.202.101, created: "2025-02-10 12:00:00"}}}]
      version_added: 2.0.0
    complete:
      description: Whether every user asked answered; V(false) when some are in RV(unanswered).
      type: bool
      sample: true
      version_added: 2.0.0
    user:
      description: The subuser or customer asked about, or V(null) for the account. Only when one user is asked.
      type: str
      sample: null
    lists:
      description:
        - The lists of that one user that hold it, in the order C(subuser_bounces), C(blocks), C(spam_reports),
          C(invalid_emails) (of a user C(customer_invalid_emails)), C(unsubscribes) (global). Only when one user
          is asked.
      type: list
      elements: str
      sample: [spam_reports]
    records:
      description: The listed record of each list that holds it, by list name, as the list modules return records.
        Only when one user is asked.
      type: dict
      sample: {spam_reports: {email: complainer@example.com, ip: 10.63.202.100, created: "2025-02-10 12:00:00"}}
    groups:
      description: The unsubscribe groups that suppress it, each with C(id) and C(name). Only when one user is asked.
      type: list
      elements: dict
      sample: [{id: 101, name: Newsletters}]
read:
  description:
    - How each list, and the groups, were read, V(per_address) or V(whole_list), chosen to make the fewest
      requests.
  returned: when one user is asked
  type: dict
  sample: {subuser_bounces: per_address, blocks: per_address, spam_reports: per_address, invalid_emails: per_address,
           unsubscribes: per_address, groups: per_address}
users_asked:
  description: How many users were asked (the account counts as one).
  returned: always
  type: int
  sample: 2001
  version_added: 2.0.0
unanswered:
  description:
    - The users that could not be asked, each with C(user), the HTTP C(status) and C(msg); a user the key cannot act
      for is one. Empty when every user answered.
  returned: always
  type: list
  elements: dict
  sample: [{user: gone-tenant, status: 403, msg: "subuser_bounces, user gone-tenant, email reader@example.com: on-behalf-of:
             gone-tenant is not a customer or subuser of your account (HTTP 403, GET v3/suppression/bounces/reader@example.com)"}]
  version_added: 2.0.0
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.address_info import (
    V2_LACKS, address_info, fleet_info, legacy_names)
from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import (
    SUBUSERS_OPTION, run_service, service_module)
from ansible_collections.mailops.sendgrid.plugins.module_utils.permissions import LIST_READS, checked_first
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import fleet_users


def _answer(module, client, options):
    params = module.params
    if params['users'] is None and params['subusers'] is None:
        addresses, read = address_info(client, params['emails'], params['user'])
        return {'addresses': addresses, 'read': read, 'users_asked': 1, 'unanswered': []}
    # Many users: the key's scopes are checked once, before the first read.
    needed = LIST_READS + (('read_subusers',) if params['subusers'] is not None else ())
    fleet = checked_first(module, needed, lambda each_client, each_options: _fleet(params, each_client, each_options))
    return fleet(client, options)


def _fleet(params, client, options):
    chosen = fleet_users(client, params['users'], params['subusers'], params['include_account'])
    addresses, unanswered = fleet_info(client, options, params['emails'], chosen, params['concurrency'],
                                       params['include_unsuppressed'])
    return {'addresses': addresses, 'users_asked': len(chosen), 'unanswered': unanswered}


def main():
    module = service_module(
        mutually_exclusive=[('user', 'users'), ('user', 'subusers')],
        emails=dict(type='list', elements='str', required=True), user=dict(type='str'),
        users=dict(type='list', elements='str'),
        subusers=SUBUSERS_OPTION,
        include_account=dict(type='bool', default=False), include_unsuppressed=dict(type='bool', default=False),
        list_names=dict(type='str', default='catalogue', choices=['catalogue', 'legacy']))
    params = module.params
    blank = [index for index, name in enumerate(params['users'] or []) if not name.strip()]
    if blank:
        module.fail_json(msg='users[%d] must be a username, not empty or blank' % blank[0])
    if params['user'] is not None and params['include_account']:
        module.fail_json(msg='include_account asks the account beside users or subusers; with user, ask one user, '
                             'or name it in users instead')
    result = run_service(module, lambda client, options: _answer(module, client, options), v3_only=V2_LACKS,
                         read_only=True)
    if params['list_names'] == 'legacy':
        result['addresses'], read = legacy_names(result['addresses'], result.get('read'))
        if read is not None:
            result['read'] = read
        module.deprecate('list_names=legacy (the list names bounces, and invalid_emails for a user) will be removed; '
                         'use the names the lookup and the cleanup use (subuser_bounces, customer_invalid_emails)',
                         version='3.0.0', collection_name='mailops.sendgrid')
    if result['unanswered']:
        module.warn('%d of %d users could not be asked, so the answer is not complete: %s' % (
            len(result['unanswered']), result['users_asked'],
            '; '.join('%s: %s' % (entry['user'], entry['msg']) for entry in result['unanswered'][:5])))
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
