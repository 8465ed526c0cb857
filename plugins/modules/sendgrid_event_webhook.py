#!/usr/bin/python
# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: sendgrid_event_webhook
short_description: Manage SendGrid Event Webhooks as code, of the account, a subuser, or every subuser at once
version_added: 2.0.0
description:
  - Manages an Event Webhook of a SendGrid account, or of a subuser with O(user) (sent as C(on-behalf-of)), through
    Web API v3 (C(/v3/user/webhooks/event/settings)). A webhook is found by its O(url), since the API refuses two
    webhooks with one URL.
  - O(state=present) creates the webhook, or changes only the settings that differ, with one request; a new webhook
    that should be signed is created, then signed, since the API cannot sign at creation. O(state=absent) deletes
    it. A second identical run sends no write request.
  - Returns the webhook and, when it is signed, its verification key C(public_key), so that a play can hand it to
    the C(mailops.sendgrid.sendgrid_events) event source without a person copying it. SendGrid does not document
    whether turning signing off and on makes a new key; C(public_key_changed) says when the key differs from the one
    before the task.
  - With O(subusers), every subuser of the selection gets its own webhook at O(url) with C({user}) replaced by its
    username (percent-encoded as one path segment, as the event source names its paths), through its region, up to
    O(concurrency) users at once under one rate pace. A user that fails is reported in its entry; the others go on.
  - Before a create, the account's C(max_allowed) is checked against its enabled webhooks, with a clear error.
  - OAuth settings (C(oauth_client_id), C(oauth_token_url)) are left as they are, since the secret cannot be read back, so
    it cannot be compared.
  - Web API v2 has no webhook settings endpoint; O(api_version=v2) fails before any request.
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
    details: No write request is made; the result says what a real run would do (a key that signing would make is not known).
  diff_mode:
    support: full
    details: The webhook's settings, before and after.
options:
  url:
    description:
      - The URL SendGrid posts to; it also finds the webhook. An http or https URL with a host.
      - With O(subusers), a template holding C({user}), for example C(https://hooks.example.com/sendgrid/{user}).
    type: str
    required: true
  state:
    description: V(present) creates or updates the webhook; V(absent) deletes it.
    type: str
    choices: [absent, present]
    default: present
  enabled:
    description: Whether SendGrid posts to the webhook. Unset, an existing webhook keeps its setting and a new one is enabled.
    type: bool
  events:
    description:
      - The event types the webhook posts, by the names the posts carry (as the event source's C(event_types)); the
        others are turned off. Unset, an existing webhook keeps its own; required to create one (V([]) for none).
    type: list
    elements: str
    choices: [processed, dropped, delivered, deferred, bounce, open, click, spamreport, unsubscribe, group_unsubscribe,
              group_resubscribe]
  friendly_name:
    description: A name for people; not unique and never used to find the webhook. Unset, it is left as it is.
    type: str
  signed:
    description: Whether SendGrid signs its posts (ECDSA; the event source verifies them). Unset, left as it is.
    type: bool
seealso:
  - ref: ansible_collections.mailops.sendgrid.docsite.event_driven
    description: Setting up the webhooks, and the event source C(mailops.sendgrid.sendgrid_events) that verifies their posts.
"""

EXAMPLES = r"""
- name: The account's webhook for bounces and spam reports, signed
  mailops.sendgrid.sendgrid_event_webhook:
    url: https://hooks.example.com/sendgrid/account
    events: [bounce, spamreport]
    friendly_name: Suppressions
    signed: true
  register: account_hook

- name: Every tenant subuser's own signed webhook, in one task
  mailops.sendgrid.sendgrid_event_webhook:
    url: https://hooks.example.com/sendgrid/{user}
    subusers:
      username: tenant-
    events: [bounce, spamreport, unsubscribe, group_unsubscribe]
    signed: true
  register: fleet_hooks

- name: Hand the keys to the event source (its webhooks file)
  ansible.builtin.copy:
    content: |
      {% for hook in fleet_hooks.webhooks %}
      - {user: {{ hook.user | to_json }}, url: {{ hook.url | to_json }}, public_key: {{ hook.public_key | to_json }}}
      {% endfor %}
    dest: "{{ playbook_dir }}/sendgrid-webhooks.yml"
    mode: "0600"

- name: A webhook no longer used
  mailops.sendgrid.sendgrid_event_webhook:
    url: https://old.example.com/hook
    state: absent
"""

RETURN = r"""
webhook:
  description: The webhook after the task (V(null) when absent), with C(id), C(url), C(enabled), C(events), C(friendly_name), C(signed) and C(public_key).
  returned: without O(subusers)
  type: dict
public_key:
  description: The webhook's verification key (base64 of the DER key, as SendGrid shows it) when it is signed.
  returned: without O(subusers)
  type: str
public_key_changed:
  description: Whether the key differs from the one before the task (a key that did not exist before counts).
  returned: without O(subusers)
  type: bool
webhooks:
  description:
    - One entry per user (one without O(subusers)) with C(user), C(url), C(changed), C(webhook), C(public_key),
      C(public_key_changed), or C(failed) and C(msg); the shape the event source's C(webhooks_file) takes.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.mailops.sendgrid.plugins.module_utils.event_webhook import (
    EVENT_NAMES, EventWebhooks, manage_many, manage_webhook, url_problem, wanted_settings)
from ansible_collections.mailops.sendgrid.plugins.module_utils.module_runner import run_settings, settings_module
from ansible_collections.mailops.sendgrid.plugins.module_utils.permissions import checked_first


def main():
    module = settings_module(
        url=dict(type='str', required=True), state=dict(type='str', default='present', choices=['absent', 'present']),
        enabled=dict(type='bool'), events=dict(type='list', elements='str', choices=list(EVENT_NAMES)),
        friendly_name=dict(type='str'), signed=dict(type='bool'))
    params = module.params
    problem = url_problem(params['url'], params['subusers'] is not None)
    if problem:
        module.fail_json(msg=problem)
    task = {'state': params['state'], 'signed': params['signed'],
            'wanted': wanted_settings(params['enabled'], params['events'], params['friendly_name'])}
    run_settings(
        module, 'webhook', 'webhooks', single_keys=('webhook', 'public_key', 'public_key_changed'),
        for_one=lambda client: manage_webhook(EventWebhooks(client, params['user']), params['url'],
                                              check_mode=module.check_mode, **task),
        # A fleet's key is checked before its first read; what each change needs, its 403 names.
        for_many=checked_first(module, ('read_webhooks', 'read_subusers'), lambda client, options: manage_many(
            client, options, params['url'], params['subusers'], params['concurrency'], check_mode=module.check_mode,
            **task)))


if __name__ == '__main__':
    main()
