"""The contract's scenarios: every module of the action group with the options that write the most, and the role,
each on a user of its own so that no scenario changes what another one reads. test_coverage.py holds this table
complete: a module added to meta/runtime.yml, or a destructive option added to a module, fails the suite until it
has a scenario here."""

import functools

from contract import ACCOUNT, Scenario, cleanup_effect, entries_effect, list_effect, records

HOOK = 'https://hooks.contract.example/events'


def _group(group_id, name, addresses):
    return {'id': group_id, 'name': name, 'description': 'Contract group %s' % name,
            'suppressions': [{'email': email, 'created': '2025-01-02 03:04:05'} for email in addresses]}


def _emails(list_name, prefix, count):
    return [record['email'] for record in records(list_name, prefix, count)]


# ---- Web API v3: every module ------------------------------------------------------------------------------------

V3_CUSTOMERS = {
    ACCOUNT: {'invalid_emails': records('invalid_emails', 'acct-invalid', 3)},
    'c-block-all': {'blocks': records('blocks', 'block-all', 3)},
    'c-block-some': {'blocks': records('blocks', 'block-some', 3)},
    'c-block-listed': {'blocks': records('blocks', 'block-listed', 2)},
    'c-spam-kept': {'spam_reports': records('spam_reports', 'spam-kept', 2)},
    'c-spam-all': {'spam_reports': records('spam_reports', 'spam-all', 3)},
    'c-spam-listed': {'spam_reports': records('spam_reports', 'spam-listed', 2)},
    'c-invalid-all': {'invalid_emails': records('invalid_emails', 'invalid-all', 3)},
    'c-invalid-listed': {'invalid_emails': records('invalid_emails', 'invalid-listed', 2)},
    'c-bounce-all': {'bounces': records('bounces', 'bounce-all', 3)},
    'c-bounce-some': {'bounces': records('bounces', 'bounce-some', 3)},
    'c-bounce-listed': {'bounces': records('bounces', 'bounce-listed', 2)},
    'c-unsub-add': {'unsubscribes': records('unsubscribes', 'unsub-add', 1)},
    'c-unsub-some': {'unsubscribes': records('unsubscribes', 'unsub-some', 3)},
    'c-unsub-all': {'unsubscribes': records('unsubscribes', 'unsub-all', 3)},
    'c-group-add': {'groups': [_group(601, 'Contract news', _emails('unsubscribes', 'group-add', 1))]},
    'c-group-all': {'groups': [_group(602, 'Contract digest', _emails('unsubscribes', 'group-all', 3))]},
    'c-ug-create': {},
    'c-ug-update': {'groups': [_group(611, 'Weekly', [])]},
    'c-ug-force': {'groups': [_group(612, 'Full', _emails('unsubscribes', 'ug-force', 2))]},
    'c-ug-kept': {'groups': [_group(613, 'Full', _emails('unsubscribes', 'ug-kept', 2))]},
    'c-hook-new': {},
    'c-hook-gone': {},
    'c-purge': {},
    'fleet-1': {'blocks': records('blocks', 'fleet-one', 2)},
    'fleet-2': {'blocks': records('blocks', 'fleet-two', 2)},
    'c-info': {'blocks': records('blocks', 'info', 1), 'bounces': records('bounces', 'info', 1)},
    'c-clean-all': {'blocks': records('blocks', 'clean-all', 3),
                    'spam_reports': records('spam_reports', 'clean-all', 2),
                    'unsubscribes': records('unsubscribes', 'clean-all', 2),
                    'groups': [_group(621, 'Clean all', _emails('unsubscribes', 'clean-all-group', 2))]},
    'c-clean-guard': {'invalid_emails': records('invalid_emails', 'clean-guard', 3)},
    'c-clean-consent': {'spam_reports': records('spam_reports', 'clean-consent', 2)},
    'c-clean-plan': {'bounces': records('bounces', 'clean-plan', 3)},
    'c-export': {'blocks': records('blocks', 'export', 2), 'unsubscribes': records('unsubscribes', 'export', 2)},
    'c-import': {'unsubscribes': records('unsubscribes', 'import', 1)},
}

