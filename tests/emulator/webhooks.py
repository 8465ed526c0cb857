"""The Event Webhook: its settings as SendGrid's OpenAPI document describes them (`tsg_webhooks_v3.yaml` in
twilio/sendgrid-oai: create, list, read, update, delete, toggle signing), and the control path that makes mail
events happen (`POST /_emulator/events`): each event leaves its record in the list it belongs to, then is posted
to every enabled webhook of the account that asked for its type, as SendGrid does."""

import datetime
import secrets
import urllib.parse
import uuid

from . import v3
from .event_poster import Delivery, Poster, new_private_key, public_key_of
from .v3 import V3Error, json_body

MAX_WEBHOOKS = 5
# Each event type and the webhook setting that asks for it.
EVENT_SETTINGS = {
    'processed': 'processed', 'dropped': 'dropped', 'delivered': 'delivered', 'deferred': 'deferred',
    'bounce': 'bounce', 'open': 'open', 'click': 'click', 'spamreport': 'spam_report', 'unsubscribe': 'unsubscribe',
    'group_unsubscribe': 'group_unsubscribe', 'group_resubscribe': 'group_resubscribe',
}
FLAGS = tuple(sorted(set(EVENT_SETTINGS.values())))
NOT_FOUND = 'Invalid id provided.'
# Where an event leaves a record: (event, bounce type) -> list.
LIST_OF_EVENT = {('bounce', 'bounce'): 'bounces', ('bounce', 'blocked'): 'blocks', ('spamreport', None): 'spam_reports',
                 ('unsubscribe', None): 'unsubscribes'}


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _settings(body, current=None):
    """The webhook settings of a request body, checked: url (http or https), enabled and the event flags
    (booleans), friendly_name (a string)."""
    settings = dict(current or {'enabled': False, 'url': '', 'friendly_name': '', **{f: False for f in FLAGS}})
    for name, value in body.items():
        if name in FLAGS or name == 'enabled':
            if not isinstance(value, bool):
                raise V3Error(400, '%s must be true or false' % name, field=name)
        elif name == 'url':
            parsed = urllib.parse.urlsplit(value) if isinstance(value, str) else None
            if parsed is None or parsed.scheme not in ('http', 'https') or not parsed.netloc:
                raise V3Error(400, "'%s' is not a valid url" % value, field='url')
        elif name == 'friendly_name':
            if not isinstance(value, str):
                raise V3Error(400, 'friendly_name must be a string', field=name)
        elif not name.startswith('oauth_'):
            raise V3Error(400, 'unknown property %s' % name, field=name)
        if not name.startswith('oauth_'):
            settings[name] = value
    return settings


# Whether a webhook is signed, kept beside its settings (the key stays when signing is turned off).
SIGNED = '_signed'


def is_signed(webhook):
    return bool(webhook['private_key']) and webhook['settings'].get(SIGNED, True)


def rendered(webhook, signed_key=True):
    body = dict({k: v for k, v in webhook['settings'].items() if k != SIGNED}, id=webhook['id'],
                created_date=webhook['created_date'], updated_date=webhook['updated_date'])
    if signed_key and is_signed(webhook):
        body['public_key'] = public_key_of(webhook['private_key'])
    return body


