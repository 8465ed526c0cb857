#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_suppression_import
short_description: Add the opt-outs of a file (an export, another provider's CSV, JSON Lines, a list) to SendGrid
version_added: 2.1.0
description:
  - Reads O(src) on the controller and adds its addresses to the global unsubscribes, or to one unsubscribe group,
    of the account, of O(user), or of each row's own user (O(each_row_user), to restore an export of many users).
  - O(src) is an export of M(mailops.sendgrid.sendgrid_suppression_export) (CSV or JSON Lines), a CSV with a header
    (the address column named by O(column), else the first of C(email), C(Email), C(Email Address), C(address),
    C(EmailAddress), C(recipient)), JSON Lines, or a text file with one address a line. A CSV cell the export
    defused for spreadsheets is read back as the original address.
  - Only opt-outs are written. Rows of an export's bounces, blocks and invalid emails are counted
    (RV(delivery_rows)) and never written, since they describe delivery at the source, not a person's choice. Rows of
    spam reports are written as global unsubscribes only with O(spam_reports_as=unsubscribes); SendGrid cannot add a
    spam report.
  - Without O(group), an export's rows keep their list at the target; a group's rows go to the target's group of
    the same name, which must exist unless O(create_groups) is set.
  - The whole file is read and checked before any request; a bad line (not UTF-8, not CSV or JSON, no address, an
    address without C(@)) refuses the run with its line number, before any write, unless O(skip_invalid) is set.
  - Each target list is read once; only the addresses it does not hold yet are added, O(batch_size) a request and up
    to O(concurrency) requests at once, so a second identical import sends no write.
  - The rows and the addresses each target holds are kept in a private SQLite file while the import runs, not in
    memory, so a file of a million rows costs the controller a few megabytes.
  - SendGrid dates each added address at the time of the import; the source's date is not carried over, and the
    report keeps it beside each address (C(source_created)).
  - Runs on the controller as one Python step (an action plugin). Web API v2 has no unsubscribe endpoints and is
    refused before any request.
author:
  - mailops.sendgrid developers (@mailops)
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.batch_size
  - mailops.sendgrid.sendgrid.attributes
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details: The file and the targets are read; nothing is added and no group created, and the result says how many
      addresses each target would get and shows the first of them.
  diff_mode:
    support: full
    details: For each target, the count it gets and its first addresses.
  action:
    support: full
    details: An action plugin of the same name does the import on the controller.
options:
  src:
    description: The file to read, on the controller.
    type: path
    required: true
  src_format:
    description:
      - V(csv) (a header row), V(jsonl) (one JSON object a line), V(lines) (one address a line), or V(auto), which
        reads JSON Lines when the first line is an object, CSV when it has several cells or names an address column,
        else lines.
    type: str
    choices: [auto, csv, jsonl, lines]
    default: auto
  column:
    description:
      - The name of the address column (CSV) or key (JSON Lines). Unset, the first of the usual names found.
    type: str
  user:
    description:
      - The customer or subuser whose lists get the addresses (sent as C(on-behalf-of)). Unset, the account's own.
      - Mutually exclusive with O(each_row_user).
    type: str
  each_row_user:
    description:
      - Each row goes to the lists of its own C(user) (an export's column; the account's own where it is empty), each
        user through its own region.
    type: bool
    default: false
  group:
    description:
      - Every opt-out goes to this unsubscribe group (by id or name) instead of the list it was on; spam reports
        written with O(spam_reports_as=unsubscribes) still go to the global list.
      - Mutually exclusive with O(create_groups).
    type: raw
  create_groups:
    description:
      - A group of the source that the target does not have (matched by name) is created with the source's name and
        description. Without it, such a group refuses the import before any write.
    type: bool
    default: false
  spam_reports_as:
    description:
      - V(skip) counts the spam reports of the source and writes none; V(unsubscribes) adds their addresses to the
        target's global unsubscribes.
    type: str
    choices: [skip, unsubscribes]
    default: skip
  skip_invalid:
    description:
      - Count and skip the bad lines of O(src) (the report lists each with its number) instead of refusing the run.
    type: bool
    default: false
  report_dir:
    description:
      - The folder (created 0700) of the run's report, in three files (0600) - JSON, which the
        P(mailops.sendgrid.imported_unsubscribes#lookup) lookup reads to undo the import, CSV, and a Markdown summary.
        Each names every address added (or, in check mode, to add) with the source's date and line.
    type: path
notes:
  - To undo an import, loop M(mailops.sendgrid.sendgrid_unsubscribe) with C(state=absent) over
    P(mailops.sendgrid.imported_unsubscribes#lookup) of its report; the addresses the targets held already are not
    in the report and stay.
  - On Web API v3 the API key's scopes are asked once (C(GET /v3/scopes)) after O(src) is read and before the first
    request to a list, for reading each target list and adding to it, C(asm.groups.create) with O(create_groups=true)
    when rows name their groups (asked before the groups are read, so even when each exists already), and
    C(subusers.read) with O(each_row_user=true). A missing scope refuses the import before any write, naming each;
    in check mode a missing write scope is a warning (nothing is written), a missing read scope still refuses. A
    key that may not read its own scopes imports with a warning that they were not checked.
seealso:
  - module: mailops.sendgrid.sendgrid_suppression_export
  - module: mailops.sendgrid.sendgrid_unsubscribe
  - plugin: mailops.sendgrid.imported_unsubscribes
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: A list of addresses that asked to hear nothing more
  ansible.builtin.copy:
    content: |
      Email Address,First Name,Last Name
      left@example.com,Lee,Left
      gone-elsewhere@example.com,Gail,Gone
    dest: "{{ playbook_dir }}/provider-unsubscribes.csv"
    mode: "0600"

- name: Add them to the global unsubscribes, in check mode first
  mailops.sendgrid.sendgrid_suppression_import:
    src: "{{ playbook_dir }}/provider-unsubscribes.csv"
  check_mode: true
  diff: true

- name: Add them
  mailops.sendgrid.sendgrid_suppression_import:
    src: "{{ playbook_dir }}/provider-unsubscribes.csv"
    report_dir: "{{ playbook_dir }}/import-reports"

- name: Add them to the Newsletters group of a subuser as well
  mailops.sendgrid.sendgrid_suppression_import:
    src: "{{ playbook_dir }}/provider-unsubscribes.csv"
    user: subuser@example.com
    group: Newsletters
"""

RETURN = r"""
rows:
  description: The rows of O(src) with an address.
  returned: success
  type: int
  sample: 2
added:
  description: The addresses added, every target's together.
  returned: success, not in check mode
  type: int
  sample: 1
to_add:
  description: The addresses a real run would add.
  returned: check mode
  type: int
  sample: 1
targets:
  description: One entry per list, user and group the rows go to.
  returned: success
  type: list
  elements: dict
  contains:
    list:
      description: V(unsubscribes) (global) or V(group_unsubscribes).
      type: str
    user:
      description: The user whose list it is, or V(null) for the account's own.
      type: str
    group:
      description: The group as the task or the rows named it.
      type: raw
    group_id:
      description: The group's id at the target (V(null) for a group check mode would create).
      type: int
    created_group:
      description: Whether the group is created by this run (or would be).
      type: bool
    rows:
      description: The rows that go to this list.
      type: int
    addresses:
      description: Their distinct addresses (compared as SendGrid does, ignoring the case of ASCII letters).
      type: int
    already_listed:
      description: Of those, the ones the list held already.
      type: int
    added:
      description: The addresses added (C(to_add) in check mode).
      type: int
    first:
      description: The first ten of the addresses added (or to add).
      type: list
      elements: str
  sample:
    - {list: unsubscribes, user: null, group: null, group_id: null, created_group: false, rows: 2, addresses: 2,
       already_listed: 1, added: 1, first: [gone-elsewhere@example.com]}
delivery_rows:
  description: Rows of bounces, blocks and invalid emails, per list; counted, never written.
  returned: success
  type: dict
  sample: {blocks: 2}
spam_reports_skipped:
  description: Rows of spam reports not written (O(spam_reports_as=skip)).
  returned: success
  type: int
  sample: 0
invalid:
  description: Bad lines skipped (O(skip_invalid)).
  returned: success
  type: int
  sample: 0
invalid_lines:
  description: The first ten of them, each with its C(line) and C(problem).
  returned: success
  type: list
  elements: dict
  sample: []
report:
  description: The paths of the report's files (C(path) without suffix, C(json), C(csv), C(summary)).
  returned: with O(report_dir)
  type: dict
  sample: {json: /tmp/import-reports/suppression_import-20260101T000000Z-run.json}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_import import (
    MUTUALLY_EXCLUSIVE, argument_spec)


def main():
    # The work is the action plugin's, on the controller; run here, the module only checks its arguments.
    module = AnsibleModule(argument_spec=argument_spec(), mutually_exclusive=MUTUALLY_EXCLUSIVE,
                           supports_check_mode=True)
    module.fail_json(msg='mailops.sendgrid.sendgrid_suppression_import runs on the controller, through its action '
                         'plugin: call it as a task of a play')


if __name__ == '__main__':
    main()
