"""One table of what a user could type wrong: each is a clear error naming the option and the rule, raised with
no traceback and before any write request."""

import os
import subprocess
import sys

import pytest
import yaml
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from canned_server import CannedServer
from module_helpers import run_module
from emulator.process import FIXTURES, Emulator

KEY = 'SG.demo-key'
RESELLER = {'api_user': 'reseller@example.com', 'api_key': 's3cret'}

# (kind, target, arguments, expected text or texts). `URL` is the emulator; `HTML`, `TRUNCATED`, `NOT_JSON`, `NOWHERE` are
# servers that answer badly or not at all.
CASES = [
    # the modules
    ('module', 'sendgrid_invalid_email', {'email': ''}, "email must be a non-empty string, got ''"),
    ('module', 'sendgrid_invalid_email', {'emails': ['a@example.com', '']}, "emails[1] must be a non-empty string"),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'emails': ['b']},
     'parameters are mutually exclusive: email|emails'),
    ('module', 'sendgrid_invalid_email', {'delete_all': True, 'emails': ['b']},
     'delete_all cannot be combined with email or emails'),
    ('module', 'sendgrid_invalid_email', {'delete_all': True, 'state': 'present'}, 'delete_all requires state=absent'),
    ('module', 'sendgrid_invalid_email', {}, 'one of the following is required: email, emails, delete_all'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'state': 'deleted'},
     'value of state must be one of: absent, present, got: deleted'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'timeout': 0}, 'timeout must be greater than 0 and at most 3600 seconds'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'concurrency': 0}, 'concurrency must be an integer from 1 to 64'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'max_retries': -2}, 'max_retries must be an integer from 0 to 20'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'timeout': 'soon'}, "argument 'timeout' is of type"),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_key': 'SG.wrong'},
     'Permission denied, wrong credentials (HTTP 401'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'user': 'someone-elses-customer@example.com'},
     'Customer someone-elses-customer@example.com is not registered under your account (HTTP 403'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_url': 'api.sendgrid.com'},
     "api_url must be an http:// or https:// URL such as https://api.sendgrid.com, got 'api.sendgrid.com'"),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_url': 'NOWHERE'}, 'connection refused by http://'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_url': 'http://no-such-host.invalid', 'max_retries': 0},
     'cannot resolve the host name of api_url http://no-such-host.invalid'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_url': 'HTML'},
     'the answer is not JSON (text/html): <html><h1>502 Bad Gateway</h1></html>'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_url': 'TRUNCATED'},
     'the answer was truncated or is malformed JSON'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_url': 'NOT_JSON'}, 'the answer is not JSON (text/plain)'),
    ('module', 'sendgrid_subuser_bounce', {'email': 'a'}, 'missing required arguments: user'),
    ('module', 'sendgrid_subuser_bounce', {'email': 'a', 'user': 'someone-elses-subuser@example.com'},
     'Customer subuser someone-elses-subuser@example.com is not registered under your account'),
    ('module', 'sendgrid_subuser_bounce', {'email': 'a', 'user': 'subuser@example.com', 'bounce_list': 'all'},
     'value of bounce_list must be one of: subuser, customer, got: all'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'user': ''}, 'user must not be empty or blank'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'user': '   '}, 'user must not be empty or blank'),
    ('module', 'sendgrid_subuser_bounce', {'email': 'a', 'user': ' '}, 'user must not be empty or blank'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_url': ''}, 'api_url must not be empty or blank'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_url': '  '}, 'api_url must not be empty or blank'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_key': ' '}, 'api_key must not be empty or blank'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_url': 'http://u:pw@127.0.0.1:1'},
     'api_url must not contain credentials'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'concurrency': 65}, 'concurrency must be an integer from 1 to 64'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'timeout': 3601},
     'timeout must be greater than 0 and at most 3600 seconds'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'max_retries': 21}, 'max_retries must be an integer from 0 to 20'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'batch_size': 0}, 'batch_size must be an integer from 1 to 1000'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'batch_size': 5000}, 'batch_size must be an integer from 1'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'api_version': 'v4'},
     'value of api_version must be one of: v3, v2, got: v4'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'user': 'customer@example.com', 'api_version': 'v3'},
     'v3 takes an API key in api_key'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'timeout': 'nan'},
     'timeout must be greater than 0 and at most 3600 seconds, got nan'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'timeout': 'nan', 'api_version': 'v3'},
     'timeout must be greater than 0 and at most 3600 seconds, got nan'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'timeout': '-inf', 'api_version': 'v3'},
     'timeout must be greater than 0 and at most 3600 seconds'),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'ca_path': '/nonexistent/ca.pem'},
     "ca_path must be an existing file (or directory) of PEM certificate authorities, got '/nonexistent/ca.pem'"),
    ('module', 'sendgrid_invalid_email', {'email': 'a', 'ca_path': '/nonexistent/ca.pem', 'api_version': 'v3'},
     'ca_path must be an existing file'),
    ('module', 'sendgrid_invalid_email', {'emails': [], 'domains': ['x']}, 'Unsupported parameters'),
    # the lookup
    ('lookup', 'invalid_emails', {'domain': ['example.org']}, 'unknown keyword domain: did you mean domains?'),
    ('lookup', 'blocks', {'domain': ['example.org'], 'api_user': None, 'api_key': KEY, 'api_version': 'v3'}, 'unknown keyword domain: did you mean domains?'),
    ('lookup', 'blocks', {'day': 30, 'api_user': None, 'api_key': KEY, 'api_version': 'v3'}, 'unknown keyword day: did you mean days?'),
    ('lookup', 'invalid_emails', {'emial': 'a@x.test'}, 'unknown keyword emial: did you mean email?'),
    ('lookup', {'list': 'blocks', 'grup': 'Newsletters'}, {'api_user': None, 'api_key': KEY, 'api_version': 'v3'}, 'unknown key of a dictionary term grup'),
    ('lookup', 'invalid_emails', {'timeout': float('nan')}, 'timeout must be greater than 0 and at most 3600 seconds'),
    ('lookup', 'blocks', {'timeout': float('nan'), 'api_user': None, 'api_key': KEY, 'api_version': 'v3'}, 'timeout must be greater than 0 and at most 3600'),
    ('lookup', 'invalid_emails', {'ca_path': '/nonexistent/ca.pem'}, 'ca_path must be an existing file'),
    ('lookup', 'blocks', {'ca_path': '/nonexistent/ca.pem', 'api_user': None, 'api_key': KEY, 'api_version': 'v3'}, 'ca_path must be an existing file'),
    ('lookup', 'invalid_emails', {'max_records': 0}, 'max_records must be an integer from 1 to 10000000, got 0'),
    ('lookup', 'customer_invalid_emails', {'user': ''}, 'user must not be empty or blank'),
    ('lookup', 'invalid_emails', {'user': '  '}, 'user must not be empty or blank'),
    ('lookup', {'list': 'subuser_bounces', 'user': ''}, {}, 'user must not be empty or blank'),
    ('lookup', 'invalid_emails', {'timeout': 0}, 'timeout must be greater than 0 and at most 3600 seconds, got 0'),
    ('lookup', 'invalid_emails', {'timeout': 4000}, 'timeout must be greater than 0 and at most 3600 seconds'),
    ('lookup', 'invalid_emails', {'concurrency': 0}, 'concurrency must be an integer from 1 to 64, got 0'),
    ('lookup', 'invalid_emails', {'concurrency': 100}, 'concurrency must be an integer from 1 to 64, got 100'),
    ('lookup', 'invalid_emails', {'max_retries': -1}, 'max_retries must be an integer from 0 to 20, got -1'),
    ('lookup', 'invalid_emails', {'max_retries': 99}, 'max_retries must be an integer from 0 to 20, got 99'),
    ('lookup', 'invalid_emails', {'days': 40000}, 'days must be an integer from 1 to 36500, got 40000'),
    ('lookup', 'invalid_emails', {'api_url': ''}, 'api_url must not be empty or blank'),
    ('lookup', 'invalid_emails', {'api_key': '  '}, 'api_key must not be empty or blank'),
    ('lookup', 'invalid_emails', {'api_url': 'https://me:pw@api.sendgrid.com'}, 'api_url must not contain credentials'),
    ('lookup', 'invalid_emails', {'query': ''}, 'query must be a non-empty JMESPath expression'),
    ('lookup', 'invalid_emails', {'api_version': 'v4'}, 'v4'),
    ('lookup', 'invalid_emails', {'batch_size': 0}, 'unknown keyword batch_size'),       # it deletes nothing
    ('lookup', 'invalid_emails', {'api_version': 'v3'}, 'v3 takes an API key in api_key'),
    ('lookup', 'invalid_emails', {'flag_shared_addresses': True, 'query': '[].email'},
     'with flag_shared_addresses, query must return records'),
    ('lookup', 'invalid_emails', {'start_date': '01/02/2024'}, 'start_date must be a date in YYYY-MM-DD format'),
    ('lookup', 'invalid_emails', {'end_date': '2024-04-31'}, 'end_date must be a real date in YYYY-MM-DD format'),
    ('lookup', 'invalid_emails', {'days': 0}, 'days must be an integer from 1 to 36500, got 0'),
    ('lookup', 'invalid_emails', {'days': -7}, 'days must be an integer from 1 to 36500, got -7'),
    ('lookup', 'invalid_emails', {'days': 'seven'}, ('days', 'int', "'seven'")),
    ('lookup', 'invalid_emails', {'start_date': '2024-05-01', 'end_date': '2024-04-01'},
     'start_date (2024-05-01) must be earlier than end_date (2024-04-01)'),
    ('lookup', 'invalid_emails', {'days': 7, 'end_date': '2024-04-01'},
     'days cannot be combined with start_date or end_date'),
    ('lookup', 'invalid_emails', {'limit': -1}, 'limit must be an integer of 0 or more, got -1'),
    ('lookup', 'invalid_emails', {'offset': -10}, 'offset must be an integer of 0 or more, got -10'),
    ('lookup', 'invalid_emails', {'email': ''}, 'email must be a non-empty string'),
    ('lookup', 'bounces', {}, "unknown list 'bounces': choose one of blocks, customer_bounces, "
                              "customer_invalid_emails, group_unsubscribes, invalid_emails, spam_reports, "
                              "subuser_bounces, unsubscribes"),
    ('lookup', 'blocks', {}, 'the list blocks needs api_version v3'),
    ('lookup', 'subuser_bounces', {}, 'user is required for the list subuser_bounces'),
    ('lookup', 'invalid_emails', {'query': '[?reason==]'}, "query '[?reason==]' is not a valid JMESPath expression"),
    ('lookup', 'invalid_emails', {'reason': '*bad'}, "reason must be a valid regular expression, got '*bad'"),
    ('lookup', 'invalid_emails', {'domains': ['']}, 'domains[0] must be a non-empty string'),
    ('lookup', 'invalid_emails', {'api_url': 'ftp://api.sendgrid.com'}, 'api_url must be an http:// or https:// URL'),
    ('lookup', 'invalid_emails', {'api_key': 'SG.wrong'}, 'Permission denied, wrong credentials (HTTP 401'),
    # the role
    ('role', None, {'suppression_cleanup_max_delete': 0, 'suppression_cleanup_select_all': True},
     'suppression_cleanup_max_delete must be at least 1, got 0'),
    ('role', None, {'suppression_cleanup_max_delete': 'lots', 'suppression_cleanup_select_all': True},
     "argument 'suppression_cleanup_max_delete' is of type"),
    ('role', None, {'suppression_cleanup_dry_run': 'perhaps', 'suppression_cleanup_select_all': True},
     "argument 'suppression_cleanup_dry_run' is of type"),
    ('role', None, {'suppression_cleanup_lists': [{'list': 'spam_report'}], 'suppression_cleanup_select_all': True},
     'suppression_cleanup_lists[0]: value of list must be one of: blocks, customer_bounces, customer_invalid_emails, '
     'group_unsubscribes, invalid_emails, spam_reports, subuser_bounces, unsubscribes, got: spam_report'),
    ('role', None, {'suppression_cleanup_lists': [{'list': 'spam_reports'}], 'suppression_cleanup_select_all': True},
     'suppression_cleanup_lists[0]: the list spam_reports needs api_version v3'),
    ('role', None, {'suppression_cleanup_lists': [{'list': 'subuser_bounces'}], 'suppression_cleanup_days': 3},
     'suppression_cleanup_lists[0]: the list subuser_bounces needs a user'),
    ('role', None, {}, 'no selector is set'),
    # Every broken rule at once, in one message.
    ('role', None, {'suppression_cleanup_lists': [{'list': 'blocks', 'user': ''}, {'list': 'group_unsubscribes'}],
                    'suppression_cleanup_max_delete': 0, 'suppression_cleanup_domian': ['x.test']},
     ('unknown variable suppression_cleanup_domian', 'suppression_cleanup_lists[0]: user must not be empty',
      'suppression_cleanup_lists[1]: the list group_unsubscribes needs', 'no selector is set',
      'suppression_cleanup_max_delete must be at least 1, got 0')),
    ('role', None, {'suppression_cleanup_lists': [{'list': 'invalid_emails', 'subusers': {'username': 't-'}}],
                    'suppression_cleanup_api_version': 'v2', 'suppression_cleanup_select_all': True},
     'suppression_cleanup_lists[0]: subusers needs api_version v3'),
    ('role', None, {'suppression_cleanup_api_url': '', 'suppression_cleanup_select_all': True},
     'suppression_cleanup_api_url must not be empty or blank'),
    ('role', None, {'suppression_cleanup_api_key': ' ', 'suppression_cleanup_select_all': True},
     'suppression_cleanup_api_key must not be empty or blank'),
    ('role', None, {'suppression_cleanup_lists': [{'list': 'invalid_emails', 'user': ' '}],
                    'suppression_cleanup_select_all': True}, 'suppression_cleanup_lists[0]: user must not be empty'),
    ('role', None, {'suppression_cleanup_lists': [{'list': 'customer_bounces', 'user': ''}],
                    'suppression_cleanup_select_all': True}, 'suppression_cleanup_lists[0]'),
    ('role', None, {'suppression_cleanup_concurrency': 0, 'suppression_cleanup_select_all': True},
     'concurrency must be an integer from 1 to 64, got 0'),
    ('role', None, {'suppression_cleanup_timeout': 0, 'suppression_cleanup_select_all': True},
     'timeout must be greater than 0 and at most 3600 seconds'),
    ('role', None, {'suppression_cleanup_max_retries': -1, 'suppression_cleanup_select_all': True},
     'max_retries must be an integer from 0 to 20, got -1'),
    ('role', None, {'suppression_cleanup_days': 40000}, 'days must be an integer from 1 to 36500, got 40000'),
    ('role', None, {'suppression_cleanup_api_version': 'v4', 'suppression_cleanup_select_all': True}, 'v4'),
    ('role', None, {'suppression_cleanup_batch_size': 0, 'suppression_cleanup_select_all': True},
     'batch_size must be an integer from 1 to 1000, got 0'),
    ('role', None, {'suppression_cleanup_reason': '*bad'}, "reason must be a valid regular expression"),
    ('role', None, {'suppression_cleanup_query': '[?reason==]'}, 'is not a valid JMESPath expression'),
    ('role', None, {'suppression_cleanup_start_date': '2024-13-01'}, 'start_date must be a real date'),
    ('role', None, {'suppression_cleanup_days': 0}, 'days must be an integer from 1 to 36500, got 0'),
    ('role', None, {'suppression_cleanup_domain': ['example.net'], 'suppression_cleanup_status': '5.',
                    'suppression_cleanup_dry_run': False},
     'unknown variable suppression_cleanup_domain: did you mean suppression_cleanup_domains?'),
    ('role', None, {'suppression_cleanup_domain': ['example.net'], 'suppression_cleanup_status': '5.',
                    'suppression_cleanup_lists': [{'list': 'blocks'}], 'suppression_cleanup_api_version': 'v3'},
     'unknown variable suppression_cleanup_domain: did you mean suppression_cleanup_domains?'),
    ('role', None, {'suppression_cleanup_dryrun': False, 'suppression_cleanup_select_all': True},
     'unknown variable suppression_cleanup_dryrun: did you mean suppression_cleanup_dry_run?'),
    ('role', None, {'suppression_cleanup_timeout': 'nan', 'suppression_cleanup_select_all': True},
     'timeout must be greater than 0 and at most 3600 seconds'),
    ('role', None, {'suppression_cleanup_timeout': 'nan', 'suppression_cleanup_select_all': True,
                    'suppression_cleanup_lists': [{'list': 'blocks'}], 'suppression_cleanup_api_version': 'v3'},
     'timeout must be greater than 0 and at most 3600 seconds'),
    ('role', None, {'suppression_cleanup_ca_path': '/nonexistent/ca.pem', 'suppression_cleanup_select_all': True},
     'ca_path must be an existing file'),
]


