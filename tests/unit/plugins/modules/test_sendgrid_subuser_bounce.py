"""mailops.sendgrid.sendgrid_subuser_bounce against a real emulator."""

import os

import pytest
from module_helpers import run_module
from emulator.process import FIXTURES

RESELLER = {'api_user': 'reseller@example.com', 'api_key': 's3cret'}


@pytest.fixture
def emu(emulator_factory):
    return emulator_factory(data=os.path.join(FIXTURES, 'demo.yml'))


def bounce(emu, tmp_path, check_mode=False, diff=False, **args):
    args = dict(RESELLER, api_url=emu.url, **args)
    return run_module('sendgrid_subuser_bounce', args, tmp_path, check_mode=check_mode, diff=diff)


@pytest.mark.compat
def test_delete_one_bounce(emu, tmp_path):
    rc, result = bounce(emu, tmp_path, user='subuser@example.com', email='Gone@Example.net')
    assert rc == 0 and result['changed'] and result['deleted'] == ['gone@example.net']
    assert result['records'][0]['status'] == '5.1.1'
    assert list(result['records'][0]) == ['email', 'status', 'reason', 'created']
    emu.reset_stats()
    rc, again = bounce(emu, tmp_path, user='subuser@example.com', email='Gone@Example.net')
    assert rc == 0 and not again['changed'] and emu.stats()['writes'] == 0


def test_delete_all_is_one_request(emu, tmp_path):
    emu.reset_stats()
    rc, predicted = bounce(emu, tmp_path, user='subuser@example.com', delete_all=True, check_mode=True, diff=True)
    assert rc == 0 and predicted['changed'] and emu.stats()['writes'] == 0
    rc, result = bounce(emu, tmp_path, user='subuser@example.com', delete_all=True, diff=True)
    assert rc == 0 and sorted(result['deleted']) == ['blocked@example.org', 'full-mailbox@example.net',
                                                     'gone@example.net']
    assert predicted['diff'] == result['diff']
    stats = emu.stats()
    assert stats['writes'] == 1
    assert stats['by_endpoint']['apiv2/reseller.subuserManage']['by_task'] == {'get': 2, 'delete': 1}
    rc, again = bounce(emu, tmp_path, user='subuser@example.com', delete_all=True)
    assert rc == 0 and not again['changed'] and emu.stats()['writes'] == 1


def test_customer_bounces_through_the_distributor_endpoint(emu, tmp_path):
    emu.reset_stats()
    rc, result = bounce(emu, tmp_path, user='customer@example.com', bounce_list='customer',
                        emails=['email1@domain.com', 'email2@domain2.com'])
    assert rc == 0 and result['list'] == 'customer_bounces'
    assert sorted(result['deleted']) == ['email1@domain.com', 'email2@domain2.com']
    assert emu.stats()['by_endpoint']['api/distributor.manage']['by_task'] == {'get': 1, 'delete': 2}


def test_present_on_bounces(emu, tmp_path):
    rc, result = bounce(emu, tmp_path, user='subuser@example.com', emails=['blocked@example.org', 'x@y.z'],
                        state='present')
    assert rc == 1 and result['msg'] == ('1 address(es) not listed in subuser_bounces of user subuser@example.com: '
                                         'x@y.z')


def test_subuser_of_another_reseller(emu, tmp_path):
    rc, result = bounce(emu, tmp_path, user='someone-elses-subuser@example.com', email='not-yours@example.com')
    assert rc == 1
    assert 'Customer subuser someone-elses-subuser@example.com is not registered under your account' in result['msg']
    assert 's3cret' not in repr(result)


@pytest.mark.compat
def test_user_is_required(emu, tmp_path):
    rc, result = bounce(emu, tmp_path, email='a@b.c')
    assert rc == 1 and 'missing required arguments: user' in result['msg']


def test_bad_bounce_list(emu, tmp_path):
    rc, result = bounce(emu, tmp_path, user='subuser@example.com', email='a', bounce_list='account')
    assert rc == 1 and 'value of bounce_list must be one of: subuser, customer, got: account' in result['msg']
