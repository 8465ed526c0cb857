# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: unknown_names
short_description: The names that are not among the valid ones, each with the closest valid name
version_added: 1.0.0
author:
  - mailops.sendgrid developers (@mailops)
description:
  - >-
    Returns one message for each name of the input that O(valid) does not hold, naming it and the closest valid
    name, for example C(unknown variable suppression_cleanup_domain: did you mean suppression_cleanup_domains?).
  - The
    R(mailops.sendgrid.suppression_cleanup role,ansible_collections.mailops.sendgrid.suppression_cleanup_role)
    refuses its misspelled variables by the same rule (in M(mailops.sendgrid.sendgrid_suppression_cleanup)'s
    action), since an ignored selector would widen what it deletes.
options:
  _input:
    description: The names given.
    type: list
    elements: str
    required: true
  valid:
    description: The valid names.
    type: list
    elements: str
    required: true
  kind:
    description: What a name is, for the message.
    type: str
    default: option
"""

EXAMPLES = r"""
- name: Refuse a misspelled variable of this play's own prefix
  ansible.builtin.assert:
    that: unknown | length == 0
    fail_msg: "{{ unknown | join('; ') }}"
  vars:
    unknown: >-
      {{ query('ansible.builtin.varnames', '^cleanup_') | mailops.sendgrid.unknown_names(['cleanup_days'], 'variable') }}
"""

RETURN = r"""
_value:
  description: One message per unknown name, sorted by name; empty when every name is valid.
  type: list
  elements: str
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.options import unknown_name_messages


def unknown_names(names, valid, kind='option'):
    return unknown_name_messages(names or [], valid or [], kind)


class FilterModule:
    def filters(self):
        return {'unknown_names': unknown_names}
