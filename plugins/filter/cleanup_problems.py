# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: cleanup_problems
short_description: The rules a cleanup's settings break, each as a message naming the setting
version_added: 1.0.0
author:
  - mailops.sendgrid developers (@mailops)
description:
  - >-
    Checks the settings of a cleanup by the rules of M(mailops.sendgrid.sendgrid_suppression_cleanup), without any
    request, and returns one message per broken rule, naming the setting with O(prefix): a blank API key or URL, a
    region other than V(global) or V(eu),
    no list, a list entry without the user or the group it needs or on an API version that lacks it, no selector
    and no C(select_all), a plan beside selectors, a guard below 1, a negative confirmation.
  - The
    R(mailops.sendgrid.suppression_cleanup role,ansible_collections.mailops.sendgrid.suppression_cleanup_role)
    checks its variables by the same rules, in M(mailops.sendgrid.sendgrid_suppression_cleanup)'s action, before
    any request.
options:
  _input:
    description:
      - The settings, by the option names of M(mailops.sendgrid.sendgrid_suppression_cleanup) (C(lists), C(days),
        C(select_all), C(max_delete), C(api_key), ...); unset ones may be left out or none.
    type: dict
    required: true
  api_version:
    description: The Web API version the lists are read through, V(v3) or V(v2); another value is a problem.
    type: str
    default: v3
  prefix:
    description: Put before each setting's name in the messages, such as the role's C(suppression_cleanup_).
    type: str
    default: ''
"""

EXAMPLES = r"""
- name: Check a cleanup's settings before running it
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
    quiet: true
  vars:
    problems: "{{ {'lists': [{'list': 'blocks'}], 'days': 90} | mailops.sendgrid.cleanup_problems }}"
"""

RETURN = r"""
_value:
  description: One message per broken rule, in the order of the settings; empty when the settings keep every rule.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_checks import settings_problems


def cleanup_problems(settings, api_version='v3', prefix=''):
    if not isinstance(settings, dict):
        raise AnsibleFilterError('mailops.sendgrid.cleanup_problems: the input must be a dictionary of settings, '
                                 'got %s' % type(settings).__name__)
    return settings_problems(settings, api_version, prefix or '')


class FilterModule:
    def filters(self):
        return {'cleanup_problems': cleanup_problems}
