"""The Flask application: the SendGrid Web API v2 suppression endpoints and the /_emulator control paths."""

import json
import re
import socket

from flask import Flask, Response, request

import render
import v3
from knobs import Knobs, Stats
from params import ParamError, parse_query, required

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


_CREDENTIAL = re.compile(r'((?:^|[?&])api_key=)[^&]*', re.IGNORECASE)


def logged_url():
    """The URL as the service received it, for the request log: path and query string, any api_key masked."""
    url = request.full_path if request.query_string else request.path
    url = _CREDENTIAL.sub(r'\1********', url)
    request.environ['emulator.logged_url'] = url
    return url


def _drop_connection():
    sock = request.environ.get('emulator.socket')
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    return Response('', status=500)


def rate_limit(knobs):
    """(allowed, X-RateLimit-* headers) of one request, which counts against the window: SendGrid sends the
    headers on every v3 answer, an unknown path's or a wrong method's too."""
    allowed, limit, remaining, reset = knobs.take()
    return allowed, {'X-RateLimit-Limit': str(limit), 'X-RateLimit-Remaining': str(remaining),
                     'X-RateLimit-Reset': str(reset)}


def create_app(store, knobs=None, stats=None):
    knobs = knobs or Knobs()
    stats = stats or Stats()
    app = Flask('sendgrid_emulator')

    @app.get('/_emulator/stats')
    def emulator_stats():
        return Response(json.dumps(stats.snapshot()), mimetype='application/json')

    @app.get('/_emulator/requests')
    def emulator_requests():
        return Response(json.dumps(stats.urls()), mimetype='application/json')

    @app.post('/_emulator/reset')
    def emulator_reset():
        stats.reset()
        return Response(json.dumps({'message': 'success'}), mimetype='application/json')

    @app.get('/_emulator/health')
    def emulator_health():
        return Response(json.dumps({'records': store.total_records()}), mimetype='application/json')

    @app.route('/<path:path>', methods=['GET', 'POST'])
    def api(path):
        endpoint, fmt = split_path(path)
        params = request.args.to_dict()
        params.update(request.form.to_dict())
        # The URL as the service received it, credentials masked: tests read it to prove no secret is in a URL.
        url = logged_url()
        task = task_of(endpoint, params)

        def answer(status, body, outcome):
            stats.record(endpoint, task, request.method, url, outcome)
            return Response(body, status=status, content_type=render.content_type(fmt))

        handler = ENDPOINTS.get(endpoint)
        if handler is None and path.startswith('v3/'):
            stats.record(endpoint, task, request.method, url, 'unknown')
            return v3.respond(404, v3.error_body('no such endpoint: /%s' % path), rate_limit(knobs)[1])
        if handler is None:
            return answer(404, render.errors(fmt, ['Unknown endpoint: %s' % endpoint]), 'unknown')
        knobs.pause()
        if not knobs.take()[0]:
            resp = answer(429, render.errors(fmt, ['too many requests']), 'rate_limited')
            resp.headers['Retry-After'] = '1'
            return resp
        fault = knobs.fault()
        if fault == 'drop':
            stats.record(endpoint, task, request.method, url, 'dropped')
            return _drop_connection()
        if fault:
            return answer(fault, render.errors(fmt, ['Internal error, retry later']), 'fault')
        caller = store.authenticate(params.get('api_user'), params.get('api_key'))
        if caller is None:
            return answer(401, render.auth_error(fmt, 401, WRONG_CREDENTIALS), 'unauthorized')
        try:
            body = handler(fmt, store, caller, params)
        except ParamError as exc:
            return answer(400, render.errors(fmt, exc.errors), 'error')
        except Refused as exc:
            return answer(exc.status, exc.body_fn(fmt, *exc.args_), 'error')
        return answer(200, body, 'ok')

    def v3_gate(endpoint, task, run):
        """The knobs and the statistics around one v3 operation; every answer carries the rate-limit headers."""
        url = logged_url()
        allowed, headers = rate_limit(knobs)

        def answer(status, body, outcome):
            stats.record(endpoint, task, request.method, url, outcome)
            return v3.respond(status, body, headers)

        knobs.pause()
        if not allowed:
            return answer(429, v3.error_body('too many requests'), 'rate_limited')
        fault = knobs.fault()
        if fault == 'drop':
            stats.record(endpoint, task, request.method, url, 'dropped')
            return _drop_connection()
        if fault:
            return answer(fault, v3.error_body('Internal error, retry later'), 'fault')
        try:
            status, body = run()
        except v3.V3Error as exc:
            outcome = {401: 'unauthorized', 429: 'rate_limited'}.get(exc.status, 'error')
            return answer(exc.status, v3.error_body(exc.message, exc.field), outcome)
        return answer(status, body, 'ok')

    v3.register(app, store, v3_gate)

    @app.errorhandler(405)
    def wrong_method(_exc):
        if request.path.startswith('/v3/'):
            return v3.respond(405, v3.error_body('method %s not allowed' % request.method), rate_limit(knobs)[1])
        return Response(render.errors('json', ['Method not allowed']), status=405, mimetype='application/json')

    @app.errorhandler(500)
    def internal(_exc):
        return Response(render.errors('json', ['Internal error']), status=500, mimetype='application/json')

    return app
