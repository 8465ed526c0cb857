#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_suppression_info
short_description: Tell every SendGrid suppression list and unsubscribe group that holds an address
version_added: 1.0.0
description:
  - Answers the question support teams ask most, "why does this customer get none of our mail?", for one address
    or thousands, telling for each the suppression lists that hold it (bounces, blocks, spam reports, invalid emails, global
    unsubscribes) with their records, and the unsubscribe groups that suppress it, of the account or of a subuser
    or customer with O(user), through Web API v3.
  - Reads only. Addresses are compared as SendGrid compares them, ignoring the case of ASCII letters.
  - Few requests. For one address, each list's single-address GET and C(GET /v3/asm/suppressions/{email}), up to
    O(concurrency) at once. For more, each list is read whole when that takes fewer requests than asking per
    address (it stops counting pages once they pass the number of addresses, and asks per address instead), and
    the groups come from one C(GET /v3/asm/suppressions). The result says which way each was read.
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
seealso:
  - module: mailops.sendgrid.sendgrid_unsubscribe_group
  - plugin: mailops.sendgrid.suppressions
    plugin_type: lookup
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
    user:
      description: The subuser or customer asked about, or V(null) for the account.
      type: str
      sample: null
    suppressed:
      description: Whether any list or group holds the address, so that SendGrid drops mail to it.
      type: bool
      sample: true
    lists:
      description: The lists that hold it, among V(bounces), V(blocks), V(spam_reports), V(invalid_emails) and
        V(unsubscribes) (global), in that order.
      type: list
      elements: str
      sample: [spam_reports]
    records:
      description: The listed record of each list that holds it, by list name, as the list modules return records.
      type: dict
      sample: {spam_reports: {email: complainer@example.com, ip: 10.63.202.100, created: "2025-02-10 12:00:00"}}
    groups:
      description: The unsubscribe groups that suppress it, each with C(id) and C(name).
      type: list
      elements: dict
      sample: [{id: 101, name: Newsletters}]
read:
  description:
    - How each list, and the groups, were read, V(per_address) or V(whole_list), chosen to make the fewest
      requests.
  returned: always
  type: dict
  sample: {bounces: per_address, blocks: per_address, spam_reports: per_address, invalid_emails: per_address,
           unsubscribes: per_address, groups: per_address}
"""

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mailops.sendgrid.plugins.module_utils.address_info import address_info
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.http_core import REQUESTS_IMPORT_ERROR
from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import connection_module
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import OptionError, Options


def main():
    module = connection_module(emails=dict(type='list', elements='str', required=True), user=dict(type='str'))
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    try:
        addresses, read = address_info(open_client(Options.read(module.params.get)), module.params['emails'],
                                       module.params['user'])
    except (SendGridError, OptionError) as exc:
        module.fail_json(msg=str(exc), status=getattr(exc, 'status', None),
                         api_message=getattr(exc, 'api_message', None))
    module.exit_json(changed=False, addresses=addresses, read=read)


if __name__ == '__main__':
    main()
