#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_invalid_email
short_description: Remove addresses from a SendGrid invalid-email list, or assert that they are listed
version_added: 0.1.0
description:
  - Manages the invalid-email suppression list of a SendGrid account, or of a reseller's customer when O(user) is
    given. On O(api_version=v3) through C(/v3/suppression/invalid_emails), with O(user) as the C(on-behalf-of)
    header; on O(api_version=v2) through C(api/invalidemails.*), or C(apiv2/reseller.manage) with
    C(method=invalidemails).
  - O(state=absent) removes the addresses that are listed and reports C(changed) only when something was removed.
    An address that is not listed is no error.
  - O(state=present) asserts that the addresses are listed and fails naming the ones that are not. SendGrid adds
    records only when mail to an address fails, so the API cannot add them.
  - One task reads the list once (paged) and then deletes the listed addresses, on v3 O(batch_size) a request, on
    v2 one a request, up to O(concurrency) requests at once. A second identical run sends no write request.
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
  delete_all:
    description:
      - Remove every record of the list, on v3 with one C(delete_all) request. The v2 invalid-email endpoints have
        no delete-all, so there each listed address is deleted in turn.
      - Requires O(state=absent).
    type: bool
    default: false
  user:
    description:
      - A customer registered under the reseller account of O(api_user). Without it, the account's own list is
        managed.
      - On O(api_version=v3), sent as the C(on-behalf-of) header; V(account-id <id>) names a customer account by id.
    type: str
seealso:
  - module: mailops.sendgrid.sendgrid_subuser_bounce
  - plugin: mailops.sendgrid.suppressions
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Remove one address from the account's invalid-email list
  mailops.sendgrid.sendgrid_invalid_email:
    email: brandon

- name: Remove several addresses from a reseller customer's list (its account id), in one bulk request
  mailops.sendgrid.sendgrid_invalid_email:
    user: account-id 1234567
    emails:
      - isaac@hotmail
      - example@example.com

- name: Set options once for every module of the collection (the key comes from SENDGRID_API_KEY)
  module_defaults:
    group/mailops.sendgrid.sendgrid:
      timeout: 60
      concurrency: 4
  block:
    - name: Assert that an address is still listed
      mailops.sendgrid.sendgrid_invalid_email:
        email: test@example.com
        state: present

    - name: Preview emptying the account's invalid-email list (check mode, with the diff)
      mailops.sendgrid.sendgrid_invalid_email:
        delete_all: true
      check_mode: true
      diff: true
"""

RETURN = r"""
list:
  description: The list managed, V(invalid_emails) or V(customer_invalid_emails).
  returned: always
  type: str
  sample: invalid_emails
user:
  description: The customer whose list was managed, or V(null) for the account's own.
  returned: always
  type: str
  sample: customer@example.com
deleted:
  description: The addresses removed (in check mode, that would be removed), as the list spelled them.
  returned: always
  type: list
  elements: str
  sample: [brandon]
missing:
  description: Requested addresses that are not listed; with O(state=absent) they are already gone.
  returned: always
  type: list
  elements: str
  sample: [nobody@example.com]
failed_emails:
  description: Deletes that failed, with the reason. A re-run deletes what is left.
  returned: always
  type: list
  elements: dict
  sample: [{email: brandon, msg: "invalid_emails, email brandon: still HTTP 503 after max_retries=5 retries"}]
records:
  description: The listed records the task concerned, as SendGrid returned them.
  returned: always
  type: list
  elements: dict
  contains:
    email:
      description: The address, as listed.
      type: str
      sample: brandon
    reason:
      description: Why SendGrid listed it.
      type: str
      sample: Invalid address
    created:
      description: When it was listed, C(YYYY-MM-DD HH:MM:SS).
      type: str
      sample: "2012-08-17 11:04:38"
counts:
  description: Numbers of matched, deleted, missing and failed addresses.
  returned: always
  type: dict
  sample: {matched: 1, deleted: 1, missing: 0, failed: 0}
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_module, suppression_module


def main():
    module = suppression_module(user=dict(type='str'))
    run_module(module, 'sendgrid_invalid_email')


if __name__ == '__main__':
    main()
