"""The emulator's Event Webhook: settings as SendGrid's OpenAPI document has them (tsg_webhooks_v3.yaml in
twilio/sendgrid-oai), and mail events posted to a receiver as SendGrid posts them: batched, signed with the
webhook's key (checked here with the cryptography library, not with the collection's source), retried until
acknowledged, at a chosen rate, with a bad-signature mode; each event leaving its record in its list."""

import base64
import json
import os
import time

import pytest
import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hostile_server import HostileServer, json_reply
from emulator.process import FIXTURES, Emulator

AUTH = {'Authorization': 'Bearer SG.demo-key'}
DEMO = os.path.join(FIXTURES, 'demo.yml')
SETTINGS = 'user/webhooks/event/settings'


def v3(emu, method, path, body=None):
    return requests.request(method, emu.url + '/v3/' + path, json=body, headers=AUTH, timeout=30)


class Receiver(HostileServer):
    """A webhook endpoint that keeps every POST and answers the statuses queued in `answers` (200 once they run
    out); `posts` are (headers, raw body, arrival time)."""

    def __init__(self):
        self.answers = []
        super().__init__(lambda request: json_reply(b'', status=self.answers.pop(0) if self.answers else 200))
        self.url += '/sendgrid/events'

    @property
    def posts(self):
        return [(request.headers, request.body, request.received) for request in self.requests]

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.posts


