# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: removed_unsubscribes
short_description: The global and group unsubscribes a cleanup run removed, to add them back
version_added: 2.0.0
author:
  - mailops.sendgrid developers (@mailops)
description:
  - Reads the report (C(.json), also the C(-interrupted.json) of a killed run) or the journal (C(.journal)) of a
    M(mailops.sendgrid.sendgrid_suppression_cleanup) run and returns, per list, user and group, the unsubscribes it
    deleted, in the shape M(mailops.sendgrid.sendgrid_unsubscribe) takes them, so that one looped task with
    O(mailops.sendgrid.sendgrid_unsubscribe#module:state=present) adds exactly those addresses back. That task is
    idempotent and has check mode.
  - Only addresses whose outcome is C(deleted) are returned; those already gone, failed or never sent were not
    removed by the run. Of a killed run's report, an address whose request was in flight (C(unknown)) is returned
    when SendGrid no longer listed it.
  - Group unsubscribes come back with the group's id the run recorded, so a group renamed since is still found.
  - The C(created) dates cannot be restored; SendGrid dates the added records now. Spam reports cannot be added back
    through the API at all; the lookup warns how many the run removed.
  - Reads files on the controller; makes no request.
options:
  _terms:
    description: Paths of reports or journals of cleanup runs.
    type: list
    elements: path
    required: true
seealso:
  - module: mailops.sendgrid.sendgrid_unsubscribe
  - module: mailops.sendgrid.sendgrid_suppression_cleanup
"""

EXAMPLES = r"""
# The people of a bad import asked to be mailed again: their unsubscribes are removed, in words.
- name: Remove the global unsubscribes of example.com
  ansible.builtin.include_role:
    name: mailops.sendgrid.suppression_cleanup
  vars:
    suppression_cleanup_lists: [{list: unsubscribes}]
    suppression_cleanup_domains: [example.com]
    suppression_cleanup_remove_opt_outs: true
    suppression_cleanup_dry_run: false

# The wrong import after all: the run's report says what it removed, and this adds exactly that back.
- name: Add back the unsubscribes that run removed
  mailops.sendgrid.sendgrid_unsubscribe:
    user: "{{ item.user if item.user else omit }}"
    group: "{{ item.group if item.group is not none else omit }}"
    emails: "{{ item.emails }}"
    state: present
  loop: "{{ query('mailops.sendgrid.removed_unsubscribes', suppression_cleanup_report.path ~ '.json') }}"
  loop_control:
    label: "{{ item.list }} {{ item.group if item.group is not none else '' }} {{ item.user or '' }}"
"""

RETURN = r"""
_list:
  description: One entry per list, user and group of the run that had unsubscribes deleted.
  type: list
  elements: dict
  contains:
    list:
      description: V(unsubscribes) (global) or V(group_unsubscribes).
      type: str
    user:
      description: The subuser or customer, or V(null) for the account's own list.
      type: str
    group:
      description: The group's id for V(group_unsubscribes), else V(null).
      type: int
    emails:
      description: The addresses deleted, as the list spelled them.
      type: list
      elements: str
"""

import json
import os

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import SUFFIX, Contents

display = Display()
RESTORABLE = ('unsubscribes', 'group_unsubscribes')


def _removed(row):
    """Whether a row of an interrupted run's report was removed: deleted, or in flight and no longer listed."""
    return row.get('outcome') == 'deleted' or (row.get('outcome') == 'unknown' and row.get('still_listed') is False)


def _from_report(path):
    """(list, user, group id or name, email) of each deleted record of a report, or of an interrupted run's."""
    with open(path, encoding='utf-8') as handle:
        report = json.load(handle)
    if isinstance(report, dict) and report.get('interrupted') and isinstance(report.get('records'), list):
        for row in report['records']:
            if _removed(row):
                yield row.get('list'), row.get('user'), row.get('group_id', row.get('group')), row['email']
        return
    if not isinstance(report, dict) or not isinstance(report.get('lists'), list):
        raise AnsibleLookupError('%s is not a cleanup report (no lists)' % path)
    for entry in report['lists']:
        group = entry.get('group_id', entry.get('group'))
        for record in entry.get('records') or []:
            if record.get('outcome') == 'deleted':
                yield entry.get('list'), entry.get('user'), group, record['email']


def _from_journal(path):
    contents = Contents(path)
    if not contents.head:
        raise AnsibleLookupError('%s is not a cleanup journal (no head)' % path)
    for scope, email, outcome, dummy in contents.outcomes():
        if outcome == 'deleted':
            name, user, group = contents.scopes.get(scope, (None, None, None))
            group_id = contents.group_ids.get(scope)
            yield name, user, group_id if group_id is not None else group, email


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        found, seen, spam = {}, set(), 0
        for path in terms:
            if not isinstance(path, str) or not os.path.isfile(path):
                raise AnsibleLookupError('mailops.sendgrid.removed_unsubscribes: no report or journal at %r' % (path,))
            read = _from_journal if path.endswith(SUFFIX) else _from_report
            try:
                for name, user, group, email in read(path):
                    if name == 'spam_reports':
                        spam += 1
                    if name in RESTORABLE:
                        entry = found.setdefault((name, user, group), {
                            'list': name, 'user': user, 'group': group if name == 'group_unsubscribes' else None,
                            'emails': []})
                        if (name, user, group, email) not in seen:
                            seen.add((name, user, group, email))
                            entry['emails'].append(email)
            except (OSError, ValueError) as exc:
                raise AnsibleLookupError('mailops.sendgrid.removed_unsubscribes: cannot read %s: %s' % (
                    path, exc)) from None
        if spam:
            display.warning('mailops.sendgrid.removed_unsubscribes: the run removed %d spam report(s), which the API '
                            'cannot add back' % spam)
        return list(found.values())
