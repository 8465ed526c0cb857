# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: imported_unsubscribes
short_description: The global and group unsubscribes an import added, to take them out again
version_added: 2.1.0
author:
  - mailops.sendgrid developers (@mailops)
description:
  - Reads the JSON report of a M(mailops.sendgrid.sendgrid_suppression_import) run (its C(report.json)) and returns,
    per list, user and group, the addresses that run added, in the shape M(mailops.sendgrid.sendgrid_unsubscribe)
    takes them, so that one looped task with O(mailops.sendgrid.sendgrid_unsubscribe#module:state=absent) undoes
    the import exactly. Addresses the targets already held are not in the report, so the undo leaves them.
  - An address whose add request failed (outcome C(unknown)) is returned too, since SendGrid may have added it
    before the failure; it was not on the list before the import, so taking it out is safe.
  - Groups come back by the id the import recorded, so a group renamed since is still found; a group the import
    created stays (remove it with M(mailops.sendgrid.sendgrid_unsubscribe_group)).
  - Reads files on the controller; makes no request. The report of a check-mode run added nothing and is refused.
options:
  _terms:
    description: Paths of JSON reports of import runs.
    type: list
    elements: path
    required: true
seealso:
  - module: mailops.sendgrid.sendgrid_suppression_import
  - module: mailops.sendgrid.sendgrid_unsubscribe
  - plugin: mailops.sendgrid.removed_unsubscribes
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: The unsubscribes another provider exported
  ansible.builtin.copy:
    content: |
      address,reason
      moved-1@example.com,unsubscribed
      moved-2@example.com,unsubscribed
    dest: "{{ playbook_dir }}/mailgun-unsubscribes.csv"
    mode: "0600"

- name: See what the import would add
  mailops.sendgrid.sendgrid_suppression_import:
    src: "{{ playbook_dir }}/mailgun-unsubscribes.csv"
  check_mode: true

- name: Import them, with a report
  mailops.sendgrid.sendgrid_suppression_import:
    src: "{{ playbook_dir }}/mailgun-unsubscribes.csv"
    report_dir: "{{ playbook_dir }}/import-reports"
  register: imported

- name: The wrong file after all - take out exactly what that import added
  mailops.sendgrid.sendgrid_unsubscribe:
    user: "{{ item.user if item.user else omit }}"
    group: "{{ item.group if item.group is not none else omit }}"
    emails: "{{ item.emails }}"
    state: absent
  loop: "{{ query('mailops.sendgrid.imported_unsubscribes', imported.report.json) }}"
  loop_control:
    label: "{{ item.list }} {{ item.group if item.group is not none else '' }} {{ item.user or '' }}"
"""

RETURN = r"""
_list:
  description: One entry per list, user and group the import added to.
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
      description: The addresses added (or perhaps added), as the import spelled them.
      type: list
      elements: str
"""

import json
import os

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

KIND = 'suppression_import'


def _added(path):
    """(list, user, group id, email) of each address the import of the report at `path` added."""
    with open(path, encoding='utf-8') as handle:
        report = json.load(handle)
    if not isinstance(report, dict) or report.get('kind') != KIND or not isinstance(report.get('lists'), list):
        raise AnsibleLookupError('%s is not the JSON report of a sendgrid_suppression_import run' % path)
    if report.get('dry_run'):
        raise AnsibleLookupError('%s is the report of a check-mode import, which added nothing' % path)
    for entry in report['lists']:
        group = entry.get('group_id') if entry.get('list') == 'group_unsubscribes' else None
        for record in entry.get('records') or []:
            if record.get('outcome') in ('added', 'unknown'):
                yield entry.get('list'), entry.get('user'), group, record['email']


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        found, seen = {}, set()
        for path in terms:
            if not isinstance(path, str) or not os.path.isfile(path):
                raise AnsibleLookupError('mailops.sendgrid.imported_unsubscribes: no report at %r' % (path,))
            try:
                for name, user, group, email in _added(path):
                    entry = found.setdefault((name, user, group), {'list': name, 'user': user, 'group': group,
                                                                   'emails': []})
                    if (name, user, group, email) not in seen:
                        seen.add((name, user, group, email))
                        entry['emails'].append(email)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise AnsibleLookupError('mailops.sendgrid.imported_unsubscribes: cannot read %s: %s' % (
                    path, exc)) from None
        return list(found.values())
