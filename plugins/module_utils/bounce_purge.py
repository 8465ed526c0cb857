# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SendGrid's own bounce purge as state (Web API v3 `mail_settings/bounce_purge`, SendGrid's mail settings OpenAPI
document): SendGrid deletes a user's soft and hard bounces older than so many days. Read, compared, and changed
with one request of what differs; of the account, a user (on-behalf-of) or a selection of subusers."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import require_v3
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import each_subuser

PATH = 'mail_settings/bounce_purge'
DAYS = ('soft_bounces', 'hard_bounces')
# SendGrid's Mail Settings guide (Purge Bounces): from 1 to 3,650 days. The API stores null for "never".
MIN_DAYS, MAX_DAYS = 1, 3650
NEVER = 0


def days_problem(name, value):
    """Why `value` is no number of days for option `name`, or None."""
    if value is None or value == NEVER or MIN_DAYS <= value <= MAX_DAYS:
        return None
    return '%s must be from %d to %d days, or %d for no purge of these bounces; got %s' % (
        name, MIN_DAYS, MAX_DAYS, NEVER, value)


def wanted_purge(enabled=None, soft_bounces=None, hard_bounces=None):
    """The fields a task sets, as the API spells them (0 days is null); None leaves a field as it is."""
    wanted = {} if enabled is None else {'enabled': bool(enabled)}
    for name, value in zip(DAYS, (soft_bounces, hard_bounces)):
        if value is not None:
            wanted[name] = value or None
    return wanted


def shown(setting):
    """The setting as the module returns it: enabled, and the days of each kind (None: no purge of that kind)."""
    return {'enabled': bool(setting.get('enabled')),
            'soft_bounces': setting.get('soft_bounces') or None, 'hard_bounces': setting.get('hard_bounces') or None}


def _setting_problem(answer):
    if not isinstance(answer, dict) or not isinstance(answer.get('enabled'), bool):
        return 'an object with a boolean "enabled" was expected'
    for name in DAYS:
        value = answer.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            return '"%s" was expected to be a number of days or null' % name
    return None


class BouncePurge:
    """The bounce purge setting of one user (None: the account itself), through a v3 client."""

    def __init__(self, client, user=None):
        require_v3(client.api_version, 'the bounce purge', 'mail settings endpoint')
        self.client, self.user = client, user

    def _call(self, method, body=None):
        answer = self.client.call(method, PATH, body=body, on_behalf_of=self.user, context={'user': self.user})
        problem = _setting_problem(answer)
        if problem:
            raise self.client.unexpected(problem, answer, user=self.user, endpoint='%s v3/%s' % (method, PATH))
        return shown(answer)

    def read(self):
        return self._call('GET')

    def update(self, changes):
        return self._call('PATCH', changes)


def manage_purge(purge, wanted, check_mode=False):
    """One user's bounce purge brought to `wanted`: its entry (user, changed, setting, diff)."""
    before = purge.read()
    changes = {name: value for name, value in wanted.items() if before.get(name) != value}
    after = before
    if changes:
        after = dict(before, **changes) if check_mode else purge.update(changes)
    label = purge.user or 'the account'
    return {'user': purge.user, 'changed': bool(changes), 'setting': after,
            'diff': {'before': before, 'after': after,
                     'before_header': 'bounce purge of %s' % label, 'after_header': 'bounce purge of %s' % label}}


def manage_many(client, options, subusers, concurrency, wanted, check_mode=False):
    """The bounce purge of each subuser of the `subusers` selection (see subusers.each_subuser)."""
    return each_subuser(client, options, subusers, concurrency,
                        lambda regional, user: manage_purge(BouncePurge(regional, user), wanted, check_mode=check_mode))
