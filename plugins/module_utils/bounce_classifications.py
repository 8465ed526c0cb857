# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Why bounces happen (Web API v3 `suppression/bounces/classifications`, SendGrid's suppressions OpenAPI
document): each day's bounces counted by SendGrid's classification, or one classification's by recipient domain;
of one user or many, as flat rows."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import regional_clients
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError, require_v3
from ansible_collections.mailops.sendgrid.plugins.module_utils.parallel import in_order

PATH = 'suppression/bounces/classifications'
# The document's enum of the classification path parameter.
CLASSIFICATIONS = ('Content', 'Frequency or Volume Too High', 'Invalid Address', 'Mailbox Unavailable',
                   'Reputation', 'Technical Failure', 'Unclassified')
DATE_FORMAT = '%Y-%m-%d'


def query_problem(classification=None, start_date=None, end_date=None):
    """Why these options ask nothing SendGrid can answer, or None."""
    if classification is not None and classification not in CLASSIFICATIONS:
        return 'classification must be one of %s (as SendGrid spells them), got %r' % (
            ', '.join(CLASSIFICATIONS), classification)
    days = {}
    for name, value in (('start_date', start_date), ('end_date', end_date)):
        if value is None:
            continue
        try:
            days[name] = datetime.datetime.strptime(str(value), DATE_FORMAT).date()
        except ValueError:
            return '%s must be a date as YYYY-MM-DD, got %r' % (name, value)
    if len(days) == 2 and days['start_date'] > days['end_date']:
        return 'start_date (%s) must not be later than end_date (%s)' % (start_date, end_date)
    return None


def _answer_problem(answer, key):
    if not isinstance(answer, dict) or not isinstance(answer.get('result'), list):
        return 'an object with a "result" list was expected'
    for day in answer['result']:
        if not isinstance(day, dict) or not isinstance(day.get('date'), str) or not isinstance(day.get('stats'), list):
            return 'each day of "result" was expected to have a "date" and a "stats" list'
        for stat in day['stats']:
            if not isinstance(stat, dict) or not isinstance(stat.get(key), str) or not isinstance(stat.get('count'), int):
                return 'each stat was expected to have a "%s" and an integer "count"' % key
    return None


def user_rows(client, user=None, classification=None, start_date=None, end_date=None):
    """One row per day and classification (or, with `classification`, per day and domain) of `user`'s bounces
    (None: the account's): {user, date, classification, domain, count}, days oldest first."""
    require_v3(client.api_version, 'reading bounce classifications', 'classifications endpoint')
    path = PATH if classification is None else '%s/%s' % (PATH, quote(classification, safe=''))
    params = {name: str(value) for name, value in (('start_date', start_date), ('end_date', end_date))
              if value is not None}
    answer = client.call('GET', path, params=params or None, on_behalf_of=user, context={'user': user})
    key = 'classification' if classification is None else 'domain'
    problem = _answer_problem(answer, key)
    if problem:
        raise client.unexpected(problem, answer, user=user, endpoint='GET v3/%s' % path)
    return [{'user': user, 'date': day['date'][:10],
             'classification': stat['classification'] if classification is None else classification,
             'domain': stat.get('domain') if classification is not None else None, 'count': stat['count']}
            for day in answer['result'] for stat in day['stats']]


def fleet_rows(client, options, chosen, concurrency, **query):
    """The rows of each of the `chosen` users ({user, region}, as subusers.fleet_users gives them), in that
    order, `concurrency` users at a time under the clients' shared pacer."""
    client_for = regional_clients(options, client)

    def one(target):
        return user_rows(client_for(target['region']), target['user'], **query)

    def not_asked(target):
        raise SendGridError('the run was stopped before the classifications of %s were read'
                            % (target['user'] or 'the account'))
    return [row for rows in in_order(one, chosen, concurrency, not_asked) for row in rows]
