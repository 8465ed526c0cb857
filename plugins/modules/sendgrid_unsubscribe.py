#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_unsubscribe
short_description: Add addresses to a SendGrid global or group unsubscribe list, or remove them
version_added: 1.0.0
description:
  - Manages the global unsubscribe list of a SendGrid account, or with O(group) the unsubscribes of one
    unsubscribe group (suppression group), of the account or of a subuser or customer with O(user), through Web
    API v3 (C(/v3/suppression/unsubscribes), C(/v3/asm/suppressions/global), C(/v3/asm/groups)).
  - Unlike the other suppression lists, these can be written both ways, so O(state) is a true desired state.
    O(state=present) adds the addresses that are not listed yet, in one request per O(batch_size) addresses.
    O(state=absent) removes those that are listed, one request per address (the API has no bulk delete for these
    lists). Either way C(changed) is reported only when something was added or removed, and a second identical
    run sends no write request.
  - O(group) is looked up before any write, and an unknown group is an error. The API itself would accept an add
    to a group that does not exist and put the addresses on the global list instead.
  - An unsubscribe is a person who asked not to be mailed. Remove one (O(state=absent) with O(email) or O(emails))
    when that person asked to hear from you again; that deliberate removal of named people needs no other word.
    Removing a whole list (O(delete_all=true)) needs O(remove_opt_outs=true). To reach unsubscribed people with mail
    they must get (password resets, receipts), send with the mail send's C(bypass_unsubscribe_management) or
    C(bypass_list_management) filter instead of removing them.
  - Web API v2 has no unsubscribe endpoints. With O(api_version=v2) the module fails before any request.
author:
  - mailops.sendgrid developers (@mailops)
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.batch_size
  - mailops.sendgrid.sendgrid.attributes
  - mailops.sendgrid.sendgrid.suppression
  - mailops.sendgrid.sendgrid.opt_outs
  - mailops.sendgrid.sendgrid.v3_user
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.actiongroups
options:
  group:
    description:
      - The unsubscribe group whose list is managed, by id (V(101)) or by name (V(Newsletters)). A name is matched
        exactly, else ignoring case, and must name one group; a group whose name is a number is named by its id.
      - Without it, the global unsubscribe list is managed.
    type: raw
  state:
    description:
      - V(present) adds the addresses that are not listed; V(absent) removes those that are.
    type: str
    choices: [absent, present]
    default: absent
  delete_all:
    description:
      - Remove every address of the list, one request per address.
      - Requires O(state=absent) and, when the list holds any address, O(remove_opt_outs=true), since each is a
        person who asked not to be mailed.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    details: No write request is made; the result reports exactly what a real run would add or remove.
seealso:
  - module: mailops.sendgrid.sendgrid_block
  - module: mailops.sendgrid.sendgrid_spam_report
  - plugin: mailops.sendgrid.suppressions
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: A customer asked never to be mailed again
  mailops.sendgrid.sendgrid_unsubscribe:
    email: leave-me-alone@example.com
    state: present

- name: Unsubscribe addresses from a subuser's newsletter group, named by its name
  mailops.sendgrid.sendgrid_unsubscribe:
    user: tenant-42
    group: Newsletters
    emails:
      - reader1@example.com
      - reader2@example.com
    state: present

- name: A reader wants the newsletter again (group by id)
  mailops.sendgrid.sendgrid_unsubscribe:
    group: 101
    email: reader@example.com
    state: absent
"""

RETURN = r"""
list:
  description: The list managed, V(unsubscribes) (global) or V(group_unsubscribes).
  returned: always
  type: str
  sample: group_unsubscribes
user:
  description: The subuser or customer whose list was managed, or V(null) for the account's own.
  returned: always
  type: str
  sample: tenant-42
group:
  description: The group whose list was managed, as the API names it.
  returned: when O(group) is set
  type: dict
  contains:
    id:
      description: The group's id.
      type: int
      sample: 101
    name:
      description: The group's name.
      type: str
      sample: Newsletters
added:
  description: The addresses added (in check mode, that would be added), as given.
  returned: always
  type: list
  elements: str
  sample: [reader1@example.com]
deleted:
  description: The addresses removed (in check mode, that would be removed), as the list spelled them.
  returned: always
  type: list
  elements: str
  sample: []
missing:
  description: Requested addresses that were not listed when the task read the list.
  returned: always
  type: list
  elements: str
  sample: [reader1@example.com]
failed_emails:
  description: Adds or deletes that failed, with the reason. A re-run finishes what is left.
  returned: always
  type: list
  elements: dict
  sample: []
records:
  description: The listed addresses the task concerned.
  returned: always
  type: list
  elements: dict
  contains:
    email:
      description: The address, as listed.
      type: str
      sample: reader2@example.com
    created:
      description: When it was unsubscribed, C(YYYY-MM-DD HH:MM:SS) in UTC; on the global list only.
      type: str
      sample: "2024-12-24 18:00:00"
    group_id:
      description: The group's id; on a group list only.
      type: int
      sample: 101
    group_name:
      description: The group's name; on a group list only.
      type: str
      sample: Newsletters
counts:
  description: Numbers of matched, added, deleted, missing and failed addresses.
  returned: always
  type: dict
  sample: {matched: 1, added: 1, deleted: 0, missing: 1, failed: 0}
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_module, suppression_module


def main():
    # raw, so that `group: 101` is an id without Ansible's warning about converting a number to a string.
    module = suppression_module(user=dict(type='str'), group=dict(type='raw'), remove_opt_outs=dict(type='bool', default=False))
    # The group's value is checked by the catalogue's rules (catalogue.check_group), before any request.
    run_module(module, 'sendgrid_unsubscribe')


if __name__ == '__main__':
    main()