# Made by the setup run, before the contract's runs: the webhook a scenario deletes, the plan a scenario applies.
V3_SETUP = [
    {'name': 'a webhook to delete', 'mailops.sendgrid.sendgrid_event_webhook': {
        'user': 'c-hook-gone', 'url': HOOK + '/gone', 'events': ['bounce']}},
    {'name': 'the plan to apply', 'check_mode': True, 'mailops.sendgrid.sendgrid_suppression_cleanup': {
        'lists': [{'list': 'subuser_bounces', 'user': 'c-clean-plan'}], 'select_all': True,
        'plan_file': '{{ playbook_dir }}/plan.json', 'report_dir': '{{ playbook_dir }}/reports-plan'}},
    {'name': 'the opt-outs to import', 'ansible.builtin.copy': {
        'dest': '{{ playbook_dir }}/opt-outs.csv', 'mode': '0600',
        'content': 'Email Address,Name\n%s,Listed\nimported-new@contract.example,New\n' % (
            _emails('unsubscribes', 'import', 1)[0])}},
    {'name': 'an export to restore', 'ansible.builtin.copy': {
        'dest': '{{ playbook_dir }}/exported.csv', 'mode': '0600',
        'content': 'list,user,group_id,group_name,group_description,email,created,reason,status\n'
                   'group_unsubscribes,c-source,,Imported,Moved here,grp-new@contract.example,2025-01-02 03:04:05,,\n'
                   'spam_reports,c-source,,,,spam-new@contract.example,2025-01-02 03:04:05,,\n'}},
]

LIST_MODULE = functools.partial(Scenario, effect=list_effect)


def _cleanup(name, report, writes=True, refused=None, foretold=None, **options):
    """A cleanup task. Where the real run is refused, its check mode (the dry run) instead says what a real run
    needs (`foretold`), so that the count can be confirmed."""
    options['report_dir'] = '{{ playbook_dir }}/reports-%s' % report
    return Scenario(name, 'mailops.sendgrid.sendgrid_suppression_cleanup', options, writes=writes,
                    refused=refused, foretold=foretold, effect=cleanup_effect)


def _imported(result):
    """An import: its rows, and the addresses it adds (in check mode: would add)."""
    return [result.get('rows'), max(result.get('to_add') or 0, result.get('added') or 0)]


def _module(short):
    return 'mailops.sendgrid.%s' % short


