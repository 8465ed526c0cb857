#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_spam_report
short_description: Remove addresses from a SendGrid spam report list, or assert that they are listed
version_added: 1.0.0
description:
  - Manages the spam report list of a SendGrid account, or of a subuser or customer with O(user), through Web
    API v3 (C(/v3/suppression/spam_reports)). SendGrid lists an address when its recipient marked a message as
    spam; removing it lets mail reach the address again, so remove only addresses whose owners asked for it, or
    that a list import wrongly marked.
  - O(state=absent) removes the addresses that are listed and reports C(changed) only when something was removed.
    An address that is not listed is no error.
  - O(state=present) asserts that the addresses are listed and fails naming the ones that are not. SendGrid adds
    spam reports only when a recipient complains, so the API cannot add them.
  - One task reads the list once (paged) and then deletes the listed addresses O(batch_size) a request, up to
    O(concurrency) requests at once; O(delete_all=true) sends the API's single delete-all request. A second
    identical run sends no write request.
  - SendGrid's API reference says deleting spam reports "should be avoided unless a recipient indicates they wish
    to receive email from you again", so name those recipients in O(email) or O(emails). O(delete_all=true) needs
    O(remove_opt_outs=true). To reach them with mail they must get (password resets, receipts), send with the mail
    send's C(bypass_spam_management) or C(bypass_list_management) filter instead. A spam report removed cannot be
    added back.
  - Web API v2 has no spam report endpoints. With O(api_version=v2) the module fails before any request.
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
  delete_all:
    description:
      - Remove every spam report of the list with one C(delete_all) request, made only when the list is not empty.
      - Requires O(state=absent) and, when the list holds any record, O(remove_opt_outs=true), since SendGrid's API
        reference says deleting spam reports "should be avoided unless a recipient indicates they wish to receive
        email from you again".
    type: bool
    default: false
seealso:
  - module: mailops.sendgrid.sendgrid_block
  - module: mailops.sendgrid.sendgrid_unsubscribe
  - plugin: mailops.sendgrid.suppressions
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Remove the spam reports a bad list import caused, after checking them
  mailops.sendgrid.sendgrid_spam_report:
    emails:
      - complainer@example.com
      - imported2@example.com
  diff: true

- name: Assert that an address is still reported for a subuser
  mailops.sendgrid.sendgrid_spam_report:
    user: tenant-42
    email: complainer@example.com
    state: present
"""

RETURN = r"""
list:
  description: The list managed, V(spam_reports).
  returned: always
  type: str
  sample: spam_reports
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
  sample: [imported1@example.com]
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
  description: The listed spam reports the task concerned, as SendGrid returned them.
  returned: always
  type: list
  elements: dict
  contains:
    email:
      description: The address, as listed.
      type: str
      sample: complainer@example.com
    ip:
      description: The IP address the reported message was sent from.
      type: str
      sample: 10.63.202.100
    created:
      description: When it was reported, C(YYYY-MM-DD HH:MM:SS) in UTC.
      type: str
      sample: "2025-02-10 12:00:00"
counts:
  description: Numbers of matched, deleted, missing and failed addresses.
  returned: always
  type: dict
  sample: {matched: 1, deleted: 1, missing: 0, failed: 0}
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_module, suppression_module


def main():
    module = suppression_module(user=dict(type='str'), remove_opt_outs=dict(type='bool', default=False))
    run_module(module, 'sendgrid_spam_report')


if __name__ == '__main__':
    main()
