"""mailops.sendgrid.sendgrid_events: SendGrid's signed Event Webhook as an Event-Driven Ansible source."""

from __future__ import annotations

DOCUMENTATION = r"""
---
short_description: Receive SendGrid's signed Event Webhook, one event per SendGrid event
description:
  - An HTTP(S) server for SendGrid's Event Webhook. Every POST must carry a valid signature
    (headers C(X-Twilio-Email-Event-Webhook-Signature) and C(X-Twilio-Email-Event-Webhook-Timestamp), ECDSA P-256
    over the timestamp followed by the raw body) made within O(max_age) seconds; any other POST is answered 403 and
    nothing of it is queued.
  - A batch (a JSON array) becomes one event per SendGrid event, a dictionary of C(sendgrid) (the SendGrid fields
    as they came), C(domain) (the domain of its C(email), its ASCII letters in lower case), C(user) (whose webhook
    posted it, from O(webhooks); V(null) for O(path)) and C(received_at) (when the request arrived, ISO 8601 in
    UTC).
  - One source listens to many webhooks (a subuser's posts are signed with that subuser's key), so O(webhooks) or
    O(webhooks_file) give each path its key(s) and user. A post is verified with the keys of its path only, so a
    post signed with another path's key is refused (403); a post to a path no webhook has is answered 404. Two
    entries of one path with different keys are both accepted (a key rotation) until one is removed. Repeats,
    the rate and the queue are bounded across all paths together.
  - Repeats of an C(sg_event_id) seen within O(dedupe_window) are dropped, since SendGrid retries a delivery it
    thinks failed. O(event_types) and O(bounce_types) drop the events a rulebook does not want.
  - The answer is 200 only once every event of the batch is queued. When the rulebook falls behind and
    O(max_queued_events) are waiting, a batch waits up to O(queue_timeout) seconds for room, then is answered 503,
    so SendGrid delivers it again later.
  - A refused request is logged in one line (address, status, the reason), never with its body or the key.
  - Unknown arguments are an error, so that a misspelt filter never lets every event through.
options:
  host:
    description: The address to listen on.
    type: str
    default: 0.0.0.0
  port:
    description: The TCP port to listen on (0 picks a free one, logged on start).
    type: int
    required: true
  path:
    description:
      - The URL path SendGrid posts to (the path of the webhook's URL); other paths are answered 404.
      - Not with O(webhooks) or O(webhooks_file), which name their own paths.
    type: str
    default: /sendgrid/events
  webhooks:
    description:
      - Many webhooks at once, each a dictionary of C(path) (or C(url), whose path is taken), C(public_key) or
        C(public_key_file), and C(user) (the subuser whose webhook it is, put on its events).
      - Mutually exclusive with O(public_key), O(public_key_file) and O(path).
    type: list
    elements: dict
  webhooks_file:
    description:
      - An empty O(public_key), O(public_key_file) or O(webhooks_file) is unset, so that one rulebook can take
        either from its variables.
      - A YAML or JSON file of O(webhooks) entries, for example the C(webhooks) list that
        M(mailops.sendgrid.sendgrid_event_webhook) returns (C(user), C(url), C(public_key)), written by a play.
      - Read once at start. Mutually exclusive with O(webhooks), O(public_key), O(public_key_file) and O(path).
    type: str
  public_key:
    description:
      - The webhook's verification key as SendGrid shows it (base64 of the DER public key), or in PEM.
      - One of O(public_key) and O(public_key_file) is required unless O(verify=false).
    type: str
  public_key_file:
    description: A file that holds the verification key, in either form O(public_key) takes.
    type: str
  verify:
    description:
      - Check every request's signature. V(false) accepts unsigned requests from anyone who can reach the port,
        and is logged as a warning at start; say it only for a test behind a private network.
    type: bool
    default: true
  max_age:
    description: How many seconds a signature's timestamp may lie from now, either way, against replays.
    type: int
    default: 300
  event_types:
    description:
      - Only these SendGrid events (the C(event) field). The default is every event.
    type: list
    elements: str
    choices: [processed, dropped, delivered, deferred, bounce, open, click, spamreport, unsubscribe,
              group_unsubscribe, group_resubscribe]
  bounce_types:
    description:
      - Only C(bounce) events of these types (the C(type) field) pass; other events are not affected.
    type: list
    elements: str
    choices: [bounce, blocked]
    default: [bounce, blocked]
  dedupe_window:
    description: Seconds an C(sg_event_id) is remembered; a repeat within them is dropped.
    type: int
    default: 86400
  dedupe_max_ids:
    description: At most this many C(sg_event_id) are remembered (the oldest are forgotten first), to bound memory.
    type: int
    default: 100000
  max_body_size:
    description: The largest request body, in bytes, taken; a larger one is answered 413.
    type: int
    default: 5242880
  max_queued_events:
    description: Events accepted but not yet taken by the rulebook, at most (one batch larger than this waits for
      an empty queue).
    type: int
    default: 10000
  queue_timeout:
    description: Seconds a batch waits for room in the queue before it is answered 503.
    type: float
    default: 10
  certfile:
    description: A certificate chain in PEM, to serve HTTPS (with O(keyfile)).
    type: str
  keyfile:
    description: The certificate's private key in PEM.
    type: str
  password:
    description: The password of O(keyfile), if it has one.
    type: str
"""

