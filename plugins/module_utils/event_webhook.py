# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SendGrid's Event Webhook settings as state (Web API v3 `user/webhooks/event/settings`, SendGrid's webhooks
OpenAPI document): a webhook is found by its URL (the API refuses two with one URL), created, changed with the
fewest requests, signed or not, deleted; of the account or of a user (on-behalf-of)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError, require_v3
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import each_subuser

BASE = 'user/webhooks/event/settings'
# The event types as the posts name them (and the event source's event_types), and the setting of each.
EVENT_SETTINGS = {
    'processed': 'processed', 'dropped': 'dropped', 'delivered': 'delivered', 'deferred': 'deferred',
    'bounce': 'bounce', 'open': 'open', 'click': 'click', 'spamreport': 'spam_report', 'unsubscribe': 'unsubscribe',
    'group_unsubscribe': 'group_unsubscribe', 'group_resubscribe': 'group_resubscribe',
}
EVENT_NAMES = tuple(EVENT_SETTINGS)
USER_PLACEHOLDER = '{user}'


def user_url(template, user):
    """A webhook URL of a user: `template` with {user} the username, percent-encoded as one path segment. The
    event source names its paths with the same function, so a post's path says whose webhook sent it."""
    return template.replace(USER_PLACEHOLDER, quote(user or '', safe=''))


def url_problem(url, many=False):
    """Why `url` is no webhook URL (http or https, a host; with many users, {user} in it), or None."""
    if not isinstance(url, str) or not url.strip():
        return 'url is required: the URL SendGrid posts events to (it also finds the webhook)'
    parts = urlsplit(url.replace(USER_PLACEHOLDER, 'user'))
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        return 'url must be an http:// or https:// URL with a host, got %r' % url
    if many and USER_PLACEHOLDER not in url:
        return 'url must hold {user} when subusers is set, so that each subuser gets a webhook of its own (the ' \
               'API refuses two webhooks with one URL)'
    if not many and USER_PLACEHOLDER in url:
        return 'url holds {user}, which only subusers fills in; name the URL itself for one user'
    return None


def wanted_settings(enabled=None, events=None, friendly_name=None):
    """The settings a task asks for: only those it sets (None leaves a setting as it is)."""
    wanted = {}
    if enabled is not None:
        wanted['enabled'] = bool(enabled)
    if events is not None:
        chosen = set(events)
        wanted.update({setting: name in chosen for name, setting in EVENT_SETTINGS.items()})
    if friendly_name is not None:
        wanted['friendly_name'] = friendly_name
    return wanted


def shown(webhook, public_key=None, signed=None):
    """A webhook as the module returns it: id, url, enabled, events (by the names the posts carry), friendly_name,
    signed, and public_key when signed (and known: check mode does not make one)."""
    if webhook is None:
        return None
    return {'id': webhook.get('id'), 'url': webhook.get('url'), 'enabled': bool(webhook.get('enabled')),
            'events': [name for name, setting in EVENT_SETTINGS.items() if webhook.get(setting)],
            'friendly_name': webhook.get('friendly_name') or '',
            'signed': bool(public_key) if signed is None else bool(signed), 'public_key': public_key or None}


def _listing_problem(answer):
    if not isinstance(answer, dict) or not isinstance(answer.get('webhooks'), list):
        return 'an object with "max_allowed" and a "webhooks" list was expected'
    return None


def _webhook_problem(answer):
    if not isinstance(answer, dict) or not isinstance(answer.get('id'), str):
        return 'a webhook with a string "id" was expected'
    return None


