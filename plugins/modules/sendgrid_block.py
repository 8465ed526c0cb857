#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_block
short_description: Remove addresses from a SendGrid block list, or assert that they are listed
version_added: 1.0.0
description:
  - Manages the block list of a SendGrid account, or of a subuser or customer with O(user), through Web API v3
    (C(/v3/suppression/blocks)). SendGrid lists an address as blocked when the receiving server refused the
    message for a reason other than the address itself, for example an outage or a blocked sending IP.
  - O(state=absent) removes the addresses that are listed and reports C(changed) only when something was removed.
    An address that is not listed is no error.
  - O(state=present) asserts that the addresses are listed and fails naming the ones that are not. SendGrid adds
    blocks only when delivery is refused, so the API cannot add them.
  - One task reads the list once (paged) and then deletes the listed addresses O(batch_size) a request, up to
    O(concurrency) requests at once; O(delete_all=true) sends the API's single delete-all request. A second
    identical run sends no write request.
  - Web API v2 has no block endpoints. With O(api_version=v2) the module fails before any request.
author:
  - mailops.sendgrid developers (@mailops)
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.batch_size
  - mailops.sendgrid.sendgrid.attributes
  - mailops.sendgrid.sendgrid.suppression
  - mailops.sendgrid.sendgrid.v3_user
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.actiongroups
options:
  delete_all:
    description:
      - Remove every block of the list with one C(delete_all) request, made only when the list is not empty.
      - Requires O(state=absent).
    type: bool
    default: false
seealso:
  - module: mailops.sendgrid.sendgrid_spam_report
  - module: mailops.sendgrid.sendgrid_unsubscribe
  - plugin: mailops.sendgrid.suppressions
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Clear the blocks an outage at a receiving domain left behind
  mailops.sendgrid.sendgrid_block:
    emails: "{{ query('mailops.sendgrid.suppressions', 'blocks', domains=['example.org']) | map(attribute='email') }}"

- name: Remove one blocked address from a subuser's list
  mailops.sendgrid.sendgrid_block:
    user: tenant-42
    email: someone@example.net

- name: Preview clearing every block of the account (check mode, with the diff)
  mailops.sendgrid.sendgrid_block:
    delete_all: true
  check_mode: true
  diff: true
"""

RETURN = r"""
list:
  description: The list managed, V(blocks).
  returned: always
  type: str
  sample: blocks
user:
  description: The subuser or customer whose list was managed, or V(null) for the account's own.
  returned: always
  type: str
  sample: null
deleted:
  description: The addresses removed (in check mode, that would be removed), as the list spelled them.
  returned: always
  type: list
  elements: str
  sample: [blocked@example.net]
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
  description: The listed blocks the task concerned, as SendGrid returned them.
  returned: always
  type: list
  elements: dict
  contains:
    email:
      description: The address, as listed.
      type: str
      sample: blocked@example.net
    status:
      description: The SMTP status of the refusal.
      type: str
      sample: 4.0.0
    reason:
      description: The receiving server's answer.
      type: str
      sample: "unable to resolve MX record: servfail"
    created:
      description: When it was blocked, C(YYYY-MM-DD HH:MM:SS) in UTC.
      type: str
      sample: "2025-03-01 08:00:00"
counts:
  description: Numbers of matched, deleted, missing and failed addresses.
  returned: always
  type: dict
  sample: {matched: 1, deleted: 1, missing: 0, failed: 0}
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_module, suppression_module


def main():
    module = suppression_module(user=dict(type='str'))
    run_module(module, 'sendgrid_block')


if __name__ == '__main__':
    main()
