#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_subuser_bounce
short_description: Remove addresses from a SendGrid customer subuser's bounce list, or assert that they are listed
version_added: 0.1.0
description:
  - Manages the bounce list of a reseller customer's subuser (C(apiv2/reseller.subuserManage) with
    C(method=bounces)), or with O(bounce_list=customer) the customer's own bounces through the legacy distributor
    endpoint (C(api/distributor.manage)).
  - O(state=absent) removes the addresses that are listed and reports C(changed) only when something was removed.
    An address that is not listed is no error.
  - O(state=present) asserts that the addresses are listed and fails naming the ones that are not. SendGrid adds
    bounces only when delivery fails, so the API cannot add them.
  - One task reads the list once and then sends one delete per listed address, up to O(concurrency) at once;
    O(delete_all=true) uses the API's single delete-all request. A second identical run sends no write request.
author:
  - mailops.sendgrid developers (@mailops)
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.batch_size
  - mailops.sendgrid.sendgrid.attributes
  - mailops.sendgrid.sendgrid.suppression
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.actiongroups
options:
  user:
    description:
      - The customer subuser whose bounces are managed; it must belong to a customer of the O(api_user) reseller.
        On O(api_version=v3) it is sent as the C(on-behalf-of) header, and may be any subuser or customer under the
        account.
      - With O(bounce_list=customer), the customer itself.
      - Required on O(api_version=v2) and with O(bounce_list=customer). On O(api_version=v3) without it, the
        account's own bounces are managed.
    type: str
  bounce_list:
    description:
      - V(subuser) manages a customer subuser's bounces through C(apiv2/reseller.subuserManage).
      - V(customer) manages a customer's own bounces through the legacy C(api/distributor.manage) endpoint.
    type: str
    choices: [subuser, customer]
    default: subuser
  delete_all:
    description:
      - Remove every bounce of O(user) with one delete-all request, made only when the list is not empty.
      - Requires O(state=absent).
    type: bool
    default: false
seealso:
  - module: mailops.sendgrid.sendgrid_invalid_email
  - plugin: mailops.sendgrid.suppressions
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Remove a bounced address from a customer subuser's list
  mailops.sendgrid.sendgrid_subuser_bounce:
    user: subuser@example.com
    email: gone@example.net

- name: Preview clearing every bounce of a subuser (check mode, with the diff)
  mailops.sendgrid.sendgrid_subuser_bounce:
    user: subuser@example.com
    delete_all: true
  check_mode: true
  diff: true

- name: Remove bounces of a reseller's customer itself (its own list, not a subuser's)
  mailops.sendgrid.sendgrid_subuser_bounce:
    user: customer@example.com
    bounce_list: customer
    emails:
      - email1@domain.com
      - email2@domain2.com
"""

RETURN = r"""
list:
  description: The list managed, V(subuser_bounces) or V(customer_bounces).
  returned: always
  type: str
  sample: subuser_bounces
user:
  description: The subuser (or customer) whose bounces were managed.
  returned: always
  type: str
  sample: subuser@example.com
deleted:
  description: The addresses removed (in check mode, that would be removed), as the list spelled them.
  returned: always
  type: list
  elements: str
  sample: [gone@example.net]
missing:
  description: Requested addresses that are not listed; with O(state=absent) they are already gone.
  returned: always
  type: list
  elements: str
  sample: []
failed_emails:
  description: Deletes that failed, with the reason. A re-run deletes what is left.
  returned: always
  type: list
  elements: dict
  sample: []
records:
  description: The listed bounces the task concerned, as SendGrid returned them.
  returned: always
  type: list
  elements: dict
  contains:
    email:
      description: The address, as listed.
      type: str
      sample: gone@example.net
    status:
      description: The SMTP status of the bounce.
      type: str
      sample: 5.1.1
    reason:
      description: The receiving server's answer.
      type: str
      sample: "host [127.0.0.1] said: 550 5.1.1 unknown or illegal user: gone@example.net"
    created:
      description: When it bounced, C(YYYY-MM-DD HH:MM:SS).
      type: str
      sample: "2024-05-06 10:00:00"
counts:
  description: Numbers of matched, deleted, missing and failed addresses.
  returned: always
  type: dict
  sample: {matched: 1, deleted: 1, missing: 0, failed: 0}
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_module, suppression_module


def main():
    module = suppression_module(
        user=dict(type='str'),
        bounce_list=dict(type='str', default='subuser', choices=['subuser', 'customer']),
    )
    run_module(module, 'sendgrid_subuser_bounce')


if __name__ == '__main__':
    main()
