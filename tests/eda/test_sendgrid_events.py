"""The event source alone, serving on a free port with a plain asyncio queue in place of ansible-rulebook's:
signatures (SendGrid's published examples, then signed requests), every refusal answered and never queued, the
replay window, batches split, repeats dropped, filters, the size limit and back-pressure, arguments, TLS."""

import asyncio
import base64
import contextlib
import json
import logging
import re
import ssl
import time

import aiohttp
import pytest
import sendgrid_events as source
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from emulator.tls import self_signed

# SendGrid's own example (sendgrid-python, test/unit/test_eventwebhook.py): key, signature, timestamp and payload.
SG_PUBLIC_KEY = ('MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNN'
                 'RaINXvVpiglSI8eNEc6wEA3F+g==')
SG_OTHER_KEY = ('MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDth'
                'vj+y7GjUuFDb/R1NGe1OPzpA==')
SG_SIGNATURE = 'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM='
SG_OTHER_SIGNATURE = ('MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3'
                      'j/0=')
SG_TIMESTAMP = '1600112502'
SG_PAYLOAD = json.dumps([{
    'email': 'hello@world.com', 'event': 'dropped', 'reason': 'Bounced Address',
    'sg_event_id': 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
    'sg_message_id': 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
    'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>', 'timestamp': 1600112492,
}], sort_keys=True, separators=(',', ':')) + '\r\n'

PRIVATE = ec.generate_private_key(ec.SECP256R1())
PUBLIC = base64.b64encode(PRIVATE.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()


def published(payload=SG_PAYLOAD, signature=SG_SIGNATURE, timestamp=SG_TIMESTAMP, key=SG_PUBLIC_KEY):
    """True when the source accepts one of SendGrid's examples, as its helper's verify_signature would."""
    try:
        source.verify_signature(source.load_public_key(key), payload.encode(), signature, timestamp, 300,
                                now=int(SG_TIMESTAMP))
    except source.Refused:
        return False
    return True


def test_sendgrids_published_examples():
    assert published()
    assert not published(key=SG_OTHER_KEY)
    assert not published(payload='payload')
    assert not published(signature=SG_OTHER_SIGNATURE)
    assert not published(timestamp='timestamp')


def event(number, kind='bounce', **fields):
    return dict({'email': 'user%d@Outage.Example' % number, 'event': kind, 'sg_event_id': 'id-%d' % number,
                 'timestamp': 1700000000}, **fields)


def signed(body, key=PRIVATE, timestamp=None):
    body = body if isinstance(body, bytes) else (json.dumps(body) + '\r\n').encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = base64.b64encode(key.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))).decode()
    return body, {source.SIGNATURE_HEADER: signature, source.TIMESTAMP_HEADER: timestamp,
                  'Content-Type': 'application/json'}


class Listening(logging.Handler):
    def __init__(self):
        super().__init__()
        self.url = None
        self.lines = []

    def emit(self, record):
        line = record.getMessage()
        self.lines.append(line)
        found = re.search(r'listening on (\S+)', line)
        if found:
            self.url = found.group(1)


@contextlib.asynccontextmanager
async def serving(queue=None, **args):
    """The source on a free port of 127.0.0.1; yields (url, queue, the log lines)."""
    queue = asyncio.Queue() if queue is None else queue
    log = Listening()
    logging.getLogger(source.__name__).addHandler(log)
    logging.getLogger(source.__name__).setLevel(logging.INFO)
    task = asyncio.create_task(source.main(queue, dict({'host': '127.0.0.1', 'port': 0, 'public_key': PUBLIC},
                                                       **args)))
    try:
        for dummy in range(200):
            if log.url or task.done():
                break
            await asyncio.sleep(0.01)
        if task.done():
            task.result()
        yield log.url, queue, log.lines
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        logging.getLogger(source.__name__).removeHandler(log)


async def post(url, body, headers=None, **kwargs):
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body, headers=headers or {}, **kwargs) as answer:
            return answer.status, await answer.text()