# Two test modules, so that the two workers of `make contracts` share the v3 runs: the list modules, the others.
V3_LIST_SCENARIOS = [
    LIST_MODULE('block delete_all', _module('sendgrid_block'), {'user': 'c-block-all', 'delete_all': True}),
    LIST_MODULE('block absent', _module('sendgrid_block'), {
        'user': 'c-block-some', 'state': 'absent',
        'emails': _emails('blocks', 'block-some', 2) + ['never-listed@contract.example']}),
    LIST_MODULE('block present', _module('sendgrid_block'), {
        'user': 'c-block-listed', 'state': 'present', 'emails': _emails('blocks', 'block-listed', 2)}, writes=False),
    LIST_MODULE('spam_report delete_all without remove_opt_outs', _module('sendgrid_spam_report'),
                {'user': 'c-spam-kept', 'delete_all': True}, writes=False, refused='remove_opt_outs'),
    LIST_MODULE('spam_report delete_all remove_opt_outs', _module('sendgrid_spam_report'),
                {'user': 'c-spam-all', 'delete_all': True, 'remove_opt_outs': True}),
    LIST_MODULE('spam_report present', _module('sendgrid_spam_report'), {
        'user': 'c-spam-listed', 'state': 'present', 'email': _emails('spam_reports', 'spam-listed', 1)[0]},
        writes=False),
    LIST_MODULE('invalid_email delete_all', _module('sendgrid_invalid_email'),
                {'user': 'c-invalid-all', 'delete_all': True}),
    LIST_MODULE('invalid_email absent', _module('sendgrid_invalid_email'), {
        'state': 'absent', 'emails': _emails('invalid_emails', 'acct-invalid', 2)}),
    LIST_MODULE('invalid_email present', _module('sendgrid_invalid_email'), {
        'user': 'c-invalid-listed', 'state': 'present', 'emails': _emails('invalid_emails', 'invalid-listed', 2)},
        writes=False),
    LIST_MODULE('subuser_bounce delete_all', _module('sendgrid_subuser_bounce'),
                {'user': 'c-bounce-all', 'delete_all': True}),
    LIST_MODULE('subuser_bounce absent', _module('sendgrid_subuser_bounce'), {
        'user': 'c-bounce-some', 'bounce_list': 'customer', 'state': 'absent',
        'emails': _emails('bounces', 'bounce-some', 2)}),
    LIST_MODULE('subuser_bounce present', _module('sendgrid_subuser_bounce'), {
        'user': 'c-bounce-listed', 'state': 'present', 'emails': _emails('bounces', 'bounce-listed', 2)},
        writes=False),
    LIST_MODULE('unsubscribe present', _module('sendgrid_unsubscribe'), {
        'user': 'c-unsub-add', 'state': 'present',
        'emails': _emails('unsubscribes', 'unsub-add', 1) + ['new-one@contract.example', 'new-two@contract.example']}),
    LIST_MODULE('unsubscribe absent', _module('sendgrid_unsubscribe'), {
        'user': 'c-unsub-some', 'state': 'absent', 'emails': _emails('unsubscribes', 'unsub-some', 2)}),
    LIST_MODULE('unsubscribe delete_all remove_opt_outs', _module('sendgrid_unsubscribe'),
                {'user': 'c-unsub-all', 'delete_all': True, 'remove_opt_outs': True}),
    LIST_MODULE('unsubscribe group present', _module('sendgrid_unsubscribe'), {
        'user': 'c-group-add', 'group': 'Contract news', 'state': 'present',
        'emails': ['group-new@contract.example'] + _emails('unsubscribes', 'group-add', 1)}),
    LIST_MODULE('unsubscribe group delete_all remove_opt_outs', _module('sendgrid_unsubscribe'),
                {'user': 'c-group-all', 'group': 602, 'delete_all': True, 'remove_opt_outs': True}),
]

