# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: option_bool
short_description: Read a boolean option exactly as Ansible's argument spec reads it
version_added: 1.0.0
author:
  - mailops.sendgrid developers (@mailops)
description:
  - Returns V(true) or V(false) for every value a C(type=bool) option of an argument spec accepts (V(yes), V(y),
    V(t), V(" true"), V(1), V(on) and their opposites), with the same parser the argument spec uses, so a role reads
    its options as their validation did. Jinja's C(bool) filter reads V(y) or V(" true") as V(false).
  - Any other value, V(null) included, gives O(unclear); with O(unclear=true) for a dry run option, anything
    unclear means a dry run.
options:
  _input:
    description: The value to read.
    type: raw
    required: true
  unclear:
    description: What to return for V(null) or a value that is no boolean.
    type: bool
    required: true
"""

EXAMPLES = r"""
- name: Anything but a clear "no" means a dry run
  ansible.builtin.set_fact:
    dry_run: "{{ cleanup_dry_run | mailops.sendgrid.option_bool(unclear=true) }}"
  vars:
    cleanup_dry_run: " no"
"""

RETURN = r"""
_value:
  description: The boolean the argument spec reads, or O(unclear).
  type: bool
"""

from ansible.module_utils.parsing.convert_bool import boolean


def option_bool(value, unclear):
    if value is None:
        return bool(unclear)
    try:
        return boolean(value, strict=True)
    except TypeError:
        return bool(unclear)


class FilterModule:
    def filters(self):
        return {'option_bool': option_bool}
