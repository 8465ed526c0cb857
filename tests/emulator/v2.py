"""The SendGrid Web API v2 suppression endpoints of the seeds, in JSON and XML: one function an endpoint, and the
dialect the gate answers v2 requests in."""

from flask import Response, request

from . import render
from .params import ParamError, parse_query, required

WRONG_CREDENTIALS = 'Permission denied, wrong credentials'
NOT_FOUND = 'Email does not exist'

ACCOUNT_INVALID_FIELDS = ('reason', 'created', 'email')     # seeds 001, 002
CUSTOMER_INVALID_FIELDS = ('email', 'reason', 'created')    # seed 000
BOUNCE_FIELDS = ('email', 'status', 'reason', 'created')    # seeds 003, 004

GET_FILTERS = ('date', 'days', 'start_date', 'end_date', 'limit', 'offset', 'email')


class Refused(Exception):
    """A request answered with an error body and a 4xx status."""

    def __init__(self, status, body_fn, *args):
        super().__init__(status)
        self.status = status
        self.body_fn = body_fn
        self.args_ = args


def _fields(fields, with_dates):
    return fields if with_dates else tuple(f for f in fields if f != 'created')


def _listing(fmt, store, user_id, list_name, query, root, item, fields):
    rows = store.select(user_id, list_name, query)
    return render.records(fmt, root, item, _fields(fields, query.with_dates), rows)


def _delete_one(fmt, store, user_id, list_name, email, missing):
    if store.delete(user_id, list_name, email) == 0:
        raise missing
    return render.message(fmt, 'success')


def _missing_invalid_email():
    return Refused(400, render.errors, [NOT_FOUND])


def _missing_bounce():
    return Refused(400, render.message, NOT_FOUND)


def _check(params, name, expected):
    value = required(params, name)
    if value not in expected:
        raise ParamError('%s must be set to %s' % (name, ' or '.join(expected)))
    return value


def _under(store, caller, params, kind):
    username = required(params, 'user')
    user_id = store.descendant(caller, username, kind)
    if user_id is None:
        what = 'Customer' if kind == 'customer' else 'Customer subuser'
        raise Refused(403, render.errors, ['%s %s is not registered under your account' % (what, username)])
    return user_id


# ---- one function per endpoint: (fmt, store, caller, params) -> body --------------------------------------
def account_invalid_get(fmt, store, caller, params):
    query = parse_query(params, GET_FILTERS)
    return _listing(fmt, store, caller, 'invalid_emails', query, 'invalidemails', 'invalidemail',
                    ACCOUNT_INVALID_FIELDS)


def account_invalid_count(fmt, store, caller, params):
    query = parse_query(params, ('start_date', 'end_date'))
    return render.count(fmt, store.count(caller, 'invalid_emails', query))


def account_invalid_delete(fmt, store, caller, params):
    email = required(params, 'email')
    return _delete_one(fmt, store, caller, 'invalid_emails', email, _missing_invalid_email())


def reseller_manage(fmt, store, caller, params):
    _check(params, 'method', ('invalidemails',))
    task = _check(params, 'task', ('get', 'delete'))
    customer = _under(store, caller, params, 'customer')
    if task == 'get':
        query = parse_query(params, ('date',))
        return _listing(fmt, store, customer, 'invalid_emails', query, 'invalidemails', 'invalidemail',
                        CUSTOMER_INVALID_FIELDS)
    email = required(params, 'email')
    return _delete_one(fmt, store, customer, 'invalid_emails', email, _missing_invalid_email())


def _bounces(fmt, store, owner, params, task, get_filters, dates_together=False):
    if task == 'get':
        query = parse_query(params, get_filters, dates_together=dates_together)
        return _listing(fmt, store, owner, 'bounces', query, 'bounces', 'bounce', BOUNCE_FIELDS)
    email = params.get('email') or None
    if email is None:
        store.delete(owner, 'bounces')
        return render.message(fmt, 'success')
    return _delete_one(fmt, store, owner, 'bounces', email, _missing_bounce())


def reseller_subuser_manage(fmt, store, caller, params):
    _check(params, 'method', ('bounces',))
    task = _check(params, 'task', ('get', 'delete'))
    subuser = _under(store, caller, params, 'subuser')
    return _bounces(fmt, store, subuser, params, task, ('date',))


def distributor_manage(fmt, store, caller, params):
    _check(params, 'method', ('bounces',))
    task = _check(params, 'task', ('get', 'delete'))
    customer = _under(store, caller, params, 'customer')
    return _bounces(fmt, store, customer, params, task, ('date', 'days', 'start_date', 'end_date'),
                    dates_together=True)


ENDPOINTS = {
    'api/invalidemails.get': account_invalid_get,
    'api/invalidemails.count': account_invalid_count,
    'api/invalidemails.delete': account_invalid_delete,
    'apiv2/reseller.manage': reseller_manage,
    'apiv2/reseller.subuserManage': reseller_subuser_manage,
    'api/distributor.manage': distributor_manage,
}


def split_path(path):
    """('api/invalidemails.get', 'json') from 'api/invalidemails.get.json'; the format defaults to JSON."""
    for fmt in ('json', 'xml'):
        if path.endswith('.' + fmt):
            return path[:-len(fmt) - 1], fmt
    return path, 'json'


def task_of(endpoint, params):
    if endpoint.startswith('api/invalidemails.'):
        return endpoint.rsplit('.', 1)[1]
    return params.get('task') or ''


class Dialect:
    """How v2 answers: bodies rendered in the request's format, 429 with Retry-After, no rate-limit headers."""

    rate_limit_headers = False
    too_many_headers = {'Retry-After': '1'}

    def __init__(self, fmt):
        self.fmt = fmt

    def respond(self, status, body, headers):
        return Response(body, status=status, content_type=render.content_type(self.fmt), headers=headers)

    def error(self, status, message):
        return render.errors(self.fmt, [message])

    def refusal(self, exc):
        """(status, body, outcome) of an exception `run` raised, or None when it is not a refusal."""
        if isinstance(exc, ParamError):
            return 400, render.errors(self.fmt, exc.errors), 'error'
        if isinstance(exc, Refused):
            return exc.status, exc.body_fn(self.fmt, *exc.args_), 'unauthorized' if exc.status == 401 else 'error'
        return None


def operation(store, handler, fmt, params):
    """The run of one v2 request: its credentials checked, then its endpoint's function."""
    def run():
        caller = store.authenticate(params.get('api_user'), params.get('api_key'))
        if caller is None:
            raise Refused(401, lambda fmt_: render.auth_error(fmt_, 401, WRONG_CREDENTIALS))
        return 200, handler(fmt, store, caller, params)
    return run


def request_params():
    params = request.args.to_dict()
    params.update(request.form.to_dict())
    return params