class Webhooks:
    """The /v3/user/webhooks/event operations, each (owner id, path values) -> (status, body or None)."""

    def __init__(self, store, knobs=None):
        self.store = store
        self.new_key_on_sign = bool(knobs and knobs.webhook_new_key_on_sign)

    @staticmethod
    def _find(webhooks, webhook_id):
        found = next((w for w in webhooks if w['id'] == webhook_id), None)
        if found is None:
            raise V3Error(404, NOT_FOUND)
        return found

    def _webhook(self, owner, webhook_id):
        return self._find(self.store.webhooks(owner), webhook_id)

    @staticmethod
    def _url_taken(webhooks, url, webhook_id=None):
        for other in webhooks:
            if other['settings']['url'] == url and other['id'] != webhook_id:
                raise V3Error(400, "Webhook at '%s' already exists. Please provide a unique URL." % url, field='url')

    def create(self, owner):
        settings = _settings(json_body('url'))
        webhooks = self.store.webhooks(owner)
        self._url_taken(webhooks, settings['url'])
        # max_allowed counts the enabled webhooks.
        if settings['enabled'] and sum(1 for w in webhooks if w['settings'].get('enabled')) >= MAX_WEBHOOKS:
            raise V3Error(400, 'You have reached the maximum number of webhooks per your current billing plan.')
        webhook = {'id': str(uuid.uuid4()), 'settings': settings, 'private_key': None, 'created_date': _now(),
                   'updated_date': _now()}
        self.store.save_webhook(owner, webhook)
        return 201, rendered(webhook, signed_key=False)

    def list_all(self, owner):
        return 200, {'max_allowed': MAX_WEBHOOKS, 'webhooks': [rendered(w) for w in self.store.webhooks(owner)]}

    def get(self, owner, webhook_id):
        return 200, rendered(self._webhook(owner, webhook_id))

    def update(self, owner, webhook_id):
        webhooks = self.store.webhooks(owner)
        webhook = self._find(webhooks, webhook_id)
        webhook['settings'] = _settings(json_body(), webhook['settings'])
        self._url_taken(webhooks, webhook['settings']['url'], webhook_id)
        webhook['updated_date'] = _now()
        self.store.save_webhook(owner, webhook)
        return 200, rendered(webhook, signed_key=False)

    def delete(self, owner, webhook_id):
        self._webhook(owner, webhook_id)
        self.store.delete_webhook(owner, webhook_id)
        return 204, None

    def get_signed(self, owner, webhook_id):
        webhook = self._webhook(owner, webhook_id)
        return 200, {'id': webhook['id'], 'public_key': public_key_of(webhook['private_key'])
                     if is_signed(webhook) else ''}

    def toggle_signed(self, owner, webhook_id):
        enabled = json_body('enabled')['enabled']
        if not isinstance(enabled, bool):
            raise V3Error(400, 'enabled must be true or false', field='enabled')
        webhook = self._webhook(owner, webhook_id)
        if enabled and (not webhook['private_key'] or (self.new_key_on_sign and not is_signed(webhook))):
            webhook['private_key'] = new_private_key()
        webhook['settings'][SIGNED] = enabled
        webhook['updated_date'] = _now()
        self.store.save_webhook(owner, webhook)
        return self.get_signed(owner, webhook_id)


ROUTES = [
    ('/v3/user/webhooks/event/settings', 'POST', 'create', 'user/webhooks/event/settings', 'add'),
    ('/v3/user/webhooks/event/settings/all', 'GET', 'list_all', 'user/webhooks/event/settings/all', 'get'),
    ('/v3/user/webhooks/event/settings/signed/<webhook_id>', 'GET', 'get_signed',
     'user/webhooks/event/settings/signed/{id}', 'get'),
    ('/v3/user/webhooks/event/settings/signed/<webhook_id>', 'PATCH', 'toggle_signed',
     'user/webhooks/event/settings/signed/{id}', 'update'),
    ('/v3/user/webhooks/event/settings/<webhook_id>', 'GET', 'get', 'user/webhooks/event/settings/{id}', 'get'),
    ('/v3/user/webhooks/event/settings/<webhook_id>', 'PATCH', 'update', 'user/webhooks/event/settings/{id}',
     'update'),
    ('/v3/user/webhooks/event/settings/<webhook_id>', 'DELETE', 'delete', 'user/webhooks/event/settings/{id}',
     'delete'),
]


# ---- mail events (the control path) -----------------------------------------------------------------------
def _number(body, name, default, minimum, kind=int):
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise V3Error(400, '%s must be a number of at least %s' % (name, minimum), field=name)
    return kind(value)