@pytest.fixture(scope='module')
def servers():
    bad = {
        'HTML': CannedServer(status=502, body=b'<html><h1>502 Bad Gateway</h1></html>',
                             headers={'Content-Type': 'text/html'}),
        'TRUNCATED': CannedServer(status=200, body=b'[{"email": "a@b.c", "rea'),
        'NOT_JSON': CannedServer(status=200, body=b'OK', headers={'Content-Type': 'text/plain'}),
    }
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        nowhere = CannedServer()
        nowhere.close()
        urls = {name: server.url for name, server in bad.items()}
        urls.update(URL=emu.url, NOWHERE=nowhere.url)
        yield emu, urls
    for server in bad.values():
        server.close()


def _module(target, args, urls, tmp_path):
    args = dict(dict(RESELLER, api_url=urls['URL'], max_retries=1), **args)
    args['api_url'] = urls.get(args['api_url'], args['api_url'])
    if target == 'sendgrid_invalid_email' and 'user' not in args and args.get('api_key') == 's3cret':
        args.update(api_user='apikey', api_key=KEY)
    rc, result = run_module(target, args, tmp_path)
    assert rc == 1 and result.get('failed'), result
    assert 'exception' not in result and 'module_stderr' not in result
    return result['msg']


def _lookup(term, options, urls):
    options = dict(dict(RESELLER, api_url=urls['URL']), **options)
    options['api_url'] = urls.get(options['api_url'], options['api_url'])
    with pytest.raises(AnsibleLookupError) as info:
        lookup_loader.get('mailops.sendgrid.suppressions').run([term], variables={}, **options)
    return str(info.value)