EXAMPLES = r"""
- name: React to SendGrid events
  hosts: localhost
  sources:
    - mailops.sendgrid.sendgrid_events:
        port: 5000
        public_key_file: /etc/eda/sendgrid-webhook.pub
        certfile: /etc/eda/tls/cert.pem
        keyfile: /etc/eda/tls/key.pem
        event_types: [bounce, spamreport]
        bounce_types: [blocked]
  rules:
    - name: Show each block
      condition: event.sendgrid.event == "bounce"
      action:
        debug:
          msg: "{{ event.sendgrid.email }} blocked by {{ event.domain }}"
"""

import asyncio
import base64
import binascii
import collections
import datetime
import json
import logging
import math
import socket
import ssl
import time
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

try:
    import yaml
except ImportError:      # JSON is YAML too: without PyYAML, a webhooks_file in JSON still reads
    yaml = None

LOGGER = logging.getLogger(__name__)

SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature'
TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp'
EVENT_TYPES = ('processed', 'dropped', 'delivered', 'deferred', 'bounce', 'open', 'click', 'spamreport',
               'unsubscribe', 'group_unsubscribe', 'group_resubscribe')
BOUNCE_TYPES = ('bounce', 'blocked')
DEFAULTS = {
    'host': '0.0.0.0', 'path': '/sendgrid/events', 'public_key': None, 'public_key_file': None, 'verify': True,
    'webhooks': None, 'webhooks_file': None,
    'max_age': 300, 'event_types': list(EVENT_TYPES), 'bounce_types': list(BOUNCE_TYPES), 'dedupe_window': 86400,
    'dedupe_max_ids': 100000, 'max_body_size': 5 * 1024 * 1024, 'max_queued_events': 10000, 'queue_timeout': 10.0,
    'certfile': None, 'keyfile': None, 'password': None,
}
OPTIONS = ('port',) + tuple(DEFAULTS)
BLANK_IS_UNSET = ('public_key', 'public_key_file', 'webhooks_file')
WEBHOOK_KEYS = ('path', 'url', 'public_key', 'public_key_file', 'user')
# The other keys of an entry of sendgrid_event_webhook's `webhooks` result, which a webhooks_file may hold as it is.
RESULT_KEYS = ('changed', 'webhook', 'public_key_changed', 'failed', 'msg')
POSITIVE = ('max_age', 'dedupe_window', 'dedupe_max_ids', 'max_body_size', 'max_queued_events')


