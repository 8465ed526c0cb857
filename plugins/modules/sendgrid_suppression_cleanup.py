#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_suppression_cleanup
short_description: Bulk cleanup of SendGrid suppression lists in one step, for one or many users, from a reviewed plan
version_added: 1.0.0
description:
  - Reads each selected list once (paged, lists and pages in parallel), selects its records, holds back addresses
    whose list also holds unselected records of them (SendGrid deletes by address), refuses a real run above
    O(max_delete) unless O(confirm_count) confirms the count, deletes in bulk, and writes a JSON and a CSV report.
  - Runs on the controller as one Python step (an action plugin); no record passes through Jinja or task results,
    which carry only counts and the paths of the report and the plan.
  - Check mode is the dry run (so is O(dry_run)); it can write a plan (O(plan_file)) that a real run applies exactly
    (O(apply_plan)). A dry run sends no write request; its client refuses any before it is sent.
  - The lists of many users are cleaned in one task, through one client and one rate-limit pace, since SendGrid
    counts a parent's on-behalf-of requests against the parent. An entry with C(subusers) stands for every subuser
    of the account whose username starts with a prefix.
author:
  - mailops.sendgrid developers (@mailops)
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.batch_size
  - mailops.sendgrid.sendgrid.opt_outs
  - mailops.sendgrid.sendgrid.attributes
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details: The dry run. Nothing is deleted; the report and, with O(plan_file), the plan say what a real run would do.
  diff_mode:
    support: none
  action:
    support: full
    details: An action plugin of the same name does the whole cleanup on the controller.
