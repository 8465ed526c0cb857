"""The lookup on the lists only Web API v3 has: global and group unsubscribes (groups by id or name, read whole,
times from the account's group suppressions under a date filter), blocks and spam reports, refused on v2."""

import os

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from emulator.process import FIXTURES, Emulator

pytestmark = pytest.mark.compat

DEMO = os.path.join(FIXTURES, 'demo.yml')
V3 = {'api_key': 'SG.demo-key', 'api_version': 'v3'}
SUBUSER = 'subuser@example.com'


@pytest.fixture(scope='module')
def demo():
    with Emulator('--data', DEMO) as emu:
        yield emu


def _query(emu, *terms, **options):
    return lookup_loader.get('mailops.sendgrid.suppressions').run(list(terms), variables={}, api_url=emu.url,
                                                                  **dict(V3, **options))


def test_global_unsubscribes_are_records_with_a_time(demo):
    assert _query(demo, 'unsubscribes') == [
        {'email': 'left@example.com', 'created': '2024-12-24 18:00:00', 'list': 'unsubscribes', 'user': None}]
    assert _query(demo, 'unsubscribes', user=SUBUSER) == [
        {'email': 'sub-left@example.com', 'created': '2025-03-03 10:00:00', 'list': 'unsubscribes', 'user': SUBUSER}]


@pytest.mark.parametrize('group', [101, '101', 'Newsletters', 'newsletters', ' Newsletters '])
def test_a_group_by_id_or_by_name(demo, group):
    demo.reset_stats()
    records = _query(demo, 'group_unsubscribes', group=group)
    assert records == [
        {'email': 'reader@example.com', 'group_id': 101, 'group_name': 'Newsletters', 'list': 'group_unsubscribes',
         'user': None},
        {'email': 'former@example.com', 'group_id': 101, 'group_name': 'Newsletters', 'list': 'group_unsubscribes',
         'user': None}]
    endpoints = demo.stats()['by_endpoint']
    assert endpoints['v3/asm/groups/{group_id}/suppressions']['total'] == 1, 'read whole, in one request'


def test_a_date_filter_reads_the_times_of_the_group_s_suppressions(demo):
    demo.reset_stats()
    records = _query(demo, {'list': 'group_unsubscribes', 'group': 'Newsletters'}, start_date='2025-03-01')
    assert records == [{'email': 'former@example.com', 'created': '2025-04-01 12:00:00', 'group_id': 101,
                        'group_name': 'Newsletters', 'list': 'group_unsubscribes', 'user': None}]
    assert 'v3/asm/suppressions' in demo.stats()['by_endpoint']
    assert _query(demo, 'group_unsubscribes', group=101, end_date='2025-01-31', query='[].email') == [
        'reader@example.com']


def test_on_behalf_of_a_subuser_the_group_is_the_subuser_s(demo):
    records = _query(demo, 'group_unsubscribes', 'unsubscribes', group='Newsletters', user=SUBUSER)
    assert [(r['list'], r['email'], r.get('group_id'), r['user']) for r in records] == [
        ('group_unsubscribes', 'sub-reader@example.com', 201, SUBUSER),
        ('unsubscribes', 'sub-left@example.com', None, SUBUSER)]


def test_filters_selectors_and_count_apply_to_unsubscribes(demo):
    assert _query(demo, 'group_unsubscribes', group=101, emails=['FORMER@example.com']) == [
        {'email': 'former@example.com', 'group_id': 101, 'group_name': 'Newsletters', 'list': 'group_unsubscribes',
         'user': None}]
    assert _query(demo, 'group_unsubscribes', 'unsubscribes', group=101, count_only=True) == [2, 1]
    assert _query(demo, 'group_unsubscribes', group=101, limit=1, offset=1, query='[].email') == [
        'former@example.com']
    assert _query(demo, 'group_unsubscribes', group=102) == []
    flagged = _query(demo, 'group_unsubscribes', group=101, domains=['example.com'], flag_shared_addresses=True)
    assert [r['unselected_records'] for r in flagged] == [0, 0]


@pytest.mark.parametrize('terms,options,message', [
    (['group_unsubscribes'], {'group': 'Nope'}, "no unsubscribe group is named 'Nope'; nothing was changed. The "
                                                "groups are: Newsletters (101), Product news (102)"),
    (['group_unsubscribes'], {'group': 999}, 'the unsubscribe group 999 does not exist'),
    (['group_unsubscribes'], {'group': 201}, 'the unsubscribe group 201 does not exist'),
    (['group_unsubscribes'], {}, 'the list group_unsubscribes needs group'),
    (['group_unsubscribes'], {'group': '  '}, 'the list group_unsubscribes needs group'),
    ([{'list': 'blocks', 'group': 101}], {}, 'group applies only to the list group_unsubscribes, not to blocks'),
    ([{'list': 'unsubscribes', 'colour': 'red'}], {}, 'unknown key of a dictionary term colour: valid: group, list, '
                                                      'user'),
    ([{'user': 'tenant-42'}], {}, 'a dictionary term needs the key "list" and may have "user" and "group", got user'),
])
def test_bad_groups_are_refused_with_no_write(demo, terms, options, message):
    demo.reset_stats()
    with pytest.raises(AnsibleLookupError, match=None) as caught:
        _query(demo, *terms, **options)
    assert message in str(caught.value)
    assert demo.stats()['writes'] == 0


def test_a_lookup_wide_group_leaves_the_other_lists_alone(demo):
    records = _query(demo, 'unsubscribes', 'group_unsubscribes', group='Product news')
    assert [r['list'] for r in records] == ['unsubscribes']


@pytest.mark.parametrize('name', ['unsubscribes', 'group_unsubscribes'])
def test_unsubscribes_are_refused_on_v2_before_any_request(demo, name):
    demo.reset_stats()
    with pytest.raises(AnsibleLookupError, match='the list %s needs api_version v3' % name):
        lookup_loader.get('mailops.sendgrid.suppressions').run(
            [name], variables={}, api_user='reseller@example.com', api_key='s3cret', api_url=demo.url,
            api_version='v2', group=101)
    assert demo.stats()['total'] == 0