V3_SERVICE_SCENARIOS = [
    Scenario('unsubscribe_group present creates', _module('sendgrid_unsubscribe_group'), {
        'user': 'c-ug-create', 'name': 'Created', 'description': 'made by the contract', 'is_default': True}),
    Scenario('unsubscribe_group present updates', _module('sendgrid_unsubscribe_group'), {
        'user': 'c-ug-update', 'name': 'Weekly', 'description': 'changed by the contract'}),
    Scenario('unsubscribe_group absent force', _module('sendgrid_unsubscribe_group'), {
        'user': 'c-ug-force', 'name': 'Full', 'state': 'absent', 'force': True},
        effect=lambda result: result.get('held_addresses')),
    Scenario('unsubscribe_group absent without force', _module('sendgrid_unsubscribe_group'), {
        'user': 'c-ug-kept', 'name': 'Full', 'state': 'absent'}, writes=False, refused='set force: true'),
    Scenario('event_webhook present signed', _module('sendgrid_event_webhook'), {
        'user': 'c-hook-new', 'url': HOOK + '/new', 'events': ['bounce', 'dropped'], 'signed': True},
        effect=lambda result: [result.get('webhook', {}).get(key) for key in ('url', 'enabled', 'signed')]),
    Scenario('event_webhook absent', _module('sendgrid_event_webhook'), {
        'user': 'c-hook-gone', 'url': HOOK + '/gone', 'state': 'absent'}),
    Scenario('event_webhook subusers', _module('sendgrid_event_webhook'), {
        'subusers': {'username': 'fleet-'}, 'url': HOOK + '/{user}', 'events': ['bounce']},
        effect=entries_effect('webhooks')),
    Scenario('bounce_purge enabled', _module('sendgrid_bounce_purge'), {
        'user': 'c-purge', 'enabled': True, 'hard_bounces': 30}, effect=lambda result: result.get('setting')),
    Scenario('bounce_purge subusers', _module('sendgrid_bounce_purge'), {
        'subusers': {'username': 'fleet-'}, 'enabled': True, 'soft_bounces': 7},
        effect=entries_effect('settings')),
    Scenario('suppression_info users', _module('sendgrid_suppression_info'), {
        'users': ['c-info'], 'emails': _emails('blocks', 'info', 1) + _emails('bounces', 'info', 1)},
        writes=False, effect=lambda result: result.get('addresses')),
    Scenario('suppression_info subusers', _module('sendgrid_suppression_info'), {
        'subusers': {'username': 'fleet-'}, 'emails': _emails('blocks', 'fleet-one', 1)},
        writes=False, effect=lambda result: result.get('addresses')),
    _cleanup('cleanup select_all remove_opt_outs', 'all', select_all=True, remove_opt_outs=True, lists=[
        {'list': 'blocks', 'user': 'c-clean-all'}, {'list': 'spam_reports', 'user': 'c-clean-all'},
        {'list': 'unsubscribes', 'user': 'c-clean-all'},
        {'list': 'group_unsubscribes', 'user': 'c-clean-all', 'group': 621}]),
    _cleanup('cleanup subusers', 'fleet', select_all=True,
             lists=[{'list': 'blocks', 'subusers': {'username': 'fleet-'}}]),
    _cleanup('cleanup over max_delete', 'guard', writes=False, refused='confirm_count: 3',
             foretold='confirm_count: 3', select_all=True, max_delete=2,
             lists=[{'list': 'customer_invalid_emails', 'user': 'c-clean-guard'}]),
    _cleanup('cleanup opt-outs without remove_opt_outs', 'consent', writes=False, refused='remove_opt_outs',
             foretold='remove_opt_outs: true', select_all=True,
             lists=[{'list': 'spam_reports', 'user': 'c-clean-consent'}]),
    _cleanup('cleanup apply_plan', 'apply', apply_plan='{{ playbook_dir }}/plan.json'),
    Scenario('api_key_info', _module('sendgrid_api_key_info'), {
        'purge': ['blocks', 'bounces'], 'webhook': True, 'groups': True, 'subusers': True}, writes=False,
        effect=lambda result: [result.get('allowed'), result.get('missing')]),
    Scenario('suppression_export', _module('sendgrid_suppression_export'), {
        'lists': [{'list': 'blocks', 'user': 'c-export'}, {'list': 'unsubscribes', 'user': 'c-export'}],
        'dest': '{{ playbook_dir }}/export.csv'}, writes=False,
        effect=lambda result: [result.get('records'), result.get('lists')]),
    Scenario('suppression_import create_groups', _module('sendgrid_suppression_import'), {
        'src': '{{ playbook_dir }}/exported.csv', 'user': 'c-import', 'create_groups': True,
        'spam_reports_as': 'unsubscribes', 'skip_invalid': True, 'report_dir': '{{ playbook_dir }}/reports-import'},
        effect=_imported),
    Scenario('suppression_import global', _module('sendgrid_suppression_import'), {
        'src': '{{ playbook_dir }}/opt-outs.csv', 'user': 'c-import',
        'report_dir': '{{ playbook_dir }}/reports-import-global'},
        effect=_imported),
]
V3_SCENARIOS = V3_LIST_SCENARIOS + V3_SERVICE_SCENARIOS