def verifies(public_key, headers, body):
    key = serialization.load_der_public_key(base64.b64decode(public_key))
    signed = headers['X-Twilio-Email-Event-Webhook-Timestamp'].encode() + body
    try:
        key.verify(base64.b64decode(headers['X-Twilio-Email-Event-Webhook-Signature']), signed,
                   ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


@pytest.fixture
def emu():
    with Emulator('--data', DEMO) as emulator:
        yield emulator


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


def signed_webhook(emu, url, **flags):
    created = v3(emu, 'POST', SETTINGS, dict({'enabled': True, 'url': url}, **flags))
    assert created.status_code == 201, created.text
    signed = v3(emu, 'PATCH', SETTINGS + '/signed/' + created.json()['id'], {'enabled': True})
    assert signed.status_code == 200
    return created.json()['id'], signed.json()['public_key']


def make_events(emu, events, **options):
    answer = requests.post(emu.url + '/_emulator/events', json=dict(options, events=events), headers=AUTH, timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.json()


def test_settings_create_read_update_sign_delete(emu):
    created = v3(emu, 'POST', SETTINGS, {'enabled': True, 'url': 'https://hooks.example.com/a', 'bounce': True,
                                         'friendly_name': 'Blocks'})
    assert created.status_code == 201
    webhook = created.json()
    assert webhook['bounce'] is True and webhook['spam_report'] is False and 'public_key' not in webhook
    assert set(webhook) >= {'id', 'enabled', 'url', 'friendly_name', 'created_date', 'updated_date', 'dropped'}
    path = SETTINGS + '/' + webhook['id']
    assert v3(emu, 'GET', SETTINGS + '/signed/' + webhook['id']).json() == {'id': webhook['id'], 'public_key': ''}
    key = v3(emu, 'PATCH', SETTINGS + '/signed/' + webhook['id'], {'enabled': True}).json()['public_key']
    assert serialization.load_der_public_key(base64.b64decode(key)).curve.name == 'secp256r1'
    assert v3(emu, 'GET', path).json()['public_key'] == key
    assert v3(emu, 'GET', SETTINGS + '/all').json()['webhooks'][0]['public_key'] == key
    updated = v3(emu, 'PATCH', path, {'spam_report': True})
    assert updated.status_code == 200 and updated.json()['spam_report'] and updated.json()['bounce']
    assert v3(emu, 'PATCH', SETTINGS + '/signed/' + webhook['id'], {'enabled': False}).json()['public_key'] == ''
    assert v3(emu, 'DELETE', path).status_code == 204
    assert v3(emu, 'GET', path).status_code == 404
    assert v3(emu, 'GET', path).json()['errors'][0]['message'] == 'Invalid id provided.'
    assert v3(emu, 'GET', SETTINGS + '/all').json() == {'max_allowed': 5, 'webhooks': []}


def test_settings_refusals(emu):
    assert v3(emu, 'POST', SETTINGS, {'enabled': True}).status_code == 400                  # no url
    assert "is not a valid url" in v3(emu, 'POST', SETTINGS, {'url': 'ftp://x'}).json()['errors'][0]['message']
    assert v3(emu, 'POST', SETTINGS, {'url': 'https://a.example', 'bounce': 'yes'}).status_code == 400
    assert v3(emu, 'POST', SETTINGS, {'url': 'https://a.example', 'bounces': True}).status_code == 400
    for number in range(5):
        assert v3(emu, 'POST', SETTINGS, {'url': 'https://a.example/%d' % number, 'enabled': True}).status_code == 201
    assert 'already exists' in v3(emu, 'POST', SETTINGS, {'url': 'https://a.example/0'}).json()['errors'][0]['message']
    assert 'maximum number' in v3(emu, 'POST', SETTINGS, {'url': 'https://a.example/9',
                                                          'enabled': True}).json()['errors'][0]['message']
    # max_allowed counts the enabled webhooks: a disabled one is still made.
    assert v3(emu, 'POST', SETTINGS, {'url': 'https://a.example/8', 'enabled': False}).status_code == 201
    assert requests.get(emu.url + '/v3/' + SETTINGS + '/all', timeout=30).status_code == 401


def test_events_are_batched_signed_and_recorded(emu, receiver):
    dummy, public_key = signed_webhook(emu, receiver.url, bounce=True, spam_report=True)
    events = [{'event': 'bounce', 'type': 'blocked', 'email': 'b%d@outage.example' % n} for n in range(5)]
    events += [{'event': 'spamreport', 'email': 'angry@example.org'}, {'event': 'delivered', 'email': 'ok@e.org'},
               {'event': 'bounce', 'email': 'gone@example.net'}]
    assert make_events(emu, events, batch_size=3) == {'events': 8, 'batches': 3}        # delivered is not asked for
    posts = receiver.wait_for(3)
    sent = [event for headers, body, dummy in posts for event in json.loads(body)]
    assert all(verifies(public_key, headers, body) and body.endswith(b'\r\n') for headers, body, dummy in posts)
    assert [e['email'] for e in sent] == [e['email'] for e in events if e['event'] != 'delivered']
    assert len({e['sg_event_id'] for e in sent}) == 7
    assert sent[0]['type'] == 'blocked' and sent[0]['status'].startswith('4') and sent[-1]['type'] == 'bounce'
    blocks = v3(emu, 'GET', 'suppression/blocks?email=b').json()
    assert sorted(r['email'] for r in blocks if r['email'].endswith('@outage.example')) == \
        sorted(e['email'] for e in events[:5])
    assert v3(emu, 'GET', 'suppression/spam_reports/angry@example.org').json()[0]['email'] == 'angry@example.org'
    assert v3(emu, 'GET', 'suppression/bounces/gone@example.net').json()[0]['status'] == '5.1.1'
    stats = requests.get(emu.url + '/_emulator/events', timeout=30).json()
    assert stats['acknowledged'] == 3 and stats['events_acknowledged'] == 7 and stats['pending'] == 0


def test_unacknowledged_posts_are_retried_and_bad_signatures_fail(emu, receiver):
    dummy, public_key = signed_webhook(emu, receiver.url, bounce=True)
    receiver.answers = [500, 503]
    make_events(emu, [{'event': 'bounce', 'email': 'x@example.com'}], retry_delay=0.1)
    posts = receiver.wait_for(3)
    assert len(posts) == 3 and posts[0][1] == posts[2][1]
    sent = requests.get(emu.url + '/_emulator/events', timeout=30).json()['sent_at']
    assert sent[1] - sent[0] > 0.09 and sent[2] - sent[1] > 0.19                # the pause doubles
    make_events(emu, [{'event': 'bounce', 'email': 'y@example.com'}], bad_signature=True, attempts=1, record=False)
    headers, body, dummy = receiver.wait_for(4)[3]
    assert not verifies(public_key, headers, body)
    stats = requests.get(emu.url + '/_emulator/events', timeout=30).json()
    assert stats['retries'] == 2 and stats['statuses'] == {'500': 1, '503': 1, '200': 2}


def test_give_up_after_the_attempts(emu, receiver):
    signed_webhook(emu, receiver.url, dropped=True)
    receiver.answers = [500] * 10
    make_events(emu, [{'event': 'dropped', 'email': 'z@example.com'}], attempts=2, retry_delay=0.05)
    receiver.wait_for(2)
    time.sleep(0.3)
    stats = requests.get(emu.url + '/_emulator/events', timeout=30).json()
    assert len(receiver.posts) == 2 and stats['abandoned'] == 1 and stats['acknowledged'] == 0


def test_rate_spaces_the_posts(emu, receiver):
    signed_webhook(emu, receiver.url, dropped=True)
    make_events(emu, [{'event': 'dropped', 'email': 'r%d@example.com' % n} for n in range(4)], batch_size=1, rate=10)
    assert len(receiver.wait_for(4)) == 4
    sent = requests.get(emu.url + '/_emulator/events', timeout=30).json()['sent_at']
    assert len(sent) == 4 and sent[-1] - sent[0] >= 0.28


def test_event_refusals_change_nothing(emu, receiver):
    signed_webhook(emu, receiver.url, bounce=True)
    for body in ({'events': [{'event': 'bounced', 'email': 'a@b.c'}]}, {'events': 'x'}, {},
                 {'events': [{'event': 'bounce', 'email': 'a@b.c'}], 'batch_size': 0}):
        assert requests.post(emu.url + '/_emulator/events', json=body, headers=AUTH, timeout=30).status_code == 400
    assert requests.post(emu.url + '/_emulator/events', json={'events': []}, timeout=30).status_code == 401
    time.sleep(0.2)
    assert receiver.posts == [] and v3(emu, 'GET', 'suppression/bounces/a@b.c').json() == []
