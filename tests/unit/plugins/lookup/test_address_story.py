"""The lookup's list-free form: each address's whole story, as sendgrid_suppression_info tells it, for templates."""

import os

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from emulator.process import FIXTURES, Emulator

pytestmark = pytest.mark.compat

V3 = {'api_key': 'SG.demo-key', 'api_version': 'v3'}


@pytest.fixture(scope='module')
def demo():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        yield emu


def _story(emu, **options):
    return lookup_loader.get('mailops.sendgrid.suppressions').run([], variables={}, api_url=emu.url,
                                                                  **dict(V3, **options))


def test_the_story_of_each_address_in_the_order_given(demo):
    entries = _story(demo, emails=['READER@example.com', 'complainer@example.com', 'nobody@example.com'])
    assert [(e['email'], e['suppressed'], e['lists'], e['groups']) for e in entries] == [
        ('READER@example.com', True, [], [{'id': 101, 'name': 'Newsletters'}]),
        ('complainer@example.com', True, ['spam_reports'], []),
        ('nobody@example.com', False, [], [])]


def test_a_query_narrows_the_entries_and_a_user_names_whose_lists(demo):
    assert _story(demo, emails=['reader@example.com', 'nobody@example.com'], user='tenant-42',
                  query='[?suppressed].groups[].id') == [301]


def test_what_selects_records_has_no_place_in_the_story(demo):
    demo.reset_stats()
    with pytest.raises(AnsibleLookupError, match='days, domains cannot be set'):
        _story(demo, emails=['a@x.test'], days=3, domains=['x.test'])
    with pytest.raises(AnsibleLookupError, match='needs api_version v3'):
        _story(demo, emails=['a@x.test'], api_version='v2')
    assert demo.stats()['total'] == 0


def test_no_list_and_no_emails_is_still_nothing(demo):
    assert _story(demo) == []
