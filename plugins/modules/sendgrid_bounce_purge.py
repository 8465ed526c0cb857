#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_bounce_purge
short_description: Manage SendGrid's own bounce purge as code, of the account, a subuser, or every subuser at once
version_added: 2.0.0
description:
  - Manages the bounce purge mail setting of a SendGrid account, or of a subuser with O(user) (sent as
    C(on-behalf-of)), through Web API v3 (C(/v3/mail_settings/bounce_purge)). With it enabled, SendGrid itself deletes
    the user's soft bounces older than O(soft_bounces) days and its hard bounces older than O(hard_bounces) days, on
    its own schedule.
  - The setting is read, and only the fields that differ are sent, in one request; a second identical run sends no
    write request. An option left unset keeps the user's own value.
  - SendGrid's purge goes by age and kind only. To remove bounces by address, domain, status or reason, with a
    reviewed plan and a record of each deletion, use M(mailops.sendgrid.sendgrid_suppression_cleanup); the bulk
    cleanup guide says when each fits.
  - With O(subusers), every subuser of the selection gets the same setting, through its region, up to
    O(concurrency) users at once under one rate pace. A user that fails is reported in its entry; the others go on.
  - Out-of-range days fail before any request. Web API v2 has no mail settings endpoint; O(api_version=v2) fails
    before any request.
author:
  - mailops.sendgrid developers (@mailops)
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.concurrency
  - mailops.sendgrid.sendgrid.attributes
  - mailops.sendgrid.sendgrid.v3_user
  - mailops.sendgrid.sendgrid.subusers
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details: No write request is made; the result says what the setting would become.
  diff_mode:
    support: full
    details: The setting of each user, before and after.
options:
  enabled:
    description: Whether SendGrid purges the user's bounces. Unset, the user's setting is left as it is.
    type: bool
  soft_bounces:
    description:
      - How many days SendGrid keeps a soft bounce (a temporary failure) before it purges it, from 1 to 3650
        (SendGrid's limits). V(0) clears the age (sent as V(null)), so that no soft bounce is purged. Unset, left as it is.
    type: int
  hard_bounces:
    description:
      - How many days SendGrid keeps a hard bounce (a permanent failure) before it purges it, from 1 to 3650.
        V(0) clears the age (sent as V(null)), so that no hard bounce is purged. Unset, left as it is.
    type: int
seealso:
  - module: mailops.sendgrid.sendgrid_suppression_cleanup
    description: Removing bounces by rule, with a reviewed plan and a record of each deletion.
  - ref: ansible_collections.mailops.sendgrid.docsite.bulk_cleanup
    description: When SendGrid's purge fits, and when the cleanup does.
  - plugin: mailops.sendgrid.bounce_classifications
    plugin_type: lookup
    description: Why bounces happen, day by day, before deciding what to purge.
"""

EXAMPLES = r"""
- name: SendGrid purges the account's soft bounces after a week and its hard bounces after 90 days
  mailops.sendgrid.sendgrid_bounce_purge:
    enabled: true
    soft_bounces: 7
    hard_bounces: 90
  register: account_purge

- name: Every tenant subuser keeps hard bounces a year and soft bounces forever
  mailops.sendgrid.sendgrid_bounce_purge:
    subusers:
      username: tenant-
    enabled: true
    soft_bounces: 0
    hard_bounces: 365
  register: tenant_purges

- name: Read a subuser's setting without changing it
  mailops.sendgrid.sendgrid_bounce_purge:
    user: tenant-42
  register: tenant_setting

- name: No purge for this subuser, whatever it had (its days are kept for later)
  mailops.sendgrid.sendgrid_bounce_purge:
    user: subuser@example.com
    enabled: false
"""

RETURN = r"""
setting:
  description:
    - The setting after the task, with C(enabled), C(soft_bounces) and C(hard_bounces) (V(null) where no age is set).
      In check mode, what it would become.
  returned: without O(subusers)
  type: dict
  sample: {enabled: true, soft_bounces: 7, hard_bounces: 90}
settings:
  description:
    - One entry per user (one without O(subusers); the account's has C(user) V(null)) with C(user), C(changed) and
      C(setting), or C(failed) and C(msg).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.bounce_purge import (
    DAYS, BouncePurge, days_problem, manage_many, manage_purge, wanted_purge)
from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_settings, settings_module
from ansible_collections.mailops.sendgrid.plugins.module_utils.permissions import checked_first


def main():
    module = settings_module(enabled=dict(type='bool'), soft_bounces=dict(type='int'), hard_bounces=dict(type='int'))
    params = module.params
    for name in DAYS:
        problem = days_problem(name, params[name])
        if problem:
            module.fail_json(msg=problem)
    wanted = wanted_purge(params['enabled'], params['soft_bounces'], params['hard_bounces'])
    run_settings(
        module, 'bounce purge', 'settings', single_keys=('setting',),
        for_one=lambda client: manage_purge(BouncePurge(client, params['user']), wanted, check_mode=module.check_mode),
        # A fleet's key is checked before its first read; what a change needs, its 403 names.
        for_many=checked_first(module, ('read_bounce_purge', 'read_subusers'), lambda client, options: manage_many(
            client, options, params['subusers'], params['concurrency'], wanted, check_mode=module.check_mode)))


if __name__ == '__main__':
    main()