class Refused(Exception):
    """A request answered with `status`; `reason` is logged (never the body or the key)."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


# ---- arguments -------------------------------------------------------------------------------------------
def _integer(args, name, minimum):
    value = args[name]
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise ValueError('sendgrid_events: %s must be a whole number, got %r' % (name, value))
    value = int(value)
    if value < minimum:
        raise ValueError('sendgrid_events: %s must be at least %d, got %d' % (name, minimum, value))
    return value


def _boolean(args, name):
    value = args[name]
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('true', 'yes', 'on', '1'):
        return True
    if text in ('false', 'no', 'off', '0'):
        return False
    raise ValueError('sendgrid_events: %s must be true or false, got %r' % (name, value))


def _choices(args, name, allowed):
    value = args[name]
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not values:
        raise ValueError('sendgrid_events: %s must be a non-empty list of %s' % (name, ', '.join(allowed)))
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError('sendgrid_events: %s: unknown %s; choose from %s'
                         % (name, ', '.join(map(str, unknown)), ', '.join(allowed)))
    return frozenset(values)


def settings_of(args: dict[str, Any]) -> dict[str, Any]:
    """The checked arguments, with their defaults; a ValueError names the first argument that breaks a rule."""
    # A rulebook cannot leave an argument out by a variable: an empty key or file argument means unset.
    args = {name: None if name in BLANK_IS_UNSET and value == '' else value for name, value in args.items()}
    unknown = sorted(set(args) - set(OPTIONS))
    if unknown:
        raise ValueError('sendgrid_events: unknown argument %s; the arguments are %s'
                         % (', '.join(unknown), ', '.join(sorted(OPTIONS))))
    if args.get('port') is None:
        raise ValueError('sendgrid_events: port is required')
    merged = dict(DEFAULTS, **{k: v for k, v in args.items() if v is not None})
    settings = dict(merged)
    settings['port'] = _integer(merged, 'port', 0)
    if settings['port'] > 65535:
        raise ValueError('sendgrid_events: port must be at most 65535, got %d' % settings['port'])
    for name in POSITIVE:
        settings[name] = _integer(merged, name, 1)
    try:
        settings['queue_timeout'] = float(merged['queue_timeout'])
    except (TypeError, ValueError):
        raise ValueError('sendgrid_events: queue_timeout must be a number of seconds, got %r'
                         % (merged['queue_timeout'],)) from None
    if not 0 <= settings['queue_timeout'] < math.inf:
        raise ValueError('sendgrid_events: queue_timeout must be 0 or more seconds')
    settings['verify'] = _boolean(merged, 'verify')
    settings['event_types'] = _choices(merged, 'event_types', EVENT_TYPES)
    settings['bounce_types'] = _choices(merged, 'bounce_types', BOUNCE_TYPES)
    if not str(settings['path']).startswith('/'):
        raise ValueError('sendgrid_events: path must start with /, got %r' % settings['path'])
    if bool(settings['certfile']) != bool(settings['keyfile']):
        raise ValueError('sendgrid_events: certfile and keyfile go together; give both to serve HTTPS')
    if settings['public_key'] and settings['public_key_file']:
        raise ValueError('sendgrid_events: public_key and public_key_file are mutually exclusive')
    settings['routes'] = routes_of(args, settings)
    return settings


def routes_of(args, settings):
    """{path: [(key or None, user)]}: the one path of `path` and its key, or the paths of `webhooks` or
    `webhooks_file`, each with its keys (two of one path while a key rotates) and its user."""
    many = [name for name in ('webhooks', 'webhooks_file') if args.get(name) is not None]
    if not many:
        key = None
        if settings['verify']:
            key = load_public_key(settings['public_key'], settings['public_key_file'])
        elif settings['public_key'] or settings['public_key_file']:
            raise ValueError('sendgrid_events: verify is false, so public_key and public_key_file would be ignored; '
                             'drop them or drop verify')
        return {settings['path']: [(key, None)]}
    clashing = many[1:] + [name for name in ('public_key', 'public_key_file', 'path') if args.get(name) is not None]
    if clashing:
        raise ValueError('sendgrid_events: %s names its own paths and keys; drop %s'
                         % (many[0], ', '.join(clashing)))
    entries = args['webhooks'] if many[0] == 'webhooks' else read_webhooks_file(args['webhooks_file'])
    if not isinstance(entries, list) or not entries:
        raise ValueError('sendgrid_events: %s must be a non-empty list of webhooks' % many[0])
    routes = {}
    for number, entry in enumerate(entries):
        path, key, user = _webhook_entry(entry, '%s[%d]' % (many[0], number), settings['verify'])
        routes.setdefault(path, []).append((key, user))
    return routes


def read_webhooks_file(path):
    try:
        with open(path, encoding='utf-8') as handle:
            text = handle.read()
    except OSError as exc:
        raise ValueError('sendgrid_events: cannot read webhooks_file %s: %s' % (path, exc)) from None
    try:
        return json.loads(text) if yaml is None else yaml.safe_load(text)
    except (ValueError, getattr(yaml, 'YAMLError', ValueError)) as exc:
        raise ValueError('sendgrid_events: webhooks_file %s is not YAML or JSON: %s' % (path, exc)) from None


def _webhook_entry(entry, where, verify):
    """(path, key or None, user) of one webhooks entry, checked."""
    if not isinstance(entry, dict):
        raise ValueError('sendgrid_events: %s must be a dictionary of path (or url), public_key and user' % where)
    unknown = sorted(set(entry) - set(WEBHOOK_KEYS) - set(RESULT_KEYS))
    if unknown:
        raise ValueError('sendgrid_events: %s: unknown key %s; the keys are %s'
                         % (where, ', '.join(unknown), ', '.join(WEBHOOK_KEYS)))
    if entry.get('failed'):
        raise ValueError('sendgrid_events: %s (user %s) is a webhook the module failed to set up: %s'
                         % (where, entry.get('user'), entry.get('msg')))
    path = entry.get('path')
    if path is None and isinstance(entry.get('url'), str):
        path = urlsplit(entry['url']).path or '/'
    if not isinstance(path, str) or not path.startswith('/'):
        raise ValueError('sendgrid_events: %s needs a path starting with / (or a url)' % where)
    if entry.get('public_key') and entry.get('public_key_file'):
        raise ValueError('sendgrid_events: %s: public_key and public_key_file are mutually exclusive' % where)
    if not verify:
        return path, None, entry.get('user')
    if not entry.get('public_key') and not entry.get('public_key_file'):
        raise ValueError('sendgrid_events: %s (user %s) has no public_key: sign its webhook (signed: true) or give '
                         'its key' % (where, entry.get('user')))
    try:
        key = load_public_key(entry.get('public_key'), entry.get('public_key_file'))
    except ValueError as exc:
        raise ValueError('%s (%s)' % (exc, where)) from None
    return path, key, entry.get('user')


# ---- signatures ------------------------------------------------------------------------------------------
def load_public_key(text=None, path=None):
    """The EC P-256 key of `text` or of the file at `path`: SendGrid's base64 of the DER key, or PEM."""
    source = 'public_key'
    if path:
        source = 'public_key_file %s' % path
        try:
            with open(path, encoding='ascii') as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError('sendgrid_events: cannot read public_key_file %s: %s' % (path, exc)) from None
    if not text or not text.strip():
        raise ValueError('sendgrid_events: verify is true, so public_key or public_key_file is required '
                         '(the verification key SendGrid shows for the webhook)')
    text = text.strip()
    try:
        if text.startswith('-----BEGIN'):
            key = serialization.load_pem_public_key(text.encode('ascii'))
        else:
            key = serialization.load_der_public_key(base64.b64decode(''.join(text.split()), validate=True))
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise ValueError('sendgrid_events: %s is not a public key (base64 of DER, or PEM)' % source) from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != 'secp256r1':
        raise ValueError('sendgrid_events: %s is not an ECDSA P-256 key, as SendGrid uses' % source)
    return key


