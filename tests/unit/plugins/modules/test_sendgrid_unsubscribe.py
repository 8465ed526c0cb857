"""sendgrid_unsubscribe against the emulator: a true desired state both ways on the global list and on a group's
(by id or by name), check and diff modes, adds in batches of only what is missing, a second run with no write,
on-behalf-of, an unknown group refused before any write, faults, and v2 refused before any request."""

import math
import os

import pytest
from ansible.plugins.loader import lookup_loader
from module_helpers import run_module
from emulator.process import FIXTURES, Emulator

DEMO = os.path.join(FIXTURES, 'demo.yml')
V3 = {'api_key': 'SG.demo-key', 'api_version': 'v3'}
SUBUSER = 'subuser@example.com'


def _module(emu, args, tmp_path, **kwargs):
    return run_module('sendgrid_unsubscribe', dict(V3, api_url=emu.url, **args), tmp_path, **kwargs)


def _listed(emu, name='unsubscribes', **options):
    return [r['email'] for r in lookup_loader.get('mailops.sendgrid.suppressions').run(
        [name], variables={}, api_url=emu.url, **dict(V3, **options))]


@pytest.mark.compat
def test_present_adds_only_what_is_missing_and_a_second_run_writes_nothing(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    args = {'emails': ['LEFT@example.com', 'new1@example.com', 'new2@example.com', 'NEW1@example.com'],
            'state': 'present'}
    rc, check = _module(emu, args, tmp_path, check_mode=True, diff=True)
    assert rc == 0 and check['changed'] and emu.stats()['writes'] == 0
    assert check['added'] == ['new1@example.com', 'new2@example.com'] and check['deleted'] == []
    assert check['diff'] == {
        'before': {'list': 'unsubscribes', 'user': None, 'emails': ['left@example.com']},
        'after': {'list': 'unsubscribes', 'user': None,
                  'emails': ['left@example.com', 'new1@example.com', 'new2@example.com']}}
    rc, result = _module(emu, args, tmp_path)
    assert rc == 0 and result['changed'] and result['added'] == check['added']
    assert result['counts'] == {'matched': 1, 'added': 2, 'deleted': 0, 'missing': 2, 'failed': 0}
    posted = emu.stats()['by_endpoint']['v3/asm/suppressions/global']
    assert emu.stats()['writes'] == 1 and posted['by_method'] == {'POST': 1}
    assert sorted(_listed(emu)) == ['left@example.com', 'new1@example.com', 'new2@example.com']
    emu.reset_stats()
    rc, again = _module(emu, args, tmp_path)
    assert rc == 0 and again['changed'] is False and again['added'] == [] and emu.stats()['writes'] == 0


@pytest.mark.compat
def test_absent_removes_one_address_a_request_and_a_second_run_writes_nothing(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    _module(emu, {'emails': ['a@example.com', 'b@example.com'], 'state': 'present'}, tmp_path)
    emu.reset_stats()
    args = {'emails': ['A@example.com', 'left@example.com', 'never@example.com'], 'state': 'absent'}
    rc, check = _module(emu, args, tmp_path, check_mode=True)
    assert rc == 0 and sorted(check['deleted']) == ['a@example.com', 'left@example.com'] and emu.stats()['writes'] == 0
    rc, result = _module(emu, args, tmp_path, diff=True)
    assert rc == 0 and result['changed'] and result['deleted'] == check['deleted']
    assert result['missing'] == ['never@example.com'] and 'added' in result and result['added'] == []
    assert result['diff']['after']['emails'] == [], 'the diff shows the addresses the task concerns'
    assert emu.stats()['writes'] == 2, 'the API has no bulk delete for unsubscribes: one request an address'
    assert _listed(emu) == ['b@example.com']
    emu.reset_stats()
    rc, again = _module(emu, args, tmp_path)
    assert rc == 0 and again['changed'] is False and emu.stats()['writes'] == 0


@pytest.mark.parametrize('group', ['Newsletters', 'NEWSLETTERS', 101, '101'])
def test_a_group_by_name_or_id_both_ways(emulator_factory, tmp_path, group):
    emu = emulator_factory(data=DEMO)
    rc, added = _module(emu, {'group': group, 'emails': ['reader@example.com', 'fan@example.com'],
                              'state': 'present'}, tmp_path, diff=True)
    assert rc == 0 and added['changed'] and added['added'] == ['fan@example.com']
    assert added['list'] == 'group_unsubscribes' and added['group'] == {'id': 101, 'name': 'Newsletters'}
    assert added['diff'] == {
        'before': {'list': 'group_unsubscribes', 'user': None, 'group': {'id': 101, 'name': 'Newsletters'},
                   'emails': ['reader@example.com']},
        'after': {'list': 'group_unsubscribes', 'user': None, 'group': {'id': 101, 'name': 'Newsletters'},
                  'emails': ['fan@example.com', 'reader@example.com']}}
    assert sorted(_listed(emu, 'group_unsubscribes', group=101)) == [
        'fan@example.com', 'former@example.com', 'reader@example.com']
    assert _listed(emu) == ['left@example.com'], 'nothing reached the global list'
    rc, removed = _module(emu, {'group': group, 'email': 'FORMER@example.com', 'state': 'absent'}, tmp_path)
    assert rc == 0 and removed['deleted'] == ['former@example.com']
    emu.reset_stats()
    for state, email in (('present', 'fan@example.com'), ('absent', 'former@example.com')):
        rc, again = _module(emu, {'group': group, 'email': email, 'state': state}, tmp_path)
        assert rc == 0 and again['changed'] is False
    assert emu.stats()['writes'] == 0


@pytest.mark.parametrize('group,message', [
    ('Nope', "no unsubscribe group is named 'Nope'; nothing was changed. The groups are: Newsletters (101), "
             "Product news (102)"),
    (999, 'the unsubscribe group 999 does not exist; nothing was changed (adding to it would put the addresses on '
          'the global list instead)'),
    ('', 'group must be a group id (an integer of 0 or more) or a group name'),
    (True, 'group must be a group id (an integer of 0 or more) or a group name'),
    (['Newsletters'], 'group must be a group id (an integer of 0 or more) or a group name'),
])
def test_an_unknown_group_is_refused_before_any_write(emulator_factory, tmp_path, group, message):
    emu = emulator_factory(data=DEMO)
    for state in ('present', 'absent'):
        rc, result = _module(emu, {'group': group, 'email': 'fan@example.com', 'state': state}, tmp_path)
        assert rc == 1 and message in result['msg'], result
    assert emu.stats()['writes'] == 0
    assert _listed(emu) == ['left@example.com']


def test_a_name_two_groups_share_is_refused(emulator_factory, tmp_path):
    import yaml
    data = yaml.safe_load(open(DEMO, encoding='utf-8'))
    data['accounts'][0]['groups'].append({'id': 103, 'name': 'newsletters', 'suppressions': []})
    emu = emulator_factory(data=data)
    rc, result = _module(emu, {'group': 'NewsLetters', 'email': 'x@example.com', 'state': 'present'}, tmp_path)
    assert rc == 1 and "2 unsubscribe groups are named 'NewsLetters' (ids 101, 103): name the group by its id" in \
        result['msg']
    rc, exact = _module(emu, {'group': 'newsletters', 'email': 'x@example.com', 'state': 'present'}, tmp_path)
    assert rc == 0 and exact['group'] == {'id': 103, 'name': 'newsletters'}, 'an exact name wins'
    assert emu.stats()['writes'] == 1


def test_on_behalf_of_a_subuser_its_own_group_and_list(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _module(emu, {'user': SUBUSER, 'group': 'Newsletters', 'email': 'fan@example.com',
                               'state': 'present'}, tmp_path)
    assert rc == 0 and result['group'] == {'id': 201, 'name': 'Newsletters'} and result['user'] == SUBUSER
    rc, removed = _module(emu, {'user': SUBUSER, 'email': 'sub-left@example.com'}, tmp_path)
    assert rc == 0 and removed['deleted'] == ['sub-left@example.com']
    assert sorted(_listed(emu, 'group_unsubscribes', group=201, user=SUBUSER)) == [
        'fan@example.com', 'sub-reader@example.com']
    assert _listed(emu, 'unsubscribes', user=SUBUSER) == []
    assert _listed(emu, 'group_unsubscribes', group=101) == ['reader@example.com', 'former@example.com']
    assert _listed(emu) == ['left@example.com'], "the account's own lists are untouched"
    emu.reset_stats()
    rc, foreign = _module(emu, {'user': 'someone-elses-subuser@example.com', 'email': 'x@example.com',
                                'state': 'present'}, tmp_path)
    assert rc == 1 and 'is not a customer or subuser of your account' in foreign['msg']
    assert emu.stats()['writes'] == 0


def test_adds_go_in_batches_and_delete_all_empties_the_list(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    wanted = ['bulk%d@example.com' % i for i in range(1100)]
    rc, result = _module(emu, {'emails': wanted, 'state': 'present', 'batch_size': 500}, tmp_path)
    assert rc == 0 and len(result['added']) == 1100
    assert emu.stats()['writes'] == math.ceil(1100 / 500)
    emu.reset_stats()
    rc, again = _module(emu, {'emails': wanted, 'state': 'present'}, tmp_path)
    assert rc == 0 and again['changed'] is False and emu.stats()['writes'] == 0
    assert emu.stats()['reads'] <= math.ceil(1101 / 500)
    rc, gone = _module(emu, {'group': 101, 'delete_all': True, 'remove_opt_outs': True}, tmp_path)
    assert rc == 0 and sorted(gone['deleted']) == ['former@example.com', 'reader@example.com']
    assert _listed(emu, 'group_unsubscribes', group=101) == []


def test_faults_add_and_remove_exactly_what_was_asked(tmp_path):
    wanted = ['fault%d@example.com' % i for i in range(300)]
    with Emulator('--data', DEMO, '--fault-rate', '0.2', '--seed', '3') as emu:
        for state in ('present', 'absent'):
            args = {'emails': wanted[::2] if state == 'absent' else wanted, 'state': state, 'batch_size': 20,
                    'max_retries': 10}
            rc, result = _module(emu, args, tmp_path)
            if rc != 0:
                rc, result = _module(emu, args, tmp_path)
            assert rc == 0, result
            emu.reset_stats()
            rc, again = _module(emu, args, tmp_path)
            assert rc == 0 and again['changed'] is False and emu.stats()['writes'] == 0
        left = _listed(emu, max_retries=10)
    assert sorted(left) == sorted(set(wanted[1::2]) | {'left@example.com'})


def test_v2_is_refused_before_any_request(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    for group in (None, 101):
        args = {'api_user': 'reseller@example.com', 'api_key': 's3cret', 'api_version': 'v2', 'api_url': emu.url,
                'email': 'x@example.com', 'state': 'present'}
        if group:
            args['group'] = group
        rc, result = run_module('sendgrid_unsubscribe', args, tmp_path)
        assert rc == 1 and 'needs api_version v3: Web API v2 has no' in result['msg']
    assert emu.stats()['total'] == 0


def test_a_group_task_with_a_key_without_asm_groups_read_names_the_scope(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _module(emu, {'email': 'reader@example.com', 'group': 'Newsletters', 'state': 'absent',
                               'api_key': 'SG.demo-blocks-purge'}, tmp_path)
    assert rc == 1 and result['status'] == 403 and result['api_message'] == 'access forbidden', result
    assert 'the API key likely needs one of `asm.groups.read`: reading unsubscribe groups' in result['msg']
    assert 'SG.demo-blocks-purge' not in repr(result)
    assert emu.stats()['writes'] == 0
