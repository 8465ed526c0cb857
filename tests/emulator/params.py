"""Validation of the query parameters the v2 endpoints document, with the errors the service answered."""

import datetime
import re

DATE_RE = re.compile(r'^\d{4}-\d{2}-\d{2}$')


class ParamError(Exception):
    """A parameter error: answered as {"message": "error", "errors": [...]} with HTTP 400."""

    def __init__(self, *errors):
        super().__init__('; '.join(errors))
        self.errors = list(errors)


class Query:
    """What a listing, count or delete asks for, already validated."""

    def __init__(self, email=None, since=None, until=None, limit=None, offset=0, with_dates=False):
        self.email = email
        self.email_prefix = None       # v3: a prefix match, `%` a wildcard
        self.created_from = None       # v3: start_time/end_time as stored timestamps, inclusive
        self.created_to = None
        self.since = since
        self.until = until
        self.limit = limit
        self.offset = offset
        self.with_dates = with_dates


def _date(params, name):
    value = params.get(name)
    if value is None or value == '':
        return None
    if not DATE_RE.match(value):
        raise ParamError('%s must be in YYYY-MM-DD format' % name)
    try:
        return datetime.datetime.strptime(value, '%Y-%m-%d').date()
    except ValueError:
        raise ParamError('%s must be in YYYY-MM-DD format' % name) from None


MAX_WHOLE = 10 ** 12     # any larger limit or offset overflows SQLite; no list is that long
MAX_DAYS = 36500         # a larger `days` reaches before the year 1


def _whole(params, name, minimum, rule, maximum=MAX_WHOLE):
    value = params.get(name)
    if value is None or value == '':
        return None
    if not re.match(r'^-?\d+$', value.strip()) or int(value) < minimum:
        raise ParamError('%s %s' % (name, rule))
    if int(value) > maximum:
        raise ParamError('%s must be at most %d' % (name, maximum))
    return int(value)


def parse_query(params, allow=(), dates_together=False):
    """Build a Query from the request parameters an endpoint documents (`allow`); others are ignored."""
    query = Query()
    if 'date' in allow and params.get('date') not in (None, ''):
        if params['date'] != '1':
            raise ParamError('date must be set to 1')
        query.with_dates = True
    days = _whole(params, 'days', 1, 'must be an integer greater than 0', MAX_DAYS) if 'days' in allow else None
    start = _date(params, 'start_date') if 'start_date' in allow else None
    end = _date(params, 'end_date') if 'end_date' in allow else None
    if days is not None and (start or end):
        raise ParamError('Use either days or start_date and end_date, not both')
    if dates_together and bool(start) != bool(end):
        raise ParamError('start_date and end_date must be given together')
    if start and end and start >= end:
        raise ParamError('start_date must be earlier than end_date')
    if days is not None:
        today = datetime.datetime.now(datetime.timezone.utc).date()
        start = today - datetime.timedelta(days=days - 1)
    query.since, query.until = start, end
    if 'limit' in allow:
        query.limit = _whole(params, 'limit', 0, 'must be an integer of 0 or more')
    if 'offset' in allow:
        query.offset = _whole(params, 'offset', 0, 'must be an integer of 0 or more') or 0
    if 'email' in allow and params.get('email') not in (None, ''):
        query.email = params['email']
    return query


def required(params, name):
    value = params.get(name)
    if value is None or value == '':
        raise ParamError('Missing required parameter: %s' % name)
    return value