def verify_signature(key, body: bytes, signature: str | None, timestamp: str | None, max_age: int, now=None):
    """Raise Refused(403) unless `signature` is `key`'s over timestamp + body and the timestamp is recent."""
    if not signature or not timestamp:
        raise Refused(403, 'no signature or timestamp header')
    if not timestamp.isdigit():
        raise Refused(403, 'the timestamp is not a Unix time')
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > max_age:
        raise Refused(403, 'the timestamp is %d s from now, more than max_age %d s' % (now - int(timestamp), max_age))
    try:
        der = base64.b64decode(signature, validate=True)
        key.verify(der, timestamp.encode('ascii') + body, ec.ECDSA(hashes.SHA256()))
    except (binascii.Error, ValueError):
        raise Refused(403, 'the signature is not base64 of an ECDSA signature') from None
    except InvalidSignature:
        raise Refused(403, 'the signature does not match the body and timestamp') from None


# ---- batches ---------------------------------------------------------------------------------------------
def parse_batch(body: bytes) -> list:
    try:
        batch = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, 'the body is not JSON') from None
    if not isinstance(batch, list) or not all(isinstance(item, dict) for item in batch):
        raise Refused(400, 'the body is not a JSON array of event objects')
    return batch


# SendGrid, and the collection's `domains` selector, fold the case of ASCII letters only: str.lower() would turn a
# KELVIN SIGN into k, and a rule fed this domain would then select another domain's addresses.
_ASCII_FOLD = {code: code + 32 for code in range(ord('A'), ord('Z') + 1)}


