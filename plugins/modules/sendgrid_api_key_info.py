#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_api_key_info
short_description: Tell what a SendGrid API key may do, before a long run finds out at its first delete
version_added: 2.1.0
description:
  - Reads the scopes (permissions) of the API key in O(api_key) from C(GET /v3/scopes), and tells for the
    operations a pipeline means to run (O(purge), O(read), O(groups), O(webhook), O(bounce_purge), O(subusers))
    whether the key may run them, and which scopes it lacks; so that a CI job can assert its key before it starts.
  - The scopes each operation needs come from the one table the collection keeps (the getting started guide prints
    it). SendGrid documents the names of the scopes, not which operation needs which; the table is the collection's
    reading of them. Where several scopes allow an operation (C(suppression.delete) or
    C(suppression.blocks.delete)), any one of them is enough.
  - The scopes are the key's own, asked without C(on-behalf-of). A call made on behalf of a subuser is held, we
    assume, to the scopes of the parent's key that makes it.
  - When SendGrid refuses to tell the scopes (C(GET /v3/scopes) answers 401 or 403), the task does not fail, but
    RV(scopes_read) is V(false), every answer in RV(allowed) is V(null), and a warning says so.
  - Reads only; one request. Web API v2 has no scopes; O(api_version=v2) fails before any request.
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
    details: The module only reads; it runs the same in check mode.
  diff_mode:
    support: N/A
    details: The module changes nothing.
options:
  purge:
    description:
      - The lists the key is meant to purge (read, then delete from), as the cleanup does. C(bounces) stands for
        the bounces of the account, a subuser or a customer, C(invalid_emails) likewise; C(unsubscribes) are the
        global unsubscribes, C(group_unsubscribes) those of unsubscribe groups.
    type: list
    elements: str
    choices: [blocks, bounces, group_unsubscribes, invalid_emails, spam_reports, unsubscribes]
    default: []
  read:
    description:
      - The lists the key is meant to read only (the C(mailops.sendgrid.suppressions) lookup, a dry run,
        M(mailops.sendgrid.sendgrid_suppression_info)).
    type: list
    elements: str
    choices: [blocks, bounces, group_unsubscribes, invalid_emails, spam_reports, unsubscribes]
    default: []
  groups:
    description: Whether the key is meant to manage unsubscribe groups (M(mailops.sendgrid.sendgrid_unsubscribe_group)).
    type: bool
    default: false
  webhook:
    description: Whether the key is meant to manage Event Webhooks (M(mailops.sendgrid.sendgrid_event_webhook)).
    type: bool
    default: false
  bounce_purge:
    description: Whether the key is meant to manage the bounce purge setting (M(mailops.sendgrid.sendgrid_bounce_purge)).
    type: bool
    default: false
  subusers:
    description:
      - Whether the key is meant to read the subusers (the C(mailops.sendgrid.subusers) inventory, and every task
        given a C(subusers) selection).
    type: bool
    default: false
seealso:
  - module: mailops.sendgrid.sendgrid_suppression_cleanup
    description: Checks the key's scopes itself before its first read, and refuses a run the key cannot finish.
"""

EXAMPLES = r"""
- name: What may this key do?
  mailops.sendgrid.sendgrid_api_key_info:
    purge: [blocks, bounces]
    read: [spam_reports]
    webhook: true
  register: key

- name: Stop the pipeline before a purge the key cannot finish
  ansible.builtin.assert:
    that: key.missing | length == 0
    fail_msg: "The key lacks: {{ key.missing | map(attribute='scopes') | map('join', ' or ') | join('; ') }}"

- name: Show the key's scopes
  ansible.builtin.debug:
    msg: "{{ key.scopes | join(', ') }}"
"""

RETURN = r"""
scopes:
  description: The key's scopes, sorted; empty when they could not be read.
  returned: always
  type: list
  elements: str
  sample: [suppression.blocks.delete, suppression.blocks.read]
scopes_read:
  description: Whether SendGrid told the scopes; V(false) when C(GET /v3/scopes) answered 401 or 403.
  returned: always
  type: bool
  sample: true
allowed:
  description:
    - For each operation asked, whether the key may run it; under C(purge) and C(read) by list. V(null) when the
      scopes could not be read.
  returned: always
  type: dict
  sample: {purge: {blocks: true, bounces: false}, read: {spam_reports: true}, webhook: false}
missing:
  description: Each scope the key lacks for an operation asked, with its alternatives (any one is enough).
  returned: always
  type: list
  elements: dict
  contains:
    intent:
      description: The operation asked that needs it, such as C(purge bounces) or C(webhook).
      type: str
      sample: purge bounces
    scopes:
      description: The scopes that would allow it; any one is enough.
      type: list
      elements: str
      sample: [suppression.delete, suppression.bounces.delete]
    needed_for:
      description: What the scope is needed for.
      type: str
      sample: deleting from bounces
  sample: [{intent: purge bounces, scopes: [suppression.read, suppression.bounces.read], needed_for: reading bounces}]
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_service, service_module
from ansible_collections.mailops.sendgrid.plugins.module_utils.permissions import INTENTS, PURGES, assess, key_scopes

V2_LACKS = ('sendgrid_api_key_info', 'API key scopes (GET /v3/scopes)')


def _answer(params, client):
    held = key_scopes(client)
    allowed, missing = assess(held, params['purge'], params['read'],
                              [intent for intent in sorted(INTENTS) if params[intent]])
    return {'scopes': sorted(held or ()), 'scopes_read': held is not None, 'allowed': allowed, 'missing': missing}


def main():
    kinds = sorted(PURGES)
    module = service_module(
        purge=dict(type='list', elements='str', choices=kinds, default=[]),
        read=dict(type='list', elements='str', choices=kinds, default=[]),
        **{intent: dict(type='bool', default=False) for intent in INTENTS})
    result = run_service(module, lambda client, options: _answer(module.params, client), v3_only=V2_LACKS)
    if not result['scopes_read']:
        module.warn("SendGrid would not tell this key's scopes (GET /v3/scopes answered 401 or 403), so nothing "
                    "was checked")
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
