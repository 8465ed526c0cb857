"""sendgrid_event_webhook against the emulator: create signed (the POST, then the signing PATCH), adopt by URL,
update one field with one request, signing off and on and the key (kept, or new with the emulator's knob), absent,
check and diff mode, the enabled-webhook limit, every subuser by a URL template, and bad input refused before any
request."""

import os

import pytest
from module_helpers import run_module
from emulator.process import FIXTURES, Emulator

DEMO = os.path.join(FIXTURES, 'demo.yml')
V3 = {'api_key': 'SG.demo-key', 'api_version': 'v3'}
URL = 'https://hooks.example.com/sendgrid/account'


@pytest.fixture(scope='module')
def emu():
    with Emulator('--data', DEMO) as emulator:
        yield emulator


def _module(emu, args, tmp_path, **kwargs):
    return run_module('sendgrid_event_webhook', dict(V3, api_url=emu.url, **args), tmp_path, **kwargs)


def _methods(emu, path):
    return emu.stats()['by_endpoint'].get(path, {}).get('by_method', {})


@pytest.mark.compat
def test_create_signed_then_nothing_to_do_then_one_change(emu, tmp_path):
    args = {'url': URL, 'events': ['bounce', 'spamreport'], 'friendly_name': 'Suppressions', 'signed': True}
    emu.reset_stats()
    rc, check = _module(emu, args, tmp_path, check_mode=True, diff=True)
    assert rc == 0 and check['changed'] and emu.stats()['writes'] == 0, check
    assert check['diff']['before'] == {} and check['diff']['after']['events'] == ['bounce', 'spamreport']
    assert check['webhook']['signed'] is True and check['public_key'] is None
    rc, created = _module(emu, args, tmp_path)
    assert rc == 0 and created['changed'] and created['public_key'] and created['public_key_changed'], created
    assert created['webhook']['events'] == ['bounce', 'spamreport'] and created['webhook']['enabled'] is True
    # Signing cannot be asked for at creation: the POST, then the PATCH of the signed setting.
    assert _methods(emu, 'v3/user/webhooks/event/settings') == {'POST': 1}
    assert _methods(emu, 'v3/user/webhooks/event/settings/signed/{id}') == {'PATCH': 1}
    emu.reset_stats()
    rc, again = _module(emu, args, tmp_path)
    assert rc == 0 and not again['changed'] and emu.stats()['writes'] == 0
    assert again['public_key'] == created['public_key'] and not again['public_key_changed']
    emu.reset_stats()
    rc, changed = _module(emu, {'url': URL, 'friendly_name': 'Renamed'}, tmp_path, diff=True)
    assert rc == 0 and changed['changed'] and emu.stats()['writes'] == 1
    assert changed['diff']['before']['friendly_name'] == 'Suppressions'
    assert changed['diff']['after']['friendly_name'] == 'Renamed'
    assert changed['webhook']['events'] == ['bounce', 'spamreport'], 'settings not named stay as they are'


@pytest.mark.parametrize('knob, same_key', [((), True), (('--webhook-new-key-on-sign',), False)])
def test_signing_off_and_on_and_the_key(tmp_path, knob, same_key):
    with Emulator('--data', DEMO, *knob) as emulator:
        args = {'url': URL, 'events': ['bounce'], 'signed': True}
        rc, first = _module(emulator, args, tmp_path)
        rc, off = _module(emulator, dict(args, signed=False), tmp_path)
        assert rc == 0 and off['changed'] and off['public_key'] is None and off['webhook']['signed'] is False
        rc, on = _module(emulator, args, tmp_path)
        assert rc == 0 and on['changed'] and on['public_key'] and on['public_key_changed']
        assert (on['public_key'] == first['public_key']) is same_key


def test_absent_deletes_and_then_has_nothing_to_do(emu, tmp_path):
    url = 'https://old.example.com/hook'
    rc, dummy = _module(emu, {'url': url, 'events': []}, tmp_path)
    rc, check = _module(emu, {'url': url, 'state': 'absent'}, tmp_path, check_mode=True)
    assert rc == 0 and check['changed']
    rc, gone = _module(emu, {'url': url, 'state': 'absent'}, tmp_path)
    assert rc == 0 and gone['changed'] and gone['webhook'] is None
    emu.reset_stats()
    rc, again = _module(emu, {'url': url, 'state': 'absent'}, tmp_path)
    assert rc == 0 and not again['changed'] and emu.stats()['writes'] == 0


def test_the_enabled_webhook_limit_is_checked_before_a_create(tmp_path):
    with Emulator('--data', DEMO) as emulator:
        for number in range(5):
            rc, made = _module(emulator, {'url': 'https://h%d.example.com/' % number, 'events': ['bounce']}, tmp_path)
            assert rc == 0, made
        emulator.reset_stats()
        rc, refused = _module(emulator, {'url': 'https://h9.example.com/', 'events': ['bounce']}, tmp_path)
        assert rc == 1 and 'max_allowed 5' in refused['msg'] and 'enabled: false' in refused['msg']
        assert emulator.stats()['writes'] == 0
        rc, disabled = _module(emulator, {'url': 'https://h9.example.com/', 'events': ['bounce'], 'enabled': False},
                               tmp_path)
        assert rc == 0 and disabled['webhook']['enabled'] is False, 'the limit counts enabled webhooks'


def test_every_subuser_gets_its_own_webhook_from_a_template(emu, tmp_path):
    args = {'url': 'https://hooks.example.com/sendgrid/{user}',
            'subusers': {'username': 'tenant-', 'include_disabled': True},
            'events': ['bounce', 'spamreport'], 'signed': True}
    rc, result = _module(emu, args, tmp_path)
    assert rc == 0 and result['changed'], result
    by_user = {entry['user']: entry for entry in result['webhooks']}
    assert sorted(by_user) == ['tenant-42', 'tenant-7']
    assert by_user['tenant-42']['url'] == 'https://hooks.example.com/sendgrid/tenant-42'
    assert all(entry['public_key'] for entry in result['webhooks'])
    assert by_user['tenant-42']['public_key'] != by_user['tenant-7']['public_key'], 'a key per subuser'
    emu.reset_stats()
    rc, again = _module(emu, args, tmp_path, diff=True)
    assert rc == 0 and not again['changed'] and emu.stats()['writes'] == 0
    assert [diff['after']['url'] for diff in again['diff']] == [entry['url'] for entry in again['webhooks']], \
        'each user\'s diff, in the order of the entries'


@pytest.mark.parametrize('args, message', [
    ({'url': 'ftp://x.example.com/'}, 'url must be an http:// or https:// URL'),
    ({'url': 'https://x.example.com/{user}'}, 'which only subusers fills in'),
    ({'url': 'https://x.example.com/hook', 'subusers': {}}, 'url must hold {user}'),
    pytest.param({'url': URL, 'events': ['bounced']}, 'value of events must be one or more of',
                 marks=pytest.mark.compat),
    ({'url': 'https://new.example.com/'}, 'events is required to create the webhook'),
    ({'url': URL, 'api_version': 'v2', 'api_user': 'reseller@example.com'}, 'needs api_version v3'),
])
def test_bad_input_is_refused_before_any_write(emu, tmp_path, args, message):
    emu.reset_stats()
    rc, result = _module(emu, args, tmp_path)
    assert rc == 1 and message in result['msg'], result
    assert emu.stats()['writes'] == 0
