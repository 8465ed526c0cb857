"""plan_file.py: the plan's digest, the checks that refuse an edited, foreign or old plan, and the comparison of a
task's own lists and selectors with the plan's."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan_file import (
    PlanFileError, address_count, as_written, check, differences, digest)

OPTIONS = Options.read({'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9'}.get)


def _plan(**changes):
    document = {'format': 2, 'entries': [{'list': 'blocks'}], 'api_url': 'http://127.0.0.1:9', 'api_version': 'v3', 'created': 'now',
                'selectors': {'status': '5.'}, 'select_all': False,
                'lists': [{'list': 'blocks', 'user': None, 'group': None, 'addresses': ['a@x.test']}]}
    document.update(changes)
    document['digest'] = digest(document)
    return document


def test_a_plan_checks_out():
    assert check(_plan(), OPTIONS) == [('blocks', None, None, None, ['a@x.test'])]
    assert address_count(_plan()) == 1


@pytest.mark.parametrize('plan,message', [
    (dict(_plan(), api_version='v2'), 'the digest does not match'),
    (_plan(api_url='https://api.sendgrid.com'), 'made for api_url https://api.sendgrid.com'),
    (_plan(api_version='v2'), 'made for api_version v2, not v3'),
    (_plan(format=3), 'not a plan this module wrote'),
    (_plan(format=1), 'make it again with a dry run'),
    (_plan(entries=None), 'not a plan this module wrote'),
    (_plan(lists=[{'list': 'blocks', 'addresses': [' ']}]), 'lists[0] has no list of addresses'),
    ([], 'not a plan this module wrote'),
])
def test_a_plan_is_refused(plan, message):
    with pytest.raises(PlanFileError) as info:
        check(plan, OPTIONS)
    assert message in str(info.value)


def test_the_digest_covers_everything_but_itself():
    plan = _plan()
    assert digest(plan) == plan['digest'] and digest(dict(plan, digest='x')) == plan['digest']
    assert digest(dict(plan, created='later')) != plan['digest']


def test_a_plan_entry_with_an_unknown_region_is_refused():
    with pytest.raises(PlanFileError, match=r"lists\[0\]\.region must be global or eu, got 'mars'"):
        check(_plan(lists=[{'list': 'blocks', 'user': 'u', 'group': None, 'region': 'mars',
                            'addresses': ['a@x.test']}]), OPTIONS)
    assert check(_plan(lists=[{'list': 'blocks', 'user': 'u', 'group': None, 'region': 'eu',
                               'addresses': ['a@x.test']}]), OPTIONS)[0][3] == 'eu'


def test_the_entries_as_written_leave_out_what_is_unset():
    assert as_written([{'list': 'blocks', 'user': None, 'group': None,
                        'subusers': {'username': 'tenant-', 'include_disabled': False}}]) == \
        [{'list': 'blocks', 'subusers': {'include_disabled': False, 'username': 'tenant-'}}]


def test_a_task_may_repeat_the_plans_lists_and_selectors_but_not_change_them():
    plan = _plan()
    assert differences(plan, [], {}, False) == []
    assert differences(plan, [{'list': 'blocks', 'user': None}], {'status': '5.'}, False) == []
    found = differences(plan, [{'list': 'spam_reports'}], {'status': '4.', 'days': 3}, True)
    assert found == [
        'lists: the plan was made from [{"list": "blocks"}], the task has [{"list": "spam_reports"}]',
        'days: the plan was made with null, the task has 3',
        'status: the plan was made with "5.", the task has "4."',
        'select_all: the plan was made with false, the task has true']
