"""cleanup_checks.py: the rules of a cleanup's settings, one message per broken rule, named for the module or,
with a prefix, for the role; and each list entry checked by its own spec."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_arguments import argument_spec
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_checks import (
    entry_shape_problems, set_selectors, settings_problems)

GOOD = {'lists': [{'list': 'blocks'}], 'days': 90}


def test_good_settings_have_no_problem():
    assert settings_problems(GOOD, 'v3') == []
    assert settings_problems({'lists': [{'list': 'invalid_emails'}], 'select_all': True}, 'v2') == []
    assert settings_problems({'apply_plan': '/tmp/plan.json'}, 'v3') == []
    # The plan's own lists and selectors, repeated by the playbook that made it: compared with the plan's in the run.
    assert settings_problems(dict(GOOD, apply_plan='/tmp/plan.json'), 'v3') == []
    assert settings_problems({'recover_only': True}, 'v3') == []
    assert settings_problems(dict(GOOD, recover_only=True), 'v3') == [], 'the play that purges also recovers'


@pytest.mark.parametrize('changes,version,message', [
    ({'api_key': ' '}, 'v3', 'api_key must not be empty or blank: leave it unset to use SENDGRID_API_KEY'),
    ({'api_url': ''}, 'v3', 'api_url must not be empty or blank'),
    ({'lists': []}, 'v3', 'lists must name at least one list (or apply_plan a plan file)'),
    ({'lists': [{'list': 'subuser_bounces'}]}, 'v2', 'lists[0]: the list subuser_bounces needs a user'),
    ({'lists': [{'list': 'blocks', 'user': '  '}]}, 'v3', 'lists[0]: user must not be empty or blank'),
    ({'lists': [{'list': 'blocks'}, {'list': 'spam_reports'}]}, 'v2',
     'lists[0]: the list blocks needs api_version v3'),
    ({'lists': [{'list': 'group_unsubscribes'}]}, 'v3', 'lists[0]: the list group_unsubscribes needs group'),
    ({'lists': [{'list': 'blocks', 'group': 101}]}, 'v3',
     'lists[0]: group applies only to the list group_unsubscribes, not to blocks'),
    ({'lists': [{'list': 'bounces'}]}, 'v3', "lists[0]: unknown list 'bounces'"),
    ({'lists': [{'list': 'invalid_emails', 'subusers': {}}]}, 'v2', 'lists[0]: subusers needs api_version v3'),
    ({'days': None}, 'v3', 'no selector is set (days, start_date, end_date, reason, status, domains, emails, query)'),
    ({'days': ''}, 'v3', 'set select_all to true'),
    ({'recover_only': True, 'plan_file': '/tmp/plan.json'}, 'v3',
     'recover_only reports the interrupted runs of the report folder and writes no plan: set no plan_file beside it'),
    ({'max_delete': 0}, 'v3', 'max_delete must be at least 1, got 0'),
    ({'max_delete': 'many'}, 'v3', 'max_delete must be at least 1'),
    ({'confirm_count': -1}, 'v3', 'confirm_count must be 0 or more, got -1'),
    ({}, 'v4', "api_version must be v3 or v2, got 'v4'"),
    ({'region': 'us'}, 'v3', "region must be global or eu, got 'us'"),
])
def test_each_broken_rule_is_named(changes, version, message):
    problems = settings_problems(dict(GOOD, **changes), version)
    assert any(message in problem for problem in problems), problems


def test_a_subuser_entry_needs_no_user_and_every_problem_is_told_at_once():
    assert settings_problems({'lists': [{'list': 'subuser_bounces', 'subusers': {'username': 't-'}}],
                              'days': 1}, 'v3') == []
    problems = settings_problems({'lists': [{'list': 'blocks', 'user': ''}, {'list': 'group_unsubscribes'}],
                                  'max_delete': 0, 'api_key': ''}, 'v3')
    assert len(problems) == 5, problems


def test_set_selectors_leaves_out_the_unset():
    assert set_selectors({'days': 3, 'reason': '', 'domains': [], 'emails': None, 'query': '[]'}) == {
        'days': 3, 'query': '[]'}


def test_each_list_entry_is_checked_by_its_own_spec_naming_the_closest_key():
    spec = argument_spec()['lists']

    def name(option):
        return 'suppression_cleanup_' + option
    assert entry_shape_problems([{'list': 'blocks', 'usr': 'x'}, 'blocks',
                                 {'list': 'blocks', 'subusers': {'usernme': 't-'}}, {'list': 'block'}], spec, name) == [
        'suppression_cleanup_lists[0]: unknown key usr: did you mean user?',
        'suppression_cleanup_lists[1] must be a dictionary with the key list, got a str',
        'suppression_cleanup_lists[2].subusers: unknown key usernme: did you mean username?',
        'suppression_cleanup_lists[3]: value of list must be one of: blocks, customer_bounces, customer_invalid_emails, '
        'group_unsubscribes, invalid_emails, spam_reports, subuser_bounces, unsubscribes, got: block']
    assert entry_shape_problems([{'list': 'blocks', 'user': 'a', 'subusers': {}}], spec, name) == [
        'suppression_cleanup_lists[0]: parameters are mutually exclusive: user|subusers']
    assert entry_shape_problems([{'list': 'blocks', 'user': 'a'}], spec, name) == []
    assert entry_shape_problems(None, spec, name) == [] and entry_shape_problems('blocks', spec, name) == []
