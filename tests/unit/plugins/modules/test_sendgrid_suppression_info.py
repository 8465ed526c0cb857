"""sendgrid_suppression_info against the emulator: an address on several lists and groups, one on none, case
differences, the order asked, a subuser's own lists only, and the requests made for 1 and for 1,000 addresses."""

import os

from module_helpers import run_module
from process import FIXTURES

DEMO = os.path.join(FIXTURES, 'demo.yml')
V3 = {'api_key': 'SG.demo-key', 'api_version': 'v3'}
ACCOUNT = 'reseller@example.com'
MULTI = {
    'bounces': [{'email': 'multi@example.com', 'status': '5.1.1', 'reason': '550 user unknown',
                 'created': '2025-06-01 10:00:00'}],
    'blocks': [{'email': 'Multi@Example.com', 'status': '4.0.0', 'reason': 'servfail',
                'created': '2025-06-02 10:00:00'}],
    'unsubscribes': [{'email': 'multi@example.com', 'created': '2025-06-03 10:00:00'}],
}


def _info(emu, args, tmp_path, **kwargs):
    return run_module('sendgrid_suppression_info', dict(V3, api_url=emu.url, **args), tmp_path, **kwargs)


def test_an_address_on_several_lists_and_groups_and_one_on_none(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO, extra={ACCOUNT: MULTI})
    rc, result = _info(emu, {'emails': ['MULTI@example.com', 'nobody@example.com', 'reader@example.com',
                                        'multi@example.com']}, tmp_path)
    assert rc == 0 and result['changed'] is False
    multi, nobody, reader, again = result['addresses']
    assert multi['email'] == 'MULTI@example.com' and again['email'] == 'multi@example.com', 'as asked, in order'
    assert multi['suppressed'] and multi['lists'] == ['bounces', 'blocks', 'unsubscribes']
    assert multi['records']['blocks'] == {'email': 'Multi@Example.com', 'status': '4.0.0', 'reason': 'servfail',
                                          'created': '2025-06-02 10:00:00'}
    assert multi['records']['unsubscribes']['created'] == '2025-06-03 10:00:00' and multi['groups'] == []
    assert nobody == {'email': 'nobody@example.com', 'user': None, 'suppressed': False, 'lists': [], 'records': {},
                      'groups': []}
    assert reader['suppressed'] and reader['lists'] == [] and reader['groups'] == [{'id': 101, 'name': 'Newsletters'}]
    assert again['lists'] == multi['lists'] and again['records'] == multi['records']
    assert emu.stats()['writes'] == 0


def test_one_address_asks_each_list_and_the_groups_once(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO, extra={ACCOUNT: MULTI})
    rc, result = _info(emu, {'emails': ['Complainer@Example.com']}, tmp_path, check_mode=True)
    assert rc == 0 and result['addresses'][0]['lists'] == ['spam_reports']
    assert result['read'] == dict.fromkeys(
        ('bounces', 'blocks', 'spam_reports', 'invalid_emails', 'unsubscribes', 'groups'), 'per_address')
    stats = emu.stats()
    assert stats['total'] == 6, stats['by_endpoint']
    assert stats['by_endpoint']['v3/asm/suppressions/{email}']['total'] == 1


def test_a_thousand_addresses_read_each_list_whole_when_that_is_fewer_requests(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO, extra={ACCOUNT: MULTI})
    emails = ['user%04d@example.com' % number for number in range(998)] + ['multi@example.com', 'left@example.com']
    rc, result = _info(emu, {'emails': emails}, tmp_path)
    assert rc == 0 and len(result['addresses']) == 1000
    assert set(result['read'].values()) == {'whole_list'}
    assert result['addresses'][998]['lists'] == ['bounces', 'blocks', 'unsubscribes']
    assert result['addresses'][999]['lists'] == ['unsubscribes']
    assert emu.stats()['total'] == 6, 'five lists of one page each and the group suppressions in one request'


def test_a_list_longer_than_asking_is_asked_per_address(emulator_factory, tmp_path):
    blocks = [{'email': 'b%04d@example.net' % n, 'status': '4.0.0', 'reason': 'x', 'created': '2025-01-01 00:00:00'}
              for n in range(1600)]
    emu = emulator_factory(data=DEMO, extra={ACCOUNT: {'blocks': blocks}})
    rc, result = _info(emu, {'emails': ['b1599@example.net', 'nobody@example.com']}, tmp_path)
    assert rc == 0 and result['read']['blocks'] == 'per_address' and result['read']['bounces'] == 'whole_list'
    assert result['addresses'][0]['lists'] == ['blocks'] and result['addresses'][0]['records']['blocks']['email'] \
        == 'b1599@example.net'
    assert emu.stats()['by_endpoint']['v3/suppression/blocks/{email}']['total'] == 2


def test_a_subuser_s_own_lists_and_groups_only(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _info(emu, {'user': 'tenant-42', 'emails': ['reader@example.com', 'bounced@example.com',
                                                             'complainer@example.com']}, tmp_path)
    assert rc == 0
    reader, bounced, complainer = result['addresses']
    assert reader['groups'] == [{'id': 301, 'name': 'Newsletters'}] and reader['user'] == 'tenant-42'
    assert not bounced['suppressed'], "the account's own bounce is not the subuser's"
    assert complainer['records']['spam_reports']['ip'] == '10.63.202.101'


def test_bad_input_and_v2_are_refused_before_any_request(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    for args, message in (({'emails': []}, 'emails must be a non-empty list'),
                          ({'emails': ['a@x.test', ' ']}, 'emails[1] must be a non-empty string'),
                          ({'emails': ['a@x.test'], 'api_version': 'v2'}, 'needs api_version v3'),
                          ({'emails': ['a@x.test'], 'user': ''}, 'user must not be empty or blank')):
        rc, result = _info(emu, args, tmp_path)
        assert rc == 1 and message in result['msg'], (args, result)
    assert emu.stats()['total'] == 0
