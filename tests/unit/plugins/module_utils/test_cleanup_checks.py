"""cleanup_checks.py: the rules of a cleanup's settings, one message per broken rule, named for the module or,
with a prefix, for the role; and the role's list of its own variables."""

import os

import pytest
import yaml

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_checks import set_selectors, settings_problems

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
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


def test_the_role_knows_exactly_its_options_and_facts():
    with open(os.path.join(ROOT, 'roles/suppression_cleanup/meta/argument_specs.yml'), encoding='utf-8') as handle:
        options = list(yaml.safe_load(handle)['argument_specs']['main']['options'])
    with open(os.path.join(ROOT, 'roles/suppression_cleanup/vars/main.yml'), encoding='utf-8') as handle:
        known = yaml.safe_load(handle)['__suppression_cleanup_variables']
    assert known == options + ['suppression_cleanup_report', 'suppression_cleanup_run_summary']