def _role(role_vars, urls, tmp_path):
    variables = {'suppression_cleanup_lists': [{'list': 'invalid_emails'}], 'suppression_cleanup_api_url': urls['URL'],
                 'suppression_cleanup_api_key': KEY, 'suppression_cleanup_report_dir': str(tmp_path)}
    variables.update(role_vars)
    playbook = tmp_path / 'role.yml'
    playbook.write_text(yaml.safe_dump([{'name': 'bad input', 'hosts': 'localhost', 'gather_facts': False,
                                         'roles': [{'role': 'mailops.sendgrid.suppression_cleanup',
                                                    'vars': variables}]}]))
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(playbook)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode != 0
    return proc.stdout + proc.stderr


def test_the_table_is_big_enough():
    kinds = [case[0] for case in CASES]
    assert len(CASES) >= 80
    assert kinds.count('lookup') >= 30 and kinds.count('role') >= 15 and kinds.count('module') >= 30


# The messages ansible-core writes itself (its argument spec check) may change with its version.
CORE_MESSAGES = ('parameters are mutually exclusive', 'one of the following is required', 'value of ', "argument '",
                 'missing required arguments', 'Unsupported parameters')


def _case(index, case):
    """A case as a test: a role case runs a playbook (slow); those cases whose message ansible-core writes, and the
    lookup cases (run in this process, at no cost), run on the lowest and newest ansible-core too (compat)."""
    kind, expected = case[0], case[3]
    marks = [pytest.mark.slow] if kind == 'role' else []
    if kind == 'lookup' or any(text.startswith(CORE_MESSAGES)
                               for text in (expected if isinstance(expected, tuple) else (expected,))):
        marks.append(pytest.mark.compat)
    return pytest.param(*case, marks=marks, id='%s-%d' % (kind, index))


@pytest.mark.parametrize('kind,target,arguments,expected', [_case(index, case) for index, case in enumerate(CASES)])
def test_bad_input(servers, tmp_path, kind, target, arguments, expected):
    emu, urls = servers
    emu.reset_stats()
    if kind == 'module':
        text = _module(target, arguments, urls, tmp_path)
    elif kind == 'lookup':
        text = _lookup(target, arguments, urls)
    else:
        text = _role(arguments, urls, tmp_path)
    for part in expected if isinstance(expected, tuple) else (expected,):
        assert part in text
    assert 'Traceback' not in text
    assert emu.stats()['writes'] == 0