class EventWebhooks:
    """The Event Webhooks of one user (None: the account itself), through a v3 client."""

    def __init__(self, client, user=None):
        require_v3(client.api_version, 'the Event Webhook', 'webhook settings endpoint')
        self.client, self.user = client, user

    def _call(self, method, path, expect=None, **kwargs):
        answer = self.client.call(method, path, on_behalf_of=self.user, context={'user': self.user}, **kwargs)
        problem = expect(answer) if expect else None
        if problem:
            raise self.client.unexpected(problem, answer, user=self.user, endpoint='%s v3/%s' % (method, path))
        return answer

    def all(self):
        """(max_allowed, [webhooks]); the document's answer for none is a list of one empty object."""
        answer = self._call('GET', BASE + '/all', expect=_listing_problem)
        return answer.get('max_allowed'), [w for w in answer['webhooks'] if isinstance(w, dict) and w.get('id')]

    def create(self, settings):
        return self._call('POST', BASE, body=settings, expect=_webhook_problem)

    def update(self, webhook_id, changes):
        return self._call('PATCH', '%s/%s' % (BASE, quote(webhook_id, safe='')), body=changes,
                          expect=_webhook_problem)

    def delete(self, webhook_id):
        self._call('DELETE', '%s/%s' % (BASE, quote(webhook_id, safe='')))

    def sign(self, webhook_id, enabled):
        """Turn signing on or off; the verification key ('' when off)."""
        answer = self._call('PATCH', '%s/signed/%s' % (BASE, quote(webhook_id, safe='')),
                            body={'enabled': bool(enabled)})
        return answer.get('public_key') or '' if isinstance(answer, dict) else ''


def manage_webhook(webhooks, url, state='present', wanted=None, signed=None, check_mode=False):
    """One user's webhook at `url` brought to the state asked for; the result of that user (webhook, public key,
    whether the key changed, the requests' diff)."""
    wanted = dict(wanted or {})
    max_allowed, listed = webhooks.all()
    current = next((w for w in listed if w.get('url') == url), None)
    key_before = current.get('public_key') or None if current else None
    before = shown(current, key_before)
    result = {'user': webhooks.user, 'url': url, 'changed': False}
    if state == 'absent':
        if current is not None:
            result['changed'] = True
            if not check_mode:
                webhooks.delete(current['id'])
        return dict(result, webhook=None, public_key=None, public_key_changed=False,
                    diff={'before': before or {}, 'after': {}})
    is_signed = bool(key_before)
    if current is None:
        current, key_after = _create(webhooks, url, wanted, signed, listed, max_allowed, check_mode)
        result['changed'], is_signed = True, bool(signed)
    else:
        changes = {name: value for name, value in wanted.items() if current.get(name) != value}
        key_after = key_before
        if changes:
            result['changed'] = True
            current = dict(current, **changes) if check_mode else webhooks.update(current['id'], changes)
        if signed is not None and bool(signed) != is_signed:
            result['changed'], is_signed = True, bool(signed)
            key_after = None if check_mode else (webhooks.sign(current['id'], signed) or None)
    after = shown(current, key_after, is_signed)
    return dict(result, webhook=after, public_key=after['public_key'],
                public_key_changed=bool(key_after) and key_after != key_before and not check_mode,
                diff={'before': before or {}, 'after': after})


def _create(webhooks, url, wanted, signed, listed, max_allowed, check_mode):
    if 'bounce' not in wanted:
        raise SendGridError('events is required to create the webhook at %s (the event types it posts; [] for none)'
                            % url, user=webhooks.user)
    settings = dict(wanted_settings(enabled=True), **wanted)
    settings['url'] = url
    enabled_now = sum(1 for w in listed if w.get('enabled'))
    if settings['enabled'] and isinstance(max_allowed, int) and enabled_now >= max_allowed:
        raise SendGridError('%s already has %d enabled Event Webhooks, the most its plan allows (max_allowed %d); '
                            'nothing was created: disable or delete one, or create this one with enabled: false'
                            % (webhooks.user or 'the account', enabled_now, max_allowed), user=webhooks.user)
    if check_mode:
        return dict(settings, id=None), None
    created = webhooks.create(settings)
    # Signing cannot be asked for at creation: it is a request of its own, after.
    key = webhooks.sign(created['id'], True) if signed else None
    return created, key or None


def manage_many(client, options, url, subusers, concurrency, check_mode=False, **task):
    """Each subuser of the `subusers` selection gets its webhook at `url` with {user} filled in (see
    subusers.each_subuser); a user that fails is told in its own entry, with its URL."""
    def manage(regional, user):
        return manage_webhook(EventWebhooks(regional, user), user_url(url, user), check_mode=check_mode, **task)
    return [dict(entry, url=user_url(url, entry['user'])) if entry.get('failed') else entry
            for entry in each_subuser(client, options, subusers, concurrency, manage)]
