#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_suppression_export
short_description: Write the records of SendGrid suppression lists to a CSV or JSON Lines file on the controller
version_added: 2.1.0
description:
  - Reads each list once and writes one row per record to O(dest) on the controller, as CSV or JSON Lines, with the
    list, the user, the group's id, name and description, the address, its C(created) date and the list's own fields
    (C(reason), C(status)). M(mailops.sendgrid.sendgrid_suppression_import) reads the file back.
  - Rows are streamed as they are read, so memory stays flat whatever the lists hold; a group's addresses come with
    their dates from C(GET /v3/asm/suppressions), one unpaged answer that is parsed as it arrives (with the Python
    library C(ijson)), never held whole, so a group of a million addresses costs no more memory than a paged list.
  - The file is written to a temporary file in the same folder (mode C(0600), since it names people) and renamed
    over O(dest) only when its content differs from the file already there; an identical export reports
    C(changed=false) and leaves the file untouched.
  - CSV cells that a spreadsheet would run as a formula (starting with C(=), C(+), C(-) or C(@)) are written with a
    leading apostrophe, as the cleanup's reports are; the import reads them back as they were.
  - Runs on the controller as one Python step (an action plugin). Web API v2 is refused before any request.
author:
  - mailops.sendgrid developers (@mailops)
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.attributes
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details: The lists are read and counted; nothing is written, and C(changed) says whether the file would change.
  diff_mode:
    support: none
  action:
    support: full
    details: An action plugin of the same name does the export on the controller.
options:
  lists:
    description:
      - The lists to export, as M(mailops.sendgrid.sendgrid_suppression_cleanup) takes them.
    type: list
    elements: dict
    required: true
    suboptions:
      list:
        description:
          - The list, as the P(mailops.sendgrid.suppressions#lookup) lookup names it.
        type: str
        required: true
        choices: [blocks, customer_bounces, customer_invalid_emails, group_unsubscribes, invalid_emails, spam_reports,
                  subuser_bounces, unsubscribes]
      user:
        description: The customer or subuser whose list it is (sent as C(on-behalf-of)).
        type: str
      group:
        description: The unsubscribe group of V(group_unsubscribes), by id or name.
        type: raw
      subusers:
        description:
          - This entry stands for the list of every subuser of the account (C(GET /v3/subusers)), read once.
          - Mutually exclusive with C(user).
        type: dict
        suboptions:
          username:
            description: Only the subusers whose username starts with this (compared on the server, ignoring case).
            type: str
          include_disabled:
            description: Also the disabled subusers.
            type: bool
            default: false
  users:
    description:
      - Each entry of O(lists) that names no C(user) and no C(subusers) is exported for each of these users.
    type: list
    elements: str
  days:
    description: Only records created in the last O(days) days, today included.
    type: int
  start_date:
    description: Only records created on or after this day, C(YYYY-MM-DD).
    type: str
  end_date:
    description: Only records created on or before this day, C(YYYY-MM-DD).
    type: str
  limit:
    description: At most this many records of each list.
    type: int
  offset:
    description: Skip this many selected records of each list first.
    type: int
  email:
    description: Only the records of this address.
    type: str
  reason:
    description: Only records whose reason matches this Python regular expression (searched).
    type: str
  status:
    description: Only bounces and blocks whose SMTP status starts with this prefix, for example V(5.).
    type: str
  domains:
    description: Only addresses in these domains.
    type: list
    elements: str
  emails:
    description: Only these addresses.
    type: list
    elements: str
  dest:
    description:
      - The file to write, on the controller. Its folder must exist.
    type: path
    required: true
  format:
    description:
      - V(csv) (a header, every cell quoted) or V(jsonl) (one JSON object a line).
      - Unset, V(jsonl) when O(dest) ends in C(.jsonl), C(.ndjson) or C(.json), else V(csv).
    type: str
    choices: [csv, jsonl]
notes:
  - The columns, in order, are C(list), C(user), C(group_id), C(group_name), C(group_description), C(email),
    C(created), C(reason), C(status); a field a list does not have is empty (CSV) or V(null) (JSON Lines).
  - On Web API v3 the API key's scopes are asked once (C(GET /v3/scopes)) before the first read; an export of a
    list the key may not read (or of a O(lists[].subusers) selection without C(subusers.read)) is refused before
    any list is read, naming each missing scope and what needs it. A key that may not read its own scopes exports
    with a warning that they were not checked. The getting started guide lists the scopes of each list.
seealso:
  - module: mailops.sendgrid.sendgrid_suppression_import
  - module: mailops.sendgrid.sendgrid_suppression_cleanup
"""

EXAMPLES = r"""
- name: Keep every opt-out of the account in a file before a purge
  mailops.sendgrid.sendgrid_suppression_export:
    lists:
      - list: unsubscribes
      - list: group_unsubscribes
        group: Newsletters
      - list: spam_reports
    dest: "{{ playbook_dir }}/opt-outs.csv"

- name: Back up the spam reports of every subuser whose name starts with "tenant-"
  mailops.sendgrid.sendgrid_suppression_export:
    lists:
      - list: spam_reports
        subusers:
          username: tenant-
    dest: "{{ playbook_dir }}/tenant-spam-reports.jsonl"
"""

RETURN = r"""
dest:
  description: The file written (or, in check mode, that would be).
  returned: success
  type: str
  sample: /tmp/opt-outs.csv
format:
  description: V(csv) or V(jsonl).
  returned: success
  type: str
  sample: csv
records:
  description: The rows of the file, every list's together.
  returned: success
  type: int
  sample: 4
lists:
  description: One entry per list, user and group exported, in the order of the file.
  returned: success
  type: list
  elements: dict
  contains:
    list:
      description: The list.
      type: str
    user:
      description: The user whose list it is, or V(null) for the account's own.
      type: str
    group:
      description: The group as the task named it, for V(group_unsubscribes).
      type: raw
    group_id:
      description: The group's id, for V(group_unsubscribes).
      type: int
    records:
      description: The rows of this list.
      type: int
  sample:
    - {list: unsubscribes, user: null, group: null, group_id: null, records: 1}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_export import argument_spec


def main():
    # The work is the action plugin's, on the controller; run here, the module only checks its arguments.
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.fail_json(msg='mailops.sendgrid.sendgrid_suppression_export runs on the controller, through its action '
                         'plugin: call it as a task of a play')


if __name__ == '__main__':
    main()
