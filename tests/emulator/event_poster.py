"""Deliveries of the Event Webhook, as SendGrid makes them: each batch POSTed as a JSON array, signed (ECDSA P-256
over the timestamp and the raw body) when the webhook is signed, at a chosen rate, and POSTed again after a growing
pause while it is not acknowledged with a 2xx."""

import base64
import collections
import heapq
import itertools
import json
import threading
import time

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature'
TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp'
# What GET /_emulator/events counts: batches and events submitted, POSTs made, acknowledged (2xx) batches and their
# events, retries, batches abandoned after their last attempt, POSTs under way.
COUNTS = ('batches', 'events', 'posts', 'acknowledged', 'events_acknowledged', 'retries', 'abandoned', 'in_flight')
# GET /_emulator/events also gives when the last POSTs left (`sent_at`, seconds on the sender's clock): the pauses
# between them are the sender's own, which a receiver on a busy machine sees shifted.
SENT_KEPT = 100


def new_private_key():
    """A new P-256 key pair, its private half in PEM (what the store keeps)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode('ascii')


def public_key_of(private_pem):
    """The verification key as SendGrid shows it: base64 of the DER SubjectPublicKeyInfo."""
    key = serialization.load_pem_private_key(private_pem.encode('ascii'), password=None)
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode('ascii')


def signature_headers(private_pem, body, timestamp=None):
    key = serialization.load_pem_private_key(private_pem.encode('ascii'), password=None)
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = key.sign(timestamp.encode('ascii') + body, ec.ECDSA(hashes.SHA256()))
    return {SIGNATURE_HEADER: base64.b64encode(signature).decode('ascii'), TIMESTAMP_HEADER: timestamp}


class Delivery:
    """One batch of events for one webhook, as SendGrid sends it (a JSON array, then CRLF): `private_key` None
    means unsigned; `bad_signature` signs with a stranger's key."""

    def __init__(self, url, events, private_key=None, bad_signature=False, attempts=5, retry_delay=1.0):
        self.url = url
        self.body = json.dumps(events, separators=(',', ':')).encode('utf-8') + b'\r\n'
        self.events = len(events)
        self.private_key = private_key
        self.bad_signature = bad_signature
        self.attempts_left = attempts
        self.retry_delay = retry_delay

    def headers(self):
        headers = {'Content-Type': 'application/json', 'User-Agent': 'SendGrid Event API'}
        if self.private_key:
            headers.update(signature_headers(new_private_key() if self.bad_signature else self.private_key,
                                             self.body))
        return headers


class Poster:
    """One thread that posts deliveries in order, at most `rate` POSTs a second (0: no limit), retrying each
    unacknowledged one after retry_delay, 2 x retry_delay, ... until its attempts are used up."""

    def __init__(self):
        self._due = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._interval = 0.0
        self._last_post = 0.0
        self._session = requests.Session()
        self._counts = collections.Counter(dict.fromkeys(COUNTS, 0))
        self._statuses = collections.Counter()
        self._sent_at = collections.deque(maxlen=SENT_KEPT)
        threading.Thread(target=self._run, name='event-poster', daemon=True).start()

    def submit(self, deliveries, rate=0):
        with self._wake:
            self._interval = 1.0 / rate if rate else 0.0
            for delivery in deliveries:
                heapq.heappush(self._due, (time.monotonic(), next(self._order), delivery))
                self._counts['batches'] += 1
                self._counts['events'] += delivery.events
            self._wake.notify()

    def stats(self):
        with self._wake:
            return dict(self._counts, pending=len(self._due), statuses={str(k): v for k, v in self._statuses.items()},
                        sent_at=list(self._sent_at))

    def _next(self):
        with self._wake:
            while True:
                wait = self._due[0][0] - time.monotonic() if self._due else None
                if wait is not None and wait <= 0:
                    self._counts['in_flight'] += 1
                    return heapq.heappop(self._due)[2]
                self._wake.wait(wait)

    def _run(self):
        while True:
            delivery = self._next()
            pause = self._last_post + self._interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._last_post = time.monotonic()
            with self._wake:
                self._sent_at.append(self._last_post)
            status = self._post(delivery)
            with self._wake:
                self._counts['in_flight'] -= 1
                self._counts['posts'] += 1
                self._statuses[status] += 1
                delivery.attempts_left -= 1
                if isinstance(status, int) and 200 <= status < 300:
                    self._counts['acknowledged'] += 1
                    self._counts['events_acknowledged'] += delivery.events
                elif delivery.attempts_left > 0:
                    self._counts['retries'] += 1
                    heapq.heappush(self._due, (time.monotonic() + delivery.retry_delay, next(self._order), delivery))
                    delivery.retry_delay *= 2
                else:
                    self._counts['abandoned'] += 1

    def _post(self, delivery):
        try:
            return self._session.post(delivery.url, data=delivery.body, headers=delivery.headers(), timeout=30,
                                      allow_redirects=False).status_code
        except requests.RequestException as exc:
            return type(exc).__name__