def domain_of(email):
    if not isinstance(email, str) or '@' not in email:
        return None
    return email.rpartition('@')[2].strip().translate(_ASCII_FOLD) or None


def wanted(sendgrid_event, event_types, bounce_types):
    kind = sendgrid_event.get('event')
    if kind not in event_types:
        return False
    return kind != 'bounce' or sendgrid_event.get('type', 'bounce') in bounce_types


class RecentIds:
    """The sg_event_ids seen in the last `window` seconds, at most `limit` of them (oldest forgotten first)."""

    def __init__(self, window, limit, clock=time.monotonic):
        self.window = window
        self.limit = limit
        self.clock = clock
        self._seen = collections.OrderedDict()

    def _expire(self):
        horizon = self.clock() - self.window
        while self._seen and next(iter(self._seen.values())) < horizon:
            self._seen.popitem(last=False)

    def __contains__(self, event_id):
        self._expire()
        return event_id in self._seen

    def add(self, event_id):
        self._seen.pop(event_id, None)
        self._seen[event_id] = self.clock()
        while len(self._seen) > self.limit:
            self._seen.popitem(last=False)

    def __len__(self):
        return len(self._seen)


class EventBuffer:
    """Events accepted and not yet taken by the rulebook. A batch goes in whole or not at all: it waits until it
    fits (or until the buffer is empty, for a batch larger than the capacity), so SendGrid is answered 2xx only
    for batches that were queued entirely."""

    def __init__(self, capacity):
        self.capacity = capacity
        self._events = collections.deque()
        self._changed = asyncio.Condition()

    def __len__(self):
        return len(self._events)

    def _fits(self, count):
        return not self._events or len(self._events) + count <= self.capacity

    async def put_batch(self, events, timeout):
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: self._fits(len(events))), timeout)
            except asyncio.TimeoutError:
                return False
            self._events.extend(events)
            self._changed.notify_all()
        return True

    async def get(self):
        async with self._changed:
            await self._changed.wait_for(lambda: bool(self._events))
            event = self._events.popleft()
            self._changed.notify_all()
        return event


