"""lists_v3_unsubscribes.py: the lists that add as well as delete, one address a delete; a group is found by id
or name before any write."""

import os

import pytest
from emulator.process import FIXTURES

from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_list
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import ADDED, DELETED


@pytest.fixture
def demo(emulator_factory):
    return emulator_factory(data=os.path.join(FIXTURES, 'demo.yml'))


def _list(emu, name, user=None, group=None):
    return open_list(ClientV3(api_key='SG.demo-key', api_url=emu.url), name, user, group, batch_size=2)


def test_add_in_batches_and_delete_one_a_request(demo):
    unsubscribes = _list(demo, 'unsubscribes')
    assert (unsubscribes.can_add, unsubscribes.supports_delete_all, unsubscribes.delete_batch_size) == (True, False, 1)
    assert unsubscribes.add_many(['n1@x.test', 'n2@x.test']) == [ADDED, ADDED]
    assert {r['email'] for r in unsubscribes.list()} == {'left@example.com', 'n1@x.test', 'n2@x.test'}
    assert unsubscribes.delete_many(['n1@x.test', 'n2@x.test']) == [DELETED, DELETED]
    with pytest.raises(SendGridError, match='an add of 3 addresses is more than batch_size=2'):
        unsubscribes.add_many(['a', 'b', 'c'])


@pytest.mark.parametrize('group', [101, '101', 'Newsletters', 'NEWSLETTERS'])
def test_a_group_by_id_or_name(demo, group):
    newsletters = _list(demo, 'group_unsubscribes', group=group)
    assert sorted(r['email'] for r in newsletters.list()) == ['former@example.com', 'reader@example.com']
    assert (newsletters.group_id, newsletters.group_name) == (101, 'Newsletters')


def test_a_subusers_group_of_the_same_name_is_its_own(demo):
    assert [r['email'] for r in _list(demo, 'group_unsubscribes', 'tenant-42', 'Newsletters').list()] == [
        'reader@example.com']


def test_an_unknown_group_is_refused_before_any_write(demo):
    demo.reset_stats()
    with pytest.raises(SendGridError, match="no unsubscribe group is named 'Nope'"):
        _list(demo, 'group_unsubscribes', group='Nope').add_many(['a@x.test'])
    assert demo.stats()['writes'] == 0