def drain(queue):
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_signed_batch_becomes_one_event_per_sendgrid_event():
    async def scenario():
        async with serving() as (url, queue, dummy):
            batch = [event(1, type='blocked', status='4.0.0'), event(2, 'spamreport'), event(3, 'dropped')]
            status, text = await post(url, *signed(batch))
            await asyncio.sleep(0.05)
            return status, json.loads(text), drain(queue), batch
    status, answer, queued, batch = run(scenario())
    assert status == 200 and answer == {'queued': 3}
    assert [item['sendgrid'] for item in queued] == batch                     # the fields as they came
    assert [item['domain'] for item in queued] == ['outage.example'] * 3
    assert all(re.match(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00$', item['received_at']) for item in queued)


def test_the_domain_folds_ascii_letters_only():
    assert source.domain_of('a@Outage.EXAMPLE') == 'outage.example'
    assert source.domain_of('a@\u212aelvin.example') == '\u212aelvin.example'      # KELVIN SIGN kept, as SendGrid keeps it
    assert source.domain_of('no-domain') is None and source.domain_of(None) is None


BAD_CASES = {
    'no headers': lambda body: (body, {}),
    'no timestamp': lambda body: (body, {source.SIGNATURE_HEADER: signed(body)[1][source.SIGNATURE_HEADER]}),
    'a timestamp that is no number': lambda body: (body, dict(signed(body)[1], **{source.TIMESTAMP_HEADER: 'x1'})),
    'not base64': lambda body: (body, dict(signed(body)[1], **{source.SIGNATURE_HEADER: 'not*base64'})),
    'base64 of no signature': lambda body: (body, dict(signed(body)[1], **{source.SIGNATURE_HEADER: 'AAAA'})),
    'another key': lambda body: signed(body, key=ec.generate_private_key(ec.SECP256R1())),
    'a changed body': lambda body: (body.replace(b'user1', b'user9'), signed(body)[1]),
    'a changed timestamp': lambda body: (body, dict(signed(body)[1], **{
        source.TIMESTAMP_HEADER: str(int(signed(body)[1][source.TIMESTAMP_HEADER]) + 1)})),
    'too old': lambda body: signed(body, timestamp=int(time.time()) - 301),
    'too far ahead': lambda body: signed(body, timestamp=int(time.time()) + 301),
}


@pytest.mark.parametrize('case', sorted(BAD_CASES))
def test_each_bad_signature_is_refused_and_never_queued(case):
    body = (json.dumps([event(1)]) + '\r\n').encode()

    async def scenario():
        async with serving() as (url, queue, lines):
            status, dummy = await post(url, *BAD_CASES[case](body))
            await asyncio.sleep(0.05)
            return status, drain(queue), lines
    status, queued, lines = run(scenario())
    assert status == 403 and queued == []
    refused = [line for line in lines if 'refused' in line]
    assert len(refused) == 1 and '403' in refused[0]
    assert 'user1' not in refused[0] and PUBLIC[:40] not in refused[0]      # neither the body nor the key


def test_a_replay_after_max_age_is_refused():
    async def scenario():
        async with serving(max_age=1) as (url, queue, dummy):
            body, headers = signed([event(1)])
            first = await post(url, body, headers)
            await asyncio.sleep(2.1)
            second = await post(url, body, headers)
            return first[0], second[0], len(drain(queue))
    assert run(scenario()) == (200, 403, 1)


def test_repeats_of_an_event_id_are_dropped():
    async def scenario():
        async with serving() as (url, queue, dummy):
            answers = [await post(url, *signed([event(1), event(2), event(1)])),
                       await post(url, *signed([event(2), event(3)]))]          # SendGrid delivering again
            await asyncio.sleep(0.05)
            return [json.loads(text) for dummy, text in answers], drain(queue)
    answers, queued = run(scenario())
    assert answers == [{'queued': 2}, {'queued': 1}]
    assert [item['sendgrid']['sg_event_id'] for item in queued] == ['id-1', 'id-2', 'id-3']


def test_the_dedupe_window_and_its_bound():
    now = [0.0]
    recent = source.RecentIds(window=10, limit=3, clock=lambda: now[0])
    recent.add('a')
    now[0] = 5
    recent.add('b')
    assert 'a' in recent and 'b' in recent
    now[0] = 10.5
    assert 'a' not in recent and 'b' in recent                               # a is older than the window
    for name in 'cde':
        recent.add(name)
    assert len(recent) == 3 and 'b' not in recent and 'e' in recent           # the oldest forgotten first


def test_filters_by_event_type_and_bounce_type():
    async def scenario():
        async with serving(event_types=['bounce', 'spamreport'], bounce_types=['blocked']) as (url, queue, dummy):
            batch = [event(1, type='blocked'), event(2, type='bounce'), event(3, 'spamreport'), event(4, 'open'),
                     event(5, 'dropped')]
            await post(url, *signed(batch))
            await asyncio.sleep(0.05)
            return drain(queue)
    assert [item['sendgrid']['sg_event_id'] for item in run(scenario())] == ['id-1', 'id-3']


def test_a_body_over_the_limit_is_413_and_a_bad_body_400():
    async def scenario():
        async with serving(max_body_size=2000) as (url, queue, lines):
            big = [event(n) for n in range(40)]
            with_length = await post(url, *signed(big))

            async def chunks():
                yield signed(big)[0]
            chunked = await post(url, chunks(), signed(big)[1])
            not_json = await post(url, *signed(b'{"event": '))
            not_array = await post(url, *signed({'event': 'bounce'}))
            return [with_length[0], chunked[0], not_json[0], not_array[0]], drain(queue), lines
    statuses, queued, lines = run(scenario())
    assert statuses == [413, 413, 400, 400] and queued == []
    assert sum('refused' in line for line in lines) == 4


def test_back_pressure_answers_503_and_queues_nothing_of_that_batch():
    async def scenario():
        rulebook = asyncio.Queue(1)                                             # ansible-rulebook's own size
        async with serving(rulebook, max_queued_events=2, queue_timeout=0.2) as (url, queue, dummy):
            answers = []
            for number in range(0, 12, 2):
                status, text = await post(url, *signed([event(number), event(number + 1)]))
                answers.append((status, json.loads(text)))
            taken = []
            while not queue.empty():                                             # the rulebook catches up
                taken.append(await queue.get())
                await asyncio.sleep(0.01)
            retried = await post(url, *signed([event(100), event(101)]))
            for dummy in range(2):
                taken.append(await asyncio.wait_for(queue.get(), 5))
            await asyncio.sleep(0.05)
            return answers, retried[0], taken + drain(queue)
    answers, retried, taken = run(scenario())
    statuses = [status for status, dummy in answers]
    assert statuses[0] == 200 and statuses[-1] == 503 and 'queue' in answers[-1][1]['error']
    assert retried == 200
    accepted = {'id-%d' % n for status, n in zip(statuses, range(0, 12, 2)) if status == 200 for n in (n, n + 1)}
    assert [item['sendgrid']['sg_event_id'] for item in taken] == sorted(accepted, key=lambda i: int(i[3:])) + [
        'id-100', 'id-101']                                                     # every accepted event, no other


@pytest.mark.parametrize('args, message', [
    ({'port': 5000, 'public_key': PUBLIC, 'event_type': ['bounce']}, 'unknown argument event_type'),
    ({'public_key': PUBLIC}, 'port is required'),
    ({'port': 'x', 'public_key': PUBLIC}, 'port must be a whole number'),
    ({'port': 5000, 'public_key': PUBLIC, 'event_types': ['bounces']}, 'event_types: unknown bounces'),
    ({'port': 5000, 'public_key': PUBLIC, 'bounce_types': ['hard']}, 'bounce_types: unknown hard'),
    ({'port': 5000}, 'public_key or public_key_file is required'),
    ({'port': 5000, 'public_key': 'bm90IGEga2V5'}, 'public_key is not a public key'),
    ({'port': 5000, 'public_key_file': '/nonexistent/key'}, 'cannot read public_key_file'),
    ({'port': 5000, 'public_key': PUBLIC, 'public_key_file': '/x'}, 'mutually exclusive'),
    ({'port': 5000, 'verify': False, 'public_key': PUBLIC}, 'verify is false'),
    ({'port': 5000, 'public_key': PUBLIC, 'certfile': '/c.pem'}, 'certfile and keyfile go together'),
    ({'port': 5000, 'public_key': PUBLIC, 'max_age': 0}, 'max_age must be at least 1'),
    ({'port': 5000, 'public_key': PUBLIC, 'path': 'events'}, 'path must start with /'),
])
def test_bad_arguments_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        source.settings_of(args)


def test_an_rsa_key_is_refused(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import rsa
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / 'rsa.pem').write_bytes(pem)
    with pytest.raises(ValueError, match='not an ECDSA P-256 key'):
        source.settings_of({'port': 1, 'public_key_file': str(tmp_path / 'rsa.pem')})


def test_key_from_a_pem_file_tls_and_the_path(tmp_path):
    (tmp_path / 'key.pem').write_bytes(PRIVATE.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    cert, key = self_signed(str(tmp_path))

    async def scenario():
        async with serving(public_key=None, public_key_file=str(tmp_path / 'key.pem'), certfile=cert, keyfile=key,
                           path='/hooks/sg') as (url, queue, dummy):
            trust = ssl.create_default_context(cafile=cert)
            assert url.startswith('https://') and url.endswith('/hooks/sg')
            good = await post(url, *signed([event(1)]), ssl=trust)
            elsewhere = await post(url.replace('/hooks/sg', '/'), *signed([event(2)]), ssl=trust)
            await asyncio.sleep(0.05)
            return good[0], elsewhere[0], len(drain(queue))
    assert run(scenario()) == (200, 404, 1)


def test_verify_false_takes_unsigned_posts_and_warns():
    async def scenario():
        async with serving(verify=False, public_key=None) as (url, queue, lines):
            status, dummy = await post(url, json.dumps([event(1)]))
            await asyncio.sleep(0.05)
            return status, len(drain(queue)), lines
    status, count, lines = run(scenario())
    assert (status, count) == (200, 1)
    assert any('verify is false' in line and 'NOT checked' in line for line in lines)


def test_the_documentation_matches_the_arguments():
    import yaml
    documented = yaml.safe_load(source.DOCUMENTATION)['options']
    assert set(documented) == set(source.OPTIONS)
    for name, spec in documented.items():
        default = source.DEFAULTS.get(name)
        if isinstance(default, list):
            assert spec.get('default', list(source.EVENT_TYPES)) == default, name
        else:
            assert spec.get('default') == default, name
    assert documented['event_types']['choices'] == list(source.EVENT_TYPES)
    assert documented['bounce_types']['choices'] == list(source.BOUNCE_TYPES)
    assert documented['port']['required'] is True


# ---- many webhooks: a key (or two, while it rotates) and a user per path --------------------------------
def _key_pair():
    private = ec.generate_private_key(ec.SECP256R1())
    public = base64.b64encode(private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
    return private, public


TENANT_42, TENANT_7, ROTATED = _key_pair(), _key_pair(), _key_pair()


def test_many_webhooks_each_verified_with_its_own_keys(tmp_path):
    webhooks = [{'path': '/sendgrid/tenant-42', 'public_key': TENANT_42[1], 'user': 'tenant-42'},
                {'url': 'https://hooks.example.com/sendgrid/tenant-7', 'public_key': TENANT_7[1], 'user': 'tenant-7'},
                {'path': '/sendgrid/tenant-7', 'public_key': ROTATED[1], 'user': 'tenant-7'}]

    async def scenario():
        async with serving(public_key=None, webhooks=webhooks) as (url, queue, lines):
            answers = [
                (await post(url + '/sendgrid/tenant-42', *signed([event(1)], key=TENANT_42[0])))[0],
                (await post(url + '/sendgrid/tenant-7', *signed([event(2)], key=TENANT_7[0])))[0],
                (await post(url + '/sendgrid/tenant-7', *signed([event(3)], key=ROTATED[0])))[0],
                # Another path's key is refused like any bad signature; a path of no webhook is 404.
                (await post(url + '/sendgrid/tenant-42', *signed([event(4)], key=TENANT_7[0])))[0],
                (await post(url + '/sendgrid/tenant-9', *signed([event(5)], key=TENANT_42[0])))[0]]
            await asyncio.sleep(0.05)
            return answers, drain(queue), lines
    answers, queued, lines = run(scenario())
    assert answers == [200, 200, 200, 403, 404]
    assert [(item['sendgrid']['sg_event_id'], item['user']) for item in queued] == [
        ('id-1', 'tenant-42'), ('id-2', 'tenant-7'), ('id-3', 'tenant-7')]
    assert any('for 3 webhooks, at /sendgrid/tenant-42, /sendgrid/tenant-7' in line for line in lines)


def test_a_webhooks_file_in_the_modules_result_shape(tmp_path):
    import yaml
    result = [{'user': 'tenant-42', 'url': 'https://hooks.example.com/sendgrid/tenant-42', 'changed': True,
               'public_key': TENANT_42[1], 'public_key_changed': True, 'webhook': {'id': 'x'}}]
    path = tmp_path / 'webhooks.yml'
    path.write_text(yaml.safe_dump(result))

    async def scenario():
        async with serving(public_key=None, webhooks_file=str(path)) as (url, queue, dummy):
            status = (await post(url.rsplit('/sendgrid', 1)[0] + '/sendgrid/tenant-42',
                                 *signed([event(1)], key=TENANT_42[0])))[0]
            await asyncio.sleep(0.05)
            return status, drain(queue)
    status, queued = run(scenario())
    assert status == 200 and queued[0]['user'] == 'tenant-42'


def test_the_single_path_events_carry_no_user():
    async def scenario():
        async with serving() as (url, queue, dummy):
            await post(url, *signed([event(1)]))
            await asyncio.sleep(0.05)
            return drain(queue)
    assert run(scenario())[0]['user'] is None


@pytest.mark.parametrize('args, message', [
    ({'webhooks': [{'path': '/a', 'public_key': PUBLIC}], 'public_key': PUBLIC}, 'drop public_key'),
    ({'webhooks': [{'path': '/a', 'public_key': PUBLIC}], 'path': '/b'}, 'drop path'),
    ({'webhooks': []}, 'must be a non-empty list'),
    ({'webhooks': [{'path': 'a', 'public_key': PUBLIC}]}, 'needs a path starting with /'),
    ({'webhooks': [{'path': '/a', 'user': 'u'}]}, '(user u) has no public_key'),
    ({'webhooks': [{'path': '/a', 'public_key': PUBLIC, 'usr': 'u'}]}, 'unknown key usr'),
    ({'webhooks': [{'user': 'u', 'failed': True, 'msg': 'HTTP 403'}]}, 'the module failed to set up: HTTP 403'),
    ({'webhooks_file': '/nonexistent/webhooks.yml'}, 'cannot read webhooks_file'),
])
def test_bad_webhooks_are_named(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        source.settings_of(dict({'port': 1}, **args))


def test_an_empty_key_or_file_argument_is_unset(tmp_path):
    path = tmp_path / 'webhooks.json'
    path.write_text(json.dumps([{'path': '/a', 'public_key': TENANT_42[1], 'user': 'u'}]))
    settings = source.settings_of({'port': 1, 'public_key': '', 'webhooks_file': str(path)})
    assert list(settings['routes']) == ['/a']
    settings = source.settings_of({'port': 1, 'public_key': PUBLIC, 'webhooks_file': ''})
    assert list(settings['routes']) == ['/sendgrid/events']
