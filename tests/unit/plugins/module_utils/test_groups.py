"""groups.py: how a name finds a group, the field limits, the answer shapes and what a change returns; the module's
runs against the emulator are in modules/test_sendgrid_unsubscribe_group.py."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.groups import (
    address_problem, check_group_fields, group_suppression_problem, groups_problem, manage_group, match_group, shown)

GROUPS = [{'id': 1, 'name': 'News'}, {'id': 2, 'name': 'news'}, {'id': 3, 'name': 'Receipts'}]


def test_an_exact_name_wins_then_case_is_ignored():
    assert match_group(GROUPS, 'news') == [GROUPS[1]]
    assert match_group(GROUPS, 'RECEIPTS') == [GROUPS[2]]
    assert match_group(GROUPS, 'NEWS') == GROUPS[:2]
    assert match_group(GROUPS, 'Other') == []


def test_a_group_is_shown_with_its_four_fields():
    assert shown({'id': 7, 'name': 'N', 'unsubscribes': 3}) == {
        'id': 7, 'name': 'N', 'description': '', 'is_default': False}


@pytest.mark.parametrize('fields,message', [({'name': ' '}, 'name must be 1 to 30 characters'),
                                            ({'name': 'x' * 31}, 'name must be 1 to 30 characters'),
                                            ({'description': 'x' * 101}, 'description must be at most 100')])
def test_the_limits_before_any_request(fields, message):
    with pytest.raises(SendGridError, match=message):
        check_group_fields(**fields)


def test_an_answer_of_another_shape_is_named():
    assert groups_problem([{'id': 1, 'name': 'N'}]) is None
    assert groups_problem({'id': 1}) is not None


class Groups:
    """A user's groups in memory, as UnsubscribeGroups answers."""

    user = None

    def __init__(self, groups, members):
        self.groups, self.held, self.calls = groups, members, []

    def all(self):
        return self.groups

    def named(self, name, listing):
        found = match_group(listing, name)
        return found[0] if found else None

    def members(self, group_id):
        return self.held.get(group_id, 0)

    def delete(self, group_id):
        self.calls.append(('delete', group_id))

    def update(self, group_id, changes):
        self.calls.append(('update', group_id, changes))


@pytest.mark.parametrize('row', [
    {'email': 'a@x.test', 'group_id': 1},
    {'email': 'a@x.test', 'group_id': True, 'created_at': 1700000000},
    {'email': 'a@x.test', 'group_id': 1, 'created_at': 1700000000.5},
    {'email': 'a@x.test', 'group_id': 1, 'created_at': -1},
    {'email': 7, 'group_id': 1, 'created_at': 1700000000},
    ['a@x.test', 1, 1700000000], 'a@x.test', None,
])
def test_a_group_suppression_of_another_shape_is_named(row):
    assert group_suppression_problem({'email': 'a@x.test', 'group_id': 1, 'created_at': 1700000000}) is None
    assert 'group suppressions' in group_suppression_problem(row)


def test_a_group_member_is_an_address():
    assert address_problem('a@x.test') is None
    assert address_problem({'email': 'a@x.test'}) == 'a list of addresses was expected'


def test_a_change_is_returned_with_its_diff_and_check_mode_writes_nothing():
    groups = Groups([{'id': 1, 'name': 'News', 'description': 'old', 'is_default': False}], {})
    result = manage_group(groups, 'News', description='new', check_mode=True)
    assert result['changed'] and result['group']['description'] == 'new' and groups.calls == []
    assert result['diff']['before']['description'] == 'old'
    manage_group(groups, 'News', description='new')
    assert groups.calls == [('update', 1, {'description': 'new'})]


def test_a_group_holding_addresses_is_kept_without_force():
    groups = Groups([{'id': 1, 'name': 'News', 'description': 'd'}], {1: 2})
    with pytest.raises(SendGridError, match='holds 2 address'):
        manage_group(groups, 'News', 'absent')
    assert manage_group(groups, 'News', 'absent', force=True)['held_addresses'] == 2
    assert groups.calls == [('delete', 1)]
