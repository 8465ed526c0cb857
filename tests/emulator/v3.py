"""Web API v3 suppression endpoints, on the same store as v2, as SendGrid's OpenAPI document describes them."""

import calendar
import datetime
import json
import re

from flask import Response, request

from .params import Query
from .scopes import ACCESS_FORBIDDEN, EVERY_SCOPE, forbids

API_LISTS = ('invalid_emails', 'bounces', 'blocks', 'spam_reports')
# The fields of each list's records, in the document's order; `created` is unix seconds.
FIELDS = {
    'invalid_emails': ('created', 'email', 'reason'),
    'bounces': ('created', 'email', 'reason', 'status'),
    'blocks': ('created', 'email', 'reason', 'status'),
    'spam_reports': ('created', 'email', 'ip'),
    'unsubscribes': ('created', 'email'),
}
MAX_LIMIT = 500
# The most unsubscribe groups an account (or subuser) may have, as SendGrid's documentation says.
MAX_GROUPS = 200
TIMESTAMP = '%Y-%m-%d %H:%M:%S'
AUTHORIZATION_REQUIRED = 'authorization required'


class V3Error(Exception):
    """An answer in the v3 error shape: {"errors": [{"field": ..., "message": ...}]}."""

    def __init__(self, status, message, field=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def error_body(message, field=None):
    return {'errors': [{'field': field, 'message': message}]}


def unix(created):
    return calendar.timegm(datetime.datetime.strptime(created, TIMESTAMP).timetuple())


def render(list_name, row):
    values = dict(row, created=unix(row['created']))
    return {field: values.get(field) if values.get(field) is not None else '' for field in FIELDS[list_name]}


def _integer(args, name, minimum, maximum, default=None):
    value = args.get(name)
    if value is None or value == '':
        return default
    if not re.match(r'^\d+$', value.strip()) or not minimum <= int(value) <= maximum:
        raise V3Error(400, '%s must be an integer from %d to %d' % (name, minimum, maximum), field=name)
    return int(value)


def _timestamp(args, name):
    seconds = _integer(args, name, 0, 253402300799)      # up to 9999-12-31 23:59:59
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime(TIMESTAMP)


def list_query(args):
    """limit 1-500 (500 when omitted), offset from 0, start_time/end_time (unix, inclusive), email (a prefix)."""
    query = Query(limit=_integer(args, 'limit', 1, MAX_LIMIT, MAX_LIMIT),
                  offset=_integer(args, 'offset', 0, 10 ** 12, 0))
    query.created_from = _timestamp(args, 'start_time')
    query.created_to = _timestamp(args, 'end_time')
    if query.created_from and query.created_to and query.created_from > query.created_to:
        raise V3Error(400, 'start_time must not be later than end_time', field='start_time')
    email = args.get('email')
    if email not in (None, ''):
        query.email_prefix = email
    return query


def json_body(*required):
    """The request's JSON object; each name in `required` must be present."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise V3Error(400, 'the request body must be a JSON object')
    for name in required:
        if name not in body:
            raise V3Error(400, '%s is required' % name, field=name)
    return body


def _group_fields(body):
    """name (1-30 characters), description (up to 100), is_default (a boolean), as the document bounds them."""
    fields = {}
    for name, longest in (('name', 30), ('description', 100)):
        if name in body:
            value = body[name]
            if not isinstance(value, str) or len(value) > longest or (name == 'name' and not value.strip()):
                raise V3Error(400, '%s must be a string of at most %d characters%s' % (
                    name, longest, ', not empty' if name == 'name' else ''), field=name)
            fields[name] = value
    if 'is_default' in body:
        if not isinstance(body['is_default'], bool):
            raise V3Error(400, 'is_default must be true or false', field='is_default')
        fields['is_default'] = body['is_default']
    return fields


def _addresses(body, name):
    values = body.get(name)
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise V3Error(400, '%s must be a non-empty array of email addresses' % name, field=name)
    return values


class V3:
    """The operations, each (store, owner id, path values) -> (status, body or None)."""

    def __init__(self, store):
        self.store = store

    # ---- the four suppression lists ------------------------------------------------------------------
    def list_records(self, owner, list_name):
        query = list_query(request.args)
        return 200, [render(list_name, row) for row in self.store.select(owner, list_name, query)]

    def delete_records(self, owner, list_name):
        body = json_body()
        delete_all, emails = body.get('delete_all'), body.get('emails')
        if delete_all is not None and not isinstance(delete_all, bool):
            raise V3Error(400, 'delete_all must be true or false', field='delete_all')
        if delete_all and emails is not None:
            raise V3Error(400, 'delete_all and emails cannot be used together', field='delete_all')
        if delete_all:
            self.store.delete(owner, list_name)
            return 204, None
        self.store.delete_emails(owner, list_name, _addresses(body, 'emails'))
        return 204, None

    def get_record(self, owner, list_name, email):
        query = Query(email=email)
        return 200, [render(list_name, row) for row in self.store.select(owner, list_name, query)[:1]]

    def delete_record(self, owner, list_name, email):
        if self.store.delete(owner, list_name, email) == 0:
            raise V3Error(404, 'email not found: %s' % email, field='email')
        return 204, None

    # ---- global unsubscribes -------------------------------------------------------------------------
    def list_unsubscribes(self, owner):
        return self.list_records(owner, 'unsubscribes')

    def add_global(self, owner):
        emails = _addresses(json_body('recipient_emails'), 'recipient_emails')
        return 201, {'recipient_emails': self.store.add_records(owner, 'unsubscribes', emails)}

    def get_global(self, owner, email):
        rows = self.store.select(owner, 'unsubscribes', Query(email=email))
        return 200, {'recipient_email': rows[0]['email']} if rows else {}

    def delete_global(self, owner, email):
        self.store.delete(owner, 'unsubscribes', email)      # 204 whether it was listed or not (docs#6194)
        return 204, None

    # ---- groups --------------------------------------------------------------------------------------
    def list_groups(self, owner):
        wanted = request.args.getlist('id')
        return 200, [dict(group, last_email_sent_at=None) for group in self.store.groups(owner)
                     if not wanted or str(group['id']) in wanted]

    def _group(self, owner, group_id):
        group = self.store.group(owner, group_id)
        if group is None:
            raise V3Error(404, 'group %s not found' % group_id, field='group_id')
        return group

    def get_group(self, owner, group_id):
        return 200, dict(self._group(owner, group_id), last_email_sent_at=None)

    def create_group(self, owner):
        body = json_body('name', 'description')
        fields = _group_fields(body)
        if len(self.store.groups(owner)) >= MAX_GROUPS:
            raise V3Error(400, 'you may have at most %d unsubscribe groups' % MAX_GROUPS)
        if any(group['name'] == fields['name'] for group in self.store.groups(owner)):
            raise V3Error(400, 'a group named %s already exists' % fields['name'], field='name')
        group = self.store.create_group(owner, fields['name'], fields['description'], fields.get('is_default'))
        return 201, {key: group[key] for key in ('id', 'name', 'description', 'is_default')}

    def update_group(self, owner, group_id):
        group = self._group(owner, group_id)
        fields = _group_fields(json_body())
        if 'name' in fields and any(other['name'] == fields['name'] and other['id'] != group['id']
                                    for other in self.store.groups(owner)):
            raise V3Error(400, 'a group named %s already exists' % fields['name'], field='name')
        if 'is_default' in fields:
            fields['is_default'] = int(fields['is_default'])
        updated = self.store.update_group(owner, group['id'], fields)
        return 201, {key: updated[key] for key in ('id', 'name', 'description')}

    def delete_group(self, owner, group_id):
        group = self._group(owner, group_id)
        self.store.delete_group(owner, group['id'])
        return 204, None

    def groups_of_address(self, owner, email):
        held = self.store.groups_of_address(owner, email)
        return 200, {'suppressions': [
            {'description': group['description'], 'id': group['id'], 'is_default': group['is_default'],
             'name': group['name'], 'suppressed': group['id'] in held} for group in self.store.groups(owner)]}

    def group_members(self, owner, group_id):
        group = self._group(owner, group_id)
        return 200, Unpaged([email for email, dummy in self.store.group_suppressions(group['id'])])

    def add_to_group(self, owner, group_id):
        emails = _addresses(json_body('recipient_emails'), 'recipient_emails')
        group = self.store.group(owner, group_id)
        if group is None:
            # As the service does: a group that does not exist puts the addresses on the global list.
            self.store.add_records(owner, 'unsubscribes', emails)
        else:
            self.store.add_group_suppressions(group['id'], emails)
        return 201, {'recipient_emails': emails}

    def search_group(self, owner, group_id):
        emails = _addresses(json_body('recipient_emails'), 'recipient_emails')
        group = self._group(owner, group_id)
        members = {email.lower(): email for email, dummy in self.store.group_suppressions(group['id'])}
        return 200, [members[e.lower()] for e in emails if e.lower() in members]

    def delete_from_group(self, owner, group_id, email):
        group = self._group(owner, group_id)
        self.store.delete_group_suppression(group['id'], email)   # 204 whether it was listed or not
        return 204, None

    def all_group_suppressions(self, owner):
        return 200, Unpaged([{'email': email, 'group_id': group_id, 'group_name': name, 'created_at': unix(created)}
                             for email, group_id, name, created in self.store.all_group_suppressions(owner)])

    # ---- subusers -----------------------------------------------------------------------------------------
    def list_subusers(self, owner):
        """The customers and subusers under the caller, `limit` (1-500, default 500) from `offset`; `username`
        narrows to usernames that start with it, `region` (all, global, eu) to one region; `include_region=true`
        adds each one's region."""
        limit = _integer(request.args, 'limit', 1, MAX_LIMIT, MAX_LIMIT)
        offset = _integer(request.args, 'offset', 0, 10 ** 12, 0)
        region = request.args.get('region', 'all')
        if region not in ('all', 'global', 'eu'):
            raise V3Error(400, 'region must be all, global or eu', field='region')
        include = request.args.get('include_region', 'false')
        if include not in ('true', 'false'):
            raise V3Error(400, 'include_region must be true or false', field='include_region')
        return 200, self.store.subusers(owner, request.args.get('username') or None, limit, offset,
                                        None if region == 'all' else region, include == 'true')


# (rule, methods, operation name, stats endpoint, stats task); path values are passed in order.
ROUTES = [
    ('/v3/suppression/<any(%s):list_name>' % ','.join(API_LISTS), 'GET', 'list_records', 'suppression/{list}', 'get'),
    ('/v3/suppression/<any(%s):list_name>' % ','.join(API_LISTS), 'DELETE', 'delete_records', 'suppression/{list}',
     'delete'),
    ('/v3/suppression/<any(%s):list_name>/<path:email>' % ','.join(API_LISTS), 'GET', 'get_record',
     'suppression/{list}/{email}', 'get'),
    ('/v3/suppression/<any(%s):list_name>/<path:email>' % ','.join(API_LISTS), 'DELETE', 'delete_record',
     'suppression/{list}/{email}', 'delete'),
    ('/v3/suppression/unsubscribes', 'GET', 'list_unsubscribes', 'suppression/unsubscribes', 'get'),
    ('/v3/asm/suppressions/global', 'POST', 'add_global', 'asm/suppressions/global', 'add'),
    ('/v3/asm/suppressions/global/<path:email>', 'GET', 'get_global', 'asm/suppressions/global/{email}', 'get'),
    ('/v3/asm/suppressions/global/<path:email>', 'DELETE', 'delete_global', 'asm/suppressions/global/{email}',
     'delete'),
    ('/v3/asm/groups', 'GET', 'list_groups', 'asm/groups', 'get'),
    ('/v3/asm/groups', 'POST', 'create_group', 'asm/groups', 'add'),
    ('/v3/asm/groups/<group_id>', 'GET', 'get_group', 'asm/groups/{group_id}', 'get'),
    ('/v3/asm/groups/<group_id>', 'PATCH', 'update_group', 'asm/groups/{group_id}', 'update'),
    ('/v3/asm/groups/<group_id>', 'DELETE', 'delete_group', 'asm/groups/{group_id}', 'delete'),
    ('/v3/asm/groups/<group_id>/suppressions', 'GET', 'group_members', 'asm/groups/{group_id}/suppressions', 'get'),
    ('/v3/asm/groups/<group_id>/suppressions', 'POST', 'add_to_group', 'asm/groups/{group_id}/suppressions', 'add'),
    ('/v3/asm/groups/<group_id>/suppressions/search', 'POST', 'search_group',
     'asm/groups/{group_id}/suppressions/search', 'search'),
    ('/v3/asm/groups/<group_id>/suppressions/<path:email>', 'DELETE', 'delete_from_group',
     'asm/groups/{group_id}/suppressions/{email}', 'delete'),
    ('/v3/asm/suppressions', 'GET', 'all_group_suppressions', 'asm/suppressions', 'get'),
    ('/v3/asm/suppressions/<path:email>', 'GET', 'groups_of_address', 'asm/suppressions/{email}', 'get'),
    ('/v3/subusers', 'GET', 'list_subusers', 'subusers', 'get'),
]


def bearer_key():
    scheme, dummy, key = request.headers.get('Authorization', '').partition(' ')
    return key.strip() if scheme.lower() == 'bearer' else None


def owner_of(store):
    """The account a v3 request acts for: the key's owner, or whom `on-behalf-of` names under it."""
    caller = store.authenticate_key(bearer_key())
    if caller is None:
        raise V3Error(401, AUTHORIZATION_REQUIRED)
    behalf = request.headers.get('on-behalf-of')
    if behalf is None:
        return caller
    behalf = behalf.strip()
    if behalf.lower().startswith('account-id '):
        owner = store.under(caller, account_id=behalf[len('account-id '):].strip())
    else:
        owner = store.under(caller, username=behalf)
    if owner is None:
        raise V3Error(403, '%s is not a customer or subuser of your account' % behalf,
                      field='on-behalf-of')
    return owner


def register(app, store, gate, routes=None, operations=None):
    """Add the v3 `routes` (the suppression ones by default) to `app`, answered by `operations` (a V3 by
    default); `gate(endpoint, task, run)` applies the knobs and answers."""
    operations = operations or V3(store)

    def view(name, endpoint, task):
        def handle(**values):
            label = endpoint.replace('{list}', values.get('list_name', ''))

            def run():
                if request.accept_mimetypes and not request.accept_mimetypes.accept_json:
                    raise V3Error(406, 'Accept must allow application/json', field='Accept')
                owner = owner_of(store)
                check_scope(store, request.method, label)
                return getattr(operations, name)(owner, *values.values())
            return gate('v3/' + label, task, run)
        handle.__name__ = 'v3_' + name
        return handle

    for rule, method, name, endpoint, task in routes or ROUTES:
        app.add_url_rule(rule, endpoint='v3_%s_%s' % (name, method.lower()), view_func=view(name, endpoint, task),
                         methods=[method])


def check_scope(store, method, endpoint):
    """SendGrid's 403 for a key without a scope the request needs. A call on behalf of a subuser is held to the
    scopes of the key that makes it, the parent's."""
    held, dummy = store.key_scopes(bearer_key())
    if forbids(held, method, endpoint):
        raise V3Error(403, ACCESS_FORBIDDEN)


def key_scopes(store):
    """GET /v3/scopes: the caller's own scopes (on-behalf-of is not read), or 403 for a key that may not read
    them."""
    if store.authenticate_key(bearer_key()) is None:
        raise V3Error(401, AUTHORIZATION_REQUIRED)
    held, answers = store.key_scopes(bearer_key())
    if not answers:
        raise V3Error(403, ACCESS_FORBIDDEN)
    return 200, {'scopes': sorted(EVERY_SCOPE if held is None else held)}


def register_scopes(app, store, gate):
    def handle():
        return gate('v3/scopes', 'get', lambda: key_scopes(store))
    app.add_url_rule('/v3/scopes', endpoint='v3_scopes_get', view_func=handle, methods=['GET'])


class Unpaged:
    """An unpaged array answer (a group's addresses, the account's group suppressions), sent as it is serialised,
    as a server sends a long body: the first elements leave before the last are written."""

    ROWS_A_CHUNK = 2000

    def __init__(self, rows):
        self.rows = rows

    def chunks(self):
        yield '['
        for start in range(0, len(self.rows), self.ROWS_A_CHUNK):
            text = json.dumps(self.rows[start:start + self.ROWS_A_CHUNK])[1:-1]
            yield text if start == 0 else ',' + text
        yield ']'


def respond(status, body, headers):
    if body is None:
        return Response(status=status, headers=headers)
    if isinstance(body, Unpaged):
        return Response(body.chunks(), status=status, headers=headers, mimetype='application/json')
    return Response(json.dumps(body), status=status, headers=headers, mimetype='application/json')


class Dialect:
    """How v3 answers: JSON bodies, errors in the `errors` array, rate-limit headers on every answer."""

    rate_limit_headers = True
    too_many_headers = {}

    def respond(self, status, body, headers):
        return respond(status, body, headers)

    def error(self, status, message):
        return error_body(message)

    def refusal(self, exc):
        if isinstance(exc, V3Error):
            outcome = {401: 'unauthorized', 429: 'rate_limited'}.get(exc.status, 'error')
            return exc.status, error_body(exc.message, exc.field), outcome
        return None
