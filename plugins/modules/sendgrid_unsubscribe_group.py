#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_unsubscribe_group
short_description: Create, update or delete a SendGrid unsubscribe group
version_added: 1.0.0
description:
  - Manages one unsubscribe group (suppression group) of a SendGrid account, or of a subuser or customer with
    O(user), through Web API v3 (C(/v3/asm/groups)), so that the groups an infrastructure-as-code run relies on exist
    with the description and default flag it says.
  - The group is known by O(name), matched exactly, else ignoring case, as M(mailops.sendgrid.sendgrid_unsubscribe)
    finds a group. A group found ignoring case is adopted as it is, its name kept. Two groups that match are
    refused, naming their ids.
  - O(state=present) creates the group when none has that name, or sets O(description) and O(is_default) of the
    one that has it (options left unset are left as they are). A second identical run sends no write request.
  - O(state=absent) deletes the group. A group that holds addresses is refused unless O(force=true), since deleting
    it lets mail reach them again, and SendGrid puts later unsubscribes from that group's mail on the global list.
  - The limits SendGrid documents are checked before any request, 200 groups an account, a name of 1 to 30
    characters, a description of up to 100.
  - The addresses in a group are managed with M(mailops.sendgrid.sendgrid_unsubscribe). Web API v2 has no groups
    endpoint; the module needs O(api_version=v3), the default.
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
    details: No write request is made; the result says what a real run would do.
  diff_mode:
    support: full
    details: The group's name, description and default flag, before and after.
options:
  name:
    description:
      - The group's name, 1 to 30 characters; its identity.
    type: str
    required: true
  description:
    description:
      - What the group's mail is, shown to recipients on the unsubscribe page; up to 100 characters.
      - Required to create a group; left as it is on an existing group when not set.
    type: str
  is_default:
    description:
      - Whether the group is the default one, used for mail that names no group.
      - V(false) when creating a group and not set; left as it is on an existing group when not set.
    type: bool
  state:
    description:
      - V(present) makes sure the group exists as described; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - Delete the group with O(state=absent) even when it holds addresses.
      - This is the explicit word for removing those people's opt-out. SendGrid's API reference on deleting a group says
        "Deleting a suppression group will remove the suppression, meaning email will once again be sent to the
        previously suppressed addresses. This should be avoided unless a recipient indicates they wish to receive
        email from you again." For exceptions it points to the mail send's bypass filters.
    type: bool
    default: false
seealso:
  - module: mailops.sendgrid.sendgrid_unsubscribe
  - module: mailops.sendgrid.sendgrid_suppression_info
"""

EXAMPLES = r"""
- name: Make sure the release notes group exists
  mailops.sendgrid.sendgrid_unsubscribe_group:
    name: Release notes
    description: What changed, at most weekly.

- name: Make a subuser's group the default one
  mailops.sendgrid.sendgrid_unsubscribe_group:
    user: tenant-42
    name: Tenant News
    description: News from tenant 42.
    is_default: true

- name: Retire a group, even though it still holds addresses
  mailops.sendgrid.sendgrid_unsubscribe_group:
    name: Newsletters
    state: absent
    force: true
"""

RETURN = r"""
group:
  description:
    - The group after the task (with O(state=absent), the group that was deleted); V(null) when there is none.
    - In check mode, a group that would be created has C(id) V(null).
  returned: always
  type: dict
  contains:
    id:
      description: The group's id, which the unsubscribe links of mail carry.
      type: int
      sample: 301
    name:
      description: Its name.
      type: str
      sample: Product News
    description:
      description: Its description.
      type: str
      sample: News about the products you use, at most monthly.
    is_default:
      description: Whether it is the default group.
      type: bool
      sample: false
held_addresses:
  description: How many addresses the deleted group held (with O(state=absent) and a group to delete).
  returned: when a group is deleted
  type: int
  sample: 0
user:
  description: The subuser or customer whose group was managed, or V(null) for the account's own.
  returned: always
  type: str
  sample: null
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.groups import UnsubscribeGroups, manage_group
from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_service, service_module


def main():
    module = service_module(
        name=dict(type='str', required=True), description=dict(type='str'), is_default=dict(type='bool'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        force=dict(type='bool', default=False), user=dict(type='str'))
    params = module.params
    result = run_service(module, lambda client, options: manage_group(
        UnsubscribeGroups(client, params['user']), params['name'], params['state'], params['description'],
        params['is_default'], params['force'], module.check_mode), v3_only=('managing unsubscribe groups', 'groups endpoint'))
    module.exit_json(user=params['user'], **result)


if __name__ == '__main__':
    main()
