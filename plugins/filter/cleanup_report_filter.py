# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: suppression_report
short_description: Build the report of a suppression cleanup run
version_added: 0.1.0
deprecated:
  removed_in: 3.0.0
  why: Nothing in the collection uses it since the cleanup became one action that writes its own report.
  alternative: Use M(mailops.sendgrid.sendgrid_suppression_cleanup), which writes the same JSON and CSV report itself.
author:
  - mailops.sendgrid developers (@mailops)
description:
  - Builds the report of a cleanup a playbook runs itself, in the form
    M(mailops.sendgrid.sendgrid_suppression_cleanup) (and the
    R(mailops.sendgrid.suppression_cleanup role,ansible_collections.mailops.sendgrid.suppression_cleanup_role))
    write theirs. Joins the records a run selected with the results of the list modules that deleted them
    (M(mailops.sendgrid.sendgrid_invalid_email), M(mailops.sendgrid.sendgrid_subuser_bounce),
    M(mailops.sendgrid.sendgrid_block), M(mailops.sendgrid.sendgrid_spam_report),
    M(mailops.sendgrid.sendgrid_unsubscribe)), and gives each record its outcome, V(selected) in a dry run,
    V(deleted), V(already_gone) or V(failed), or V(held_back) for a record whose C(unselected_records) (see the
    lookup's C(flag_shared_addresses)) is above 0, with counts per list and in total.
  - Returns the counts, and the full report (every record) as JSON and CSV text ready to be written to files.
    In the CSV, every cell is quoted and a cell that a spreadsheet would evaluate as a formula (starting with
    C(=), C(+), C(-) or C(@)) gets a leading apostrophe.
options:
  _input:
    description: The selection, a list of dictionaries with C(list), C(user), C(group) (group lists) and C(records).
    type: list
    elements: dict
    required: true
  results:
    description: The registered C(results) of the module calls, one per list (skipped ones may be left out).
    type: list
    elements: dict
    default: []
  dry_run:
    description: Whether the run was a dry run.
    type: bool
    default: true
  started:
    description: When the run started, seconds since the epoch.
    type: float
    required: true
  finished:
    description: When the run finished, seconds since the epoch.
    type: float
    required: true
  selectors:
    description: The selectors of the run, recorded in the report.
    type: dict
  select_all:
    description: Whether every record was selected.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Build the report of a dry run over the account's blocks
  ansible.builtin.set_fact:
    report: >-
      {{ [{'list': 'blocks', 'user': none,
           'records': query('mailops.sendgrid.suppressions', 'blocks', flag_shared_addresses=true)}]
         | mailops.sendgrid.suppression_report(dry_run=true, started=0, finished=0) }}

- name: Write it as CSV
  ansible.builtin.copy:
    content: "{{ report.csv }}"
    dest: "{{ playbook_dir }}/cleanup.csv"
    mode: "0600"
"""

RETURN = r"""
_value:
  description:
    - The counts of the run; C(totals) and each of C(lists) count C(selected), C(held_back), C(deleted),
      C(already_gone) and C(failed); each of C(lists) also has C(list), C(user), C(group), C(held_back_addresses) and
      C(error) (a failure of the whole call).
    - C(json) is the whole report with every record and its outcome, as JSON text; C(csv) is one row per record
      with the columns C(list), C(user), C(group), C(email), C(status), C(reason), C(created), C(outcome),
      C(error).
  type: dict
"""

# This file is named for what it holds, never like the filter: ansible-core imports every file of plugins/filter
# under mailops.sendgrid.<file name> whenever a play looks up any filter of the collection, and a file named like the
# deprecated routing key would print the deprecation to every play, not only to the plays that use the filter.

from ansible.errors import AnsibleFilterError

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import build_report, report_files


def suppression_report(selection, results=None, dry_run=True, started=0, finished=0, selectors=None,
                       select_all=False):
    try:
        return report_files(build_report(selection, results, dry_run, started, finished, selectors, select_all))
    except (KeyError, TypeError, AttributeError) as exc:
        raise AnsibleFilterError('suppression_report: the selection or results are not shaped as the '
                                 'suppression_cleanup role makes them: %s' % exc) from None


class FilterModule:
    def filters(self):
        return {'suppression_report': suppression_report}