class Receiver:
    """The webhook's request handler: size, signature, batch, filters, repeats, then the buffer."""

    def __init__(self, settings, buffer, recent, clock=time.time):
        self.settings = settings
        self.buffer = buffer
        self.recent = recent
        self.clock = clock
        self.counts = collections.Counter()

    async def handle(self, request):
        received_at = datetime.datetime.fromtimestamp(self.clock(), datetime.timezone.utc).isoformat()
        try:
            events = await self._events_of(request, received_at)
            if events and not await self.buffer.put_batch(events, self.settings['queue_timeout']):
                raise Refused(503, 'the queue stayed full for %s s (max_queued_events %d)'
                              % (self.settings['queue_timeout'], self.settings['max_queued_events']))
        except Refused as refusal:
            self.counts['refused_%d' % refusal.status] += 1
            LOGGER.warning('sendgrid_events: refused a POST from %s: %d, %s',
                           request.remote, refusal.status, refusal.reason)
            headers = {'Retry-After': '5'} if refusal.status == 503 else None
            return web.json_response({'error': refusal.reason}, status=refusal.status, headers=headers)
        for event in events:
            event_id = event['sendgrid'].get('sg_event_id')
            if event_id:
                self.recent.add(event_id)
        self.counts['queued'] += len(events)
        return web.json_response({'queued': len(events)})

    async def _events_of(self, request, received_at):
        if request.content_length is not None and request.content_length > self.settings['max_body_size']:
            raise Refused(413, 'the body is %d bytes, more than max_body_size %d'
                          % (request.content_length, self.settings['max_body_size']))
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise Refused(413, 'the body is more than max_body_size %d bytes'
                          % self.settings['max_body_size']) from None
        user = self._verified_user(request, body)
        events, ids = [], set()
        for item in parse_batch(body):
            if not wanted(item, self.settings['event_types'], self.settings['bounce_types']):
                self.counts['filtered'] += 1
                continue
            event_id = item.get('sg_event_id')
            if event_id and (event_id in ids or event_id in self.recent):
                self.counts['repeats'] += 1
                continue
            ids.add(event_id)
            events.append({'sendgrid': item, 'domain': domain_of(item.get('email')), 'user': user,
                           'received_at': received_at})
        return events

    def _verified_user(self, request, body):
        """The user of the webhook the post's path belongs to, once one of that path's keys verifies it."""
        webhooks = self.settings['routes'].get(request.rel_url.raw_path)
        if webhooks is None:
            raise Refused(404, 'no webhook posts to this path')
        if not self.settings['verify']:
            return webhooks[0][1]
        refusal = None
        for key, user in webhooks:
            try:
                verify_signature(key, body, request.headers.get(SIGNATURE_HEADER),
                                 request.headers.get(TIMESTAMP_HEADER), self.settings['max_age'], self.clock())
                return user
            except Refused as exc:
                refusal = exc
        raise refusal


def tls_context(settings):
    if not settings['certfile']:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(settings['certfile'], settings['keyfile'], settings['password'])
    return context


async def forward(buffer, queue):
    while True:
        await queue.put(await buffer.get())


async def main(queue: asyncio.Queue, args: dict[str, Any]):
    """Serve the webhook until cancelled; every accepted SendGrid event is put on `queue`."""
    settings = settings_of(args)
    if not settings['verify']:
        LOGGER.warning('sendgrid_events: verify is false: requests are NOT checked, anyone who reaches port %s can '
                       'post events', settings['port'])
    buffer = EventBuffer(settings['max_queued_events'])
    receiver = Receiver(settings, buffer, RecentIds(settings['dedupe_window'], settings['dedupe_max_ids']))
    app = web.Application(client_max_size=settings['max_body_size'])
    # One route for every path: the receiver answers 404 for a path no webhook has, after the size check.
    app.router.add_post('/{path:.*}', receiver.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.create_server((settings['host'], settings['port']))
    forwarder = asyncio.create_task(forward(buffer, queue))
    try:
        await web.SockSite(runner, sock, ssl_context=tls_context(settings)).start()
        paths = sorted(settings['routes'])
        LOGGER.info('sendgrid_events: listening on %s://%s:%d%s', 'https' if settings['certfile'] else 'http',
                    *sock.getsockname()[:2], paths[0] if len(paths) == 1 else ' for %d webhooks, at %s' % (
                        sum(len(keys) for keys in settings['routes'].values()), ', '.join(paths)))
        await asyncio.Future()
    finally:
        forwarder.cancel()
        await runner.cleanup()
        sock.close()