options:
  lists:
    description:
      - The lists to clean. Required unless O(apply_plan) is set.
    type: list
    elements: dict
    suboptions:
      list:
        description:
          - The list, as the P(mailops.sendgrid.suppressions#lookup) lookup names it.
        type: str
        required: true
        choices: [blocks, customer_bounces, customer_invalid_emails, group_unsubscribes, invalid_emails, spam_reports,
                  subuser_bounces, unsubscribes]
      user:
        description: The customer or subuser whose list it is (on Web API v3 sent as C(on-behalf-of)).
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
  days:
    description: Only records created in the last O(days) days, today included.
    type: int
  start_date:
    description: Only records created on or after this day, C(YYYY-MM-DD).
    type: str
  end_date:
    description: Only records created on or before this day, C(YYYY-MM-DD).
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
  query:
    description: A JMESPath expression that narrows each list's selected records, and returns records.
    type: str
  select_all:
    description: Select every record of the lists. Without it, at least one selector must be set.
    type: bool
    default: false
  max_delete:
    description: A real run that selects more records than this fails before any delete, unless O(confirm_count) is the count.
    type: int
    default: 1000
  confirm_count:
    description: The number of records a real run above O(max_delete) is confirmed to delete.
    type: int
  report_dir:
    description:
      - The folder of the run's journal and of the JSON and CSV reports, on the controller (created 0700; the files
        0600, since they name people's addresses).
      - Unset, a dry run writes no report, and a real run keeps its journal and report in
        C(mailops.sendgrid/cleanup_reports) under the Ansible home (C(ANSIBLE_HOME), C(~/.ansible) by default) and
        says where, so that no real run goes unrecorded.
      - A relative path is relative to the playbook's folder (C(playbook_dir)), as for O(plan_file) and
        O(apply_plan).
      - Before anything else, a run tells once what each interrupted run in this folder did, one line each (a run
        that was stopped from its journal, a run killed before it could write its report after finishing it on
        paper, see O(recover_only)).
    type: path
  report_name:
    description: A part of the report file names, for example the user, so that reports of many runs stay apart.
    type: str
    default: ''
  plan_file:
    description:
      - In a dry run (check mode or O(dry_run)), write the plan here; for every list, user and group the addresses a
        real run would delete, with the selectors, the API URL and version, the time and a SHA-256 digest of the
        content. The run prints the path.
      - A relative path is relative to the playbook's folder (C(playbook_dir)).
    type: path
  apply_plan:
    description:
      - A plan that a dry run wrote. The run deletes exactly its addresses that are still listed, and nothing else
        (not a record that matches the selectors but arrived after the plan); the drift is returned and in the
        reports (outcomes C(already_gone) and C(left_alone)).
      - The lists and selectors come from the plan. The task may repeat them (the playbook that made the plan
        applies it unchanged); any that differ from the plan's are refused before any request, each named.
      - A plan whose digest does not match its content, made for another O(api_url) or O(api_version), or written by
        collection 1.0.0 (format 1), is refused before any request. O(max_delete) and O(confirm_count) apply to the
        plan's count, the number of addresses the reviewer saw.
      - A relative path is relative to the playbook's folder (C(playbook_dir)).
    type: path
  dry_run:
    description:
      - Delete nothing, as in check mode, though the task does not run in check mode; the report and, with
        O(plan_file), the plan say what a real run would do.
      - Check mode is always a dry run, whatever this says. A caller that makes the dry run a variable sets it here
        rather than in the task's C(check_mode), which would override C(--check) and a C(check_mode) the play sets.
        The P(mailops.sendgrid.suppression_cleanup#role) role sets it from C(suppression_cleanup_dry_run).
    type: bool
    default: false
    version_added: 2.0.0
  recover_only:
    description:
      - Only finish on paper the interrupted runs whose journals are in O(report_dir) (or the default folder), and
        delete nothing; for the question "what did last night's killed job delete?".
      - In check mode it writes no report and closes no journal; it names each interrupted run and the report it
        would write.
      - Each such run gets a report of its own, C(<journal>-interrupted.json) and C(.csv), naming every address its
        journal holds with its outcome and, when the run spoke to the same API URL and version, whether SendGrid
        still lists it. Runs still alive (siblings holding their journal's lock) are left alone.
      - A run that stopped itself (a signal, its controller gone) wrote its own report; it is told from its
        journal, once, with its report's counts.
      - The task's lists and selectors are not used (the same task can purge, and recover); O(plan_file) is refused
        beside it.
    type: bool
    default: false
    version_added: 2.0.0
  option_prefix:
    description:
      - How the messages and RV(summary_lines) spell the options they name, for a caller that exposes them under
        other names. The P(mailops.sendgrid.suppression_cleanup#role) role sets V(suppression_cleanup_), so its guard
        asks for C(suppression_cleanup_confirm_count).
      - Called from a role with an argument spec (C(meta/argument_specs.yml)), a variable named with this prefix that
        is none of the role's options (nor its facts C(<prefix>report) and C(<prefix>run_summary)) is refused before
        any request, naming the closest option, since Ansible ignores it and a misspelled selector would widen the
        selection.
    type: str
    default: ''
    version_added: 2.0.0
notes:
  - B(The journal.) A real run writes each delete request's addresses to its journal (C(<report>.journal), one JSON
    object a line) before the request is sent, with one unbuffered write, and the request's outcome after the answer;
    an fsync at least once a second bounds what a crash of the host can lose to the last second. The journal names
    the run, the plan's digest when a plan is applied, the API URL and version, never the key.
  - B(When a run is stopped.) Before its first delete a real run prints one line naming its journal and its report,
    since a stopped task's own last words reach nobody (ansible-core's controller exits first). SIGINT or SIGTERM
    (Ctrl-C, a C(kill) of C(ansible-playbook)) stops the run cleanly. No new request, no retry and no rate-limit wait
    starts, the requests in flight finish (at most O(timeout) seconds), the report is written, marked interrupted,
    and the journal closed. A run whose C(ansible-playbook) was killed (an AWX cancel) stops by itself before its
    next request. A run killed outright (SIGKILL, the OOM killer) is finished on paper by the next run in the same
    O(report_dir). That next run, or O(recover_only), tells what each interrupted run did. Every report's outcomes
    add up to its C(selected).
  - B(Resuming.) Running the same task again deletes what is left of the selection (or of the plan), and its report
    links the interrupted run's (RV(continues)). The same O(confirm_count) confirms it whatever O(max_delete) is,
    since the guard counts what the interrupted runs of the same selection deleted plus what is selected now (or
    what is selected now alone); a selection that grew or changed is refused, naming the count to confirm.
  - B(Progress.) A run longer than ten seconds prints a line every ten seconds (read, selected, deleted, rate, time
    left; for many users, the users done and a few lists that take long), which ansible-runner and AWX record as
    they come.
seealso:
  - plugin: mailops.sendgrid.suppressions
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Review what a cleanup of old hard bounces would delete, and write the plan
  mailops.sendgrid.sendgrid_suppression_cleanup:
    lists:
      - list: subuser_bounces
        user: subuser@example.com
    status: "5."
    report_dir: "{{ playbook_dir }}/cleanup-reports"
    plan_file: "{{ playbook_dir }}/cleanup-plan.json"
  check_mode: true

- name: Delete exactly what the plan holds
  mailops.sendgrid.sendgrid_suppression_cleanup:
    apply_plan: "{{ playbook_dir }}/cleanup-plan.json"
    report_dir: "{{ playbook_dir }}/cleanup-reports"

- name: The permanent blocks of every enabled subuser whose name starts with tenant-, in one task
  mailops.sendgrid.sendgrid_suppression_cleanup:
    lists:
      - list: blocks
        subusers:
          username: tenant-
    status: "5."
    max_delete: 5000

# Where no run was killed (as in the demo account of `make emulator`), this reports none and says so.
- name: What did the purge that was killed last night delete? Report it, and delete nothing
  mailops.sendgrid.sendgrid_suppression_cleanup:
    recover_only: true
    report_dir: "{{ playbook_dir }}/cleanup-reports"
"""

RETURN = r"""
dry_run:
  description: Whether this was a dry run (check mode).
  returned: always
  type: bool
selected:
  description: The records selected for deletion, the addresses held back aside.
  returned: always
  type: int
  sample: 42
totals:
  description:
    - The counts of the run, C(selected), C(held_back), C(deleted), C(already_gone), C(failed), C(not_attempted)
      (selected, not sent, since the run was stopped), C(not_deleted) and C(unknown) (only in the report of a run
      killed with requests in flight, still listed or never checked) and C(left_alone) (new matches of an applied
      plan).
    - The outcomes add up to C(selected); C(held_back) and C(left_alone) are counted apart.
  returned: always
  type: dict
lists:
  description: The same counts for each list, user and group, with C(held_back_addresses) and C(error).
  returned: always
  type: list
  elements: dict
report:
  description: The paths of the JSON report (every record and its outcome) and of the CSV report.
  returned: when O(report_dir) is set
  type: dict
  sample: {json: /srv/reports/suppression_cleanup-20261201T101500Z-3f2a9c1e-run.json}
plan:
  description: The plan written (C(path), C(digest), C(addresses), the number of addresses).
  returned: in check mode with O(plan_file)
  type: dict
drift:
  description:
    - For each entry of the plan applied, C(gone) (planned addresses no longer listed) and C(new_matches_left)
      (addresses that match the selectors now but are not in the plan, left alone).
  returned: with O(apply_plan)
  type: list
  elements: dict
journal:
  description: The run's journal (every delete request's addresses, then its outcome).
  returned: in a real run
  type: str
interrupted:
  description: True when the run was stopped by a signal or by the death of its controller; C(msg) says what it did.
  returned: when the run was stopped
  type: bool
interrupted_runs:
  description:
    - The interrupted runs of O(report_dir) this run told of before anything else, once each, those killed before
      they could report finished on paper (C(selected) counts addresses) and those that stopped themselves
      (C(selected) counts records); each with C(report) (JSON and CSV paths), C(totals), C(deleted), C(selected),
      C(verified) and C(msg), the line printed.
  returned: when there were any
  type: list
  elements: dict
continues:
  description: The reports of the interrupted runs of the same O(report_name) that this run goes on from.
  returned: when there were any
  type: list
  elements: str
opt_outs:
  description:
    - The selected opt-outs (spam reports, global and group unsubscribes) by list, user and group, with their
      counts; empty when the selection holds none. A real run refused for them returns them with
      C(opt_outs_refused=true).
  returned: when the selection was read
  type: dict
  sample: {"group_unsubscribes (group Newsletters) of tenant-42": 3}
seconds:
  description: How long the cleanup took.
  returned: always
  type: float
selectors:
  description:
    - The selectors the run selected with, those that are set (with O(apply_plan), the plan's), as its report
      records them.
  returned: when the selection was read
  type: dict
  sample: {days: 90, status: "5.1.1"}
  version_added: 2.0.0
select_all:
  description: Whether the run selected every record of its lists (with O(apply_plan), whether the plan did).
  returned: when the selection was read
  type: bool
  sample: false
  version_added: 2.0.0
summary_lines:
  description:
    - The run told in a few lines, as the role prints them, to show with C(ansible.builtin.debug); what happened,
      the counts, each list, what was held back, the opt-outs, the report, and what a real run needs.
  returned: when the selection was read (not with O(recover_only), not when the guard or the opt-outs refused it)
  type: list
  elements: str
  sample:
    - DRY RUN - nothing was deleted in 0.4 s
    - selected 2, deleted 0, already gone 0, failed 0
    - "invalid_emails: 2 selected"
    - "a real run of this selection needs a run without check mode (no --check, no check_mode: true); check mode
      made this a dry run, though dry_run is false"
  version_added: 2.0.0
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_arguments import argument_spec


def main():
    # The work is the action plugin's, on the controller; run here, the module only checks its arguments.
    module = AnsibleModule(argument_spec=argument_spec(), mutually_exclusive=[('plan_file', 'apply_plan')],
                           supports_check_mode=True)
    module.fail_json(msg='mailops.sendgrid.sendgrid_suppression_cleanup runs on the controller, through its action '
                         'plugin: call it as a task of a play')


if __name__ == '__main__':
    main()