# ---- Web API v2: what differs (every call a POST, reads included; the lists v2 had; v3-only refused) ----------------

V2_CUSTOMERS = {
    ACCOUNT: {'invalid_emails': records('invalid_emails', 'v2-acct', 3)},
    'v2-customer-a': {'invalid_emails': records('invalid_emails', 'v2-cust-a', 3)},
    'v2-customer-b': {'bounces': records('bounces', 'v2-cust-b', 3)},
    'v2-customer-c': {'invalid_emails': records('invalid_emails', 'v2-cust-c', 2),
                      'bounces': records('bounces', 'v2-cust-c', 2),
                      'subusers': {'v2-sub-c': {'bounces': records('bounces', 'v2-sub-c', 2)}}},
    'v2-customer-d': {'subusers': {'v2-sub-a': {'bounces': records('bounces', 'v2-sub-a', 3)}}},
}

V2_SCENARIOS = [
    LIST_MODULE('v2 invalid_email delete_all', _module('sendgrid_invalid_email'), {'delete_all': True}),
    LIST_MODULE('v2 invalid_email absent', _module('sendgrid_invalid_email'), {
        'user': 'v2-customer-a', 'state': 'absent', 'emails': _emails('invalid_emails', 'v2-cust-a', 2)}),
    LIST_MODULE('v2 subuser_bounce delete_all', _module('sendgrid_subuser_bounce'),
                {'user': 'v2-sub-a', 'delete_all': True}),
    LIST_MODULE('v2 customer bounce delete_all', _module('sendgrid_subuser_bounce'),
                {'user': 'v2-customer-b', 'bounce_list': 'customer', 'delete_all': True}),
    LIST_MODULE('v2 block refused', _module('sendgrid_block'), {'delete_all': True}, writes=False,
                refused='api_version v3'),
    Scenario('v2 unsubscribe_group refused', _module('sendgrid_unsubscribe_group'), {
        'name': 'Any', 'state': 'absent', 'force': True}, writes=False, refused='v3'),
    _cleanup('v2 cleanup select_all', 'v2', select_all=True, lists=[
        {'list': 'customer_invalid_emails', 'user': 'v2-customer-c'},
        {'list': 'customer_bounces', 'user': 'v2-customer-c'},
        {'list': 'subuser_bounces', 'user': 'v2-sub-c'}]),
]


# ---- the role ----------------------------------------------------------------------------------------------------

ROLE_CUSTOMERS = {
    'r-real': {'blocks': records('blocks', 'r-real', 3), 'spam_reports': records('spam_reports', 'r-real', 2)},
    'r-plan': {'bounces': records('bounces', 'r-plan', 3)},
    'r-recover': {'blocks': records('blocks', 'r-recover', 1)},
}
ROLE_PLAN_LISTS = [{'list': 'subuser_bounces', 'user': 'r-plan'}]


def role_scenario(name, writes=True, **variables):
    variables = {'suppression_cleanup_%s' % key: value for key, value in variables.items()}
    return Scenario(name, 'role', variables, writes=writes, effect=cleanup_effect)


ROLE_SCENARIOS = [
    role_scenario('role dry_run false', dry_run=False, select_all=True, remove_opt_outs=True,
                  report_dir='{{ playbook_dir }}/reports-role-real',
                  lists=[{'list': 'blocks', 'user': 'r-real'}, {'list': 'spam_reports', 'user': 'r-real'}]),
    role_scenario('role apply_plan', dry_run=False, apply_plan='{{ playbook_dir }}/role-plan.json',
                  report_dir='{{ playbook_dir }}/reports-role-plan'),
    role_scenario('role recover_only', writes=False, recover_only=True,
                  report_dir='{{ playbook_dir }}/reports-role-recover'),
]
ROLE_SCENARIOS[-1].effect = lambda result: len(result.get('interrupted_runs') or [])
