"""Bounce classifications as SendGrid's OpenAPI document describes them (`tsg_suppressions_v3.yaml` in
twilio/sendgrid-oai): the totals per day by classification, `GET /v3/suppression/bounces/classifications`, and
one classification's totals per day by domain, `.../classifications/{classification}`; `start_date` and
`end_date` (YYYY-MM-DD, inclusive), on-behalf-of, and the required `Accept` header (application/json or
text/csv). Counted from the bounce records the store keeps; a record carries no classification, so it is derived
from its status and reason by CLASSIFY (written down in README.md)."""

import csv
import datetime
import io
import re

from flask import Response, request

from . import v3
from .v3 import V3Error

CLASSIFICATIONS = ('Content', 'Frequency or Volume Too High', 'Invalid Address', 'Mailbox Unavailable',
                   'Reputation', 'Technical Failure', 'Unclassified')
ACCEPTED = ('application/json', 'text/csv')
# (classification, status pattern, reason pattern): the first that matches the status or the reason wins.
CLASSIFY = (
    ('Content', None, r'content|message rejected|attachment'),
    ('Invalid Address', r'^5\.1\.', r'user unknown|no such user|does not exist|unknown recipient|invalid address'),
    ('Mailbox Unavailable', r'^[45]\.2\.', r'mailbox full|quota|mailbox unavailable|over quota'),
    ('Reputation', r'^5\.7\.', r'reputation|spam|block ?list|black ?list|listed'),
    ('Frequency or Volume Too High', r'^4\.7\.', r'rate|too many|volume|throttl'),
    ('Technical Failure', r'^4\.|^5\.4\.', r'timeout|timed out|dns|connection|servfail'),
)


def classify(status, reason):
    """The classification of a bounce record by its status and reason."""
    status, reason = status or '', (reason or '').lower()
    for name, status_pattern, reason_pattern in CLASSIFY:
        if (status_pattern and re.search(status_pattern, status)) or re.search(reason_pattern, reason):
            return name
    return 'Unclassified'


def _day(name):
    value = request.args.get(name)
    if value in (None, ''):
        return None
    try:
        return datetime.datetime.strptime(value, '%Y-%m-%d').strftime('%Y-%m-%d')
    except ValueError:
        raise V3Error(400, '%s must be a date in YYYY-MM-DD format' % name, field=name) from None


def _accepted():
    """The content type the required Accept header asks for."""
    accept = request.headers.get('Accept')
    if not accept:
        raise V3Error(400, 'the Accept header is required: application/json or text/csv', field='Accept')
    asked = [part.split(';')[0].strip().lower() for part in accept.split(',')]
    chosen = next((kind for kind in asked if kind in ACCEPTED), None)
    if chosen is None:
        raise V3Error(400, 'Accept must be application/json or text/csv', field='Accept')
    return chosen


def _totals(rows, key):
    """[{date, stats: [{<key name>: value, count}]}]: days in order, each day's stats by count, highest first."""
    days = {}
    for day, value in rows:
        counts = days.setdefault(day, {})
        counts[value] = counts.get(value, 0) + 1
    name = 'classification' if key == 'classification' else 'domain'
    return [{'date': day, 'stats': [{name: value, 'count': count} for value, count in
                                    sorted(days[day].items(), key=lambda item: (-item[1], item[0]))]}
            for day in sorted(days)]


class Classifications:
    def __init__(self, store):
        self.store = store

    def _rows(self, owner):
        first, last = _day('start_date'), _day('end_date')
        if first and last and first > last:
            raise V3Error(400, 'start_date must not be later than end_date', field='start_date')
        return self.store.bounces_between(owner, first, last)

    def totals(self, owner):
        kind = _accepted()
        rows = [(created[:10], classify(status, reason)) for dummy, status, reason, created in self._rows(owner)]
        return 200, (kind, _totals(rows, 'classification'))

    def by_domain(self, owner, classification):
        kind = _accepted()
        if classification not in CLASSIFICATIONS:
            raise V3Error(400, 'classification must be one of %s' % ', '.join(CLASSIFICATIONS),
                          field='classification')
        rows = [(created[:10], email.rpartition('@')[2].lower()) for email, status, reason, created
                in self._rows(owner) if classify(status, reason) == classification]
        return 200, (kind, _totals(rows, 'domain'))


def as_csv(result, name):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(['date', name, 'count'])
    for day in result:
        for stat in day['stats']:
            writer.writerow([day['date'], stat[name], stat['count']])
    return out.getvalue()


class Dialect(v3.Dialect):
    """v3's answers, with the body in the content type the Accept header chose."""

    def respond(self, status, body, headers):
        if isinstance(body, tuple):
            kind, result = body
            if kind == 'text/csv':
                name = 'domain' if 'classification' in request.view_args else 'classification'
                return Response(as_csv(result, name), status=status, headers=headers, mimetype='text/csv')
            body = {'result': result}
        return v3.respond(status, body, headers)


def register(app, store, gate):
    """The two classification routes; they answer text/csv too, so they skip v3.register's JSON-only Accept check."""
    operations = Classifications(store)

    def view(name, label):
        def handle(**values):
            def run():
                return getattr(operations, name)(v3.owner_of(store), *values.values())
            return gate('v3/' + label, 'get', run, Dialect())
        handle.__name__ = 'v3_classifications_' + name
        return handle

    app.add_url_rule('/v3/suppression/bounces/classifications', view_func=view('totals', 'suppression/bounces/'
                     'classifications'), methods=['GET'])
    app.add_url_rule('/v3/suppression/bounces/classifications/<classification>', view_func=view(
        'by_domain', 'suppression/bounces/classifications/{classification}'), methods=['GET'])