def sendgrid_event(spec, now):
    """A whole SendGrid event from the fields given (at least `event` and `email`), the rest made up as the
    service fills them."""
    if not isinstance(spec, dict) or spec.get('event') not in EVENT_SETTINGS or not isinstance(spec.get('email'), str):
        raise V3Error(400, 'each event needs an email and an event, one of %s' % ', '.join(EVENT_SETTINGS),
                      field='events')
    message_id = secrets.token_urlsafe(16)
    event = {'email': spec['email'], 'event': spec['event'], 'timestamp': now,
             'smtp-id': '<%s@emulator.sendgrid.net>' % message_id,
             'sg_event_id': secrets.token_urlsafe(24), 'sg_message_id': message_id + '.filter0001.emulator'}
    if spec['event'] == 'bounce':
        blocked = spec.get('type') == 'blocked'
        event.update(type='blocked' if blocked else 'bounce', status='4.0.0' if blocked else '5.1.1',
                     reason='421 4.7.0 try again later' if blocked else '550 5.1.1 user unknown',
                     bounce_classification='Reputation' if blocked else 'Invalid Address')
    elif spec['event'] == 'spamreport':
        event['ip'] = '10.0.0.1'
    event.update(spec)
    return event


def leave_records(store, owner, events):
    """What SendGrid's lists keep of the events: bounces, blocks, spam reports, global and group unsubscribes."""
    by_list = {}
    for event in events:
        list_name = LIST_OF_EVENT.get((event['event'], event.get('type') if event['event'] == 'bounce' else None))
        if list_name:
            by_list.setdefault(list_name, []).append(event)
        elif event['event'] == 'group_unsubscribe' and store.group(owner, event.get('asm_group_id')):
            store.add_group_suppressions(event['asm_group_id'], [event['email']])
    for list_name, records in by_list.items():
        store.insert_records(owner, list_name, records)


def deliveries(store, owner, events, body):
    """The batches of `events` for each enabled webhook of `owner` that asks for their types."""
    batch_size = _number(body, 'batch_size', 100, 1)
    options = {'attempts': _number(body, 'attempts', 5, 1), 'retry_delay': _number(body, 'retry_delay', 1.0, 0, float),
               'bad_signature': bool(body.get('bad_signature', False))}
    result = []
    for webhook in store.webhooks(owner):
        settings = webhook['settings']
        chosen = [e for e in events if settings['enabled'] and settings.get(EVENT_SETTINGS[e['event']])]
        for start in range(0, len(chosen), batch_size):
            result.append(Delivery(settings['url'], chosen[start:start + batch_size],
                                   webhook['private_key'] if is_signed(webhook) else None,
                                   **options))
    return result


def register(app, store, gate, knobs=None):
    """The webhook settings routes (v3, through the gate) and the control paths `POST /_emulator/events` (make
    mail events; body: events, batch_size, rate, attempts, retry_delay, bad_signature; credentials as for v3) and
    `GET /_emulator/events` (the deliveries so far)."""
    poster = Poster()
    v3.register(app, store, gate, ROUTES, Webhooks(store, knobs))

    def make_events():
        try:
            owner = v3.owner_of(store)
            body = json_body('events')
            if not isinstance(body['events'], list):
                raise V3Error(400, 'events must be an array', field='events')
            now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
            events = [sendgrid_event(spec, now) for spec in body['events']]
            batches = deliveries(store, owner, events, body)
            rate = _number(body, 'rate', 0, 0, float)
        except V3Error as exc:
            return v3.respond(exc.status, v3.error_body(exc.message, exc.field), {})
        if body.get('record', True):
            leave_records(store, owner, events)
        poster.submit(batches, rate)
        return v3.respond(202, {'events': len(events), 'batches': len(batches)}, {})

    app.add_url_rule('/_emulator/events', 'emulator_events_post', make_events, methods=['POST'])
    app.add_url_rule('/_emulator/events', 'emulator_events_get', lambda: v3.respond(200, poster.stats(), {}),
                     methods=['GET'])
    return poster
