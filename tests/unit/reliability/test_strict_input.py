"""Nothing deleted that was not selected, round 3: a misspelled keyword or role variable is refused before any
request, an empty selection is nothing to do, and every value read from an answer is checked before use."""

import json
import os
import subprocess
import sys
import time

import pytest
import yaml
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from hostile_server import HostileServer, json_reply
from module_helpers import run_module
from emulator.process import FIXTURES, Emulator

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.pacing import RatePacer, seconds_until_reset
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v3 import InvalidEmails

KEY = 'SG.demo-key'
V3 = {'api_version': 'v3', 'api_key': KEY}


@pytest.fixture(scope='module')
def demo():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        yield emu


def _playbook(tmp_path, emu, plays, extra_env=None):
    path = tmp_path / 'play.yml'
    path.write_text(yaml.safe_dump(plays, sort_keys=False))
    env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_KEY=KEY, SENDGRID_API_VERSION='v3',
               **(extra_env or {}))
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(path)],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _blocks(emu):
    return lookup_loader.get('mailops.sendgrid.suppressions').run(['blocks'], variables={}, api_url=emu.url, **V3)


def test_a_misspelled_lookup_filter_widens_nothing(demo, tmp_path):
    before = _blocks(demo)
    demo.reset_stats()
    task = {'name': 'clear the blocks of one domain', 'mailops.sendgrid.sendgrid_block': {
        'emails': "{{ query('mailops.sendgrid.suppressions', 'blocks', domain=['example.org']) "
                  "| map(attribute='email') }}"}}
    rc, output = _playbook(tmp_path, demo, [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [task]}])
    assert rc != 0 and 'unknown keyword domain: did you mean domains?' in output
    assert demo.stats()['total'] == 0, 'refused before any request'
    assert _blocks(demo) == before


@pytest.mark.parametrize('keywords,message', [
    ({'domain': ['example.org']}, 'unknown keyword domain: did you mean domains?'),
    ({'day': 30}, 'unknown keyword day: did you mean days?'),
    ({'stauts': '5.'}, 'unknown keyword stauts: did you mean status?'),
    ({'max_record': 5}, 'unknown keyword max_record: did you mean max_records?'),
])
@pytest.mark.parametrize('version', ['v3', 'v2'])
def test_the_lookup_refuses_unknown_keywords(demo, keywords, message, version):
    demo.reset_stats()
    options = dict(V3, api_version=version, **keywords)
    if version == 'v2':
        options['api_user'] = 'apikey'
    with pytest.raises(AnsibleLookupError, match=message):
        lookup_loader.get('mailops.sendgrid.suppressions').run(['invalid_emails'], variables={}, api_url=demo.url,
                                                               **options)
    assert demo.stats()['total'] == 0


def test_a_dictionary_term_refuses_unknown_keys(demo):
    demo.reset_stats()
    with pytest.raises(AnsibleLookupError, match='unknown key of a dictionary term usr: did you mean user?'):
        lookup_loader.get('mailops.sendgrid.suppressions').run(
            [{'list': 'blocks', 'usr': 'tenant-42'}], variables={}, api_url=demo.url, **V3)
    assert demo.stats()['total'] == 0


@pytest.mark.slow
@pytest.mark.compat
@pytest.mark.parametrize('dry_run', [False, True])
def test_a_misspelled_role_variable_is_refused_before_any_request(demo, tmp_path, dry_run):
    demo.reset_stats()
    role_vars = {'suppression_cleanup_lists': [{'list': 'subuser_bounces', 'user': 'subuser@example.com'}],
                 'suppression_cleanup_domain': ['example.net'], 'suppression_cleanup_status': '5.',
                 'suppression_cleanup_dry_run': dry_run, 'suppression_cleanup_report_dir': str(tmp_path)}
    rc, output = _playbook(tmp_path, demo, [{'hosts': 'localhost', 'gather_facts': False, 'roles': [
        {'role': 'mailops.sendgrid.suppression_cleanup', 'vars': role_vars}]}])
    assert rc != 0
    assert 'unknown variable suppression_cleanup_domain: did you mean suppression_cleanup_domains?' in output
    assert demo.stats()['total'] == 0


@pytest.mark.slow
@pytest.mark.compat
def test_the_role_accepts_its_own_facts_on_a_second_run(demo, tmp_path):
    role = {'role': 'mailops.sendgrid.suppression_cleanup', 'vars': {
        'suppression_cleanup_lists': [{'list': 'blocks'}], 'suppression_cleanup_domains': ['nowhere.test'],
        'suppression_cleanup_report_dir': str(tmp_path)}}
    rc, output = _playbook(tmp_path, demo, [{'hosts': 'localhost', 'gather_facts': False, 'roles': [role, role]}])
    assert rc == 0, output


EMPTY_SELECTIONS = [
    ('sendgrid_invalid_email', {}), ('sendgrid_subuser_bounce', {'user': 'subuser@example.com'}),
    ('sendgrid_block', {}), ('sendgrid_spam_report', {'user': 'tenant-42'}), ('sendgrid_unsubscribe', {}),
    ('sendgrid_unsubscribe', {'group': 'Newsletters', 'user': 'tenant-42'}),
]


@pytest.mark.parametrize('module,args', EMPTY_SELECTIONS, ids=[m + str(sorted(a)) for m, a in EMPTY_SELECTIONS])
@pytest.mark.parametrize('state', ['absent', 'present'])
def test_an_empty_selection_is_nothing_to_do(demo, tmp_path, module, args, state):
    demo.reset_stats()
    for dummy in range(2):
        rc, result = run_module(module, dict(args, emails=[], state=state, api_url=demo.url, **V3), tmp_path)
        assert rc == 0 and result['changed'] is False, result
        assert result['deleted'] == [] and result['missing'] == [] and result['counts']['matched'] == 0
    assert demo.stats()['writes'] == 0
    assert all('delete' not in entry for entry in demo.stats()['by_endpoint'])


@pytest.mark.parametrize('module,args', [('sendgrid_invalid_email', {}),
                                         ('sendgrid_subuser_bounce', {'user': 'subuser@example.com'})])
def test_an_empty_selection_is_nothing_to_do_on_v2(demo, tmp_path, module, args):
    demo.reset_stats()
    for dummy in range(2):
        rc, result = run_module(module, dict(args, emails=[], api_url=demo.url, api_version='v2', api_user='apikey',
                                             api_key=KEY), tmp_path)
        assert rc == 0 and result['changed'] is False, result
    assert demo.stats()['total'] == 0, 'not even a listing'


def test_an_unknown_group_still_fails_with_an_empty_selection(demo, tmp_path):
    rc, result = run_module('sendgrid_unsubscribe', dict(group='Nope', emails=[], api_url=demo.url, **V3), tmp_path)
    assert rc == 1 and 'Nope' in result['msg']


def test_a_blank_item_stays_an_error(demo, tmp_path):
    rc, result = run_module('sendgrid_block', dict(emails=['a@x.test', ' '], api_url=demo.url, **V3), tmp_path)
    assert rc == 1 and 'emails[1] must be a non-empty string' in result['msg']


# ---- answers checked before use ------------------------------------------------------------------------------

def _v3_list(server, **options):
    client = ClientV3(api_key=KEY, api_url=server.url, **dict(dict(max_retries=0, backoff_factor=0.01), **options))
    return InvalidEmails(client)


@pytest.mark.parametrize('body,problem', [
    (b'[' * 100000 + b']' * 100000, 'unexpected answer: JSON nested too deeply'),
    (b'[{"email": "a@x.test", "reason": "", "created": NaN}]', 'record 0 has no "created" time'),
    (b'[{"email": "a@x.test", "reason": "", "created": 1e20}]', 'record 0 has no "created" time'),
    (b'[{"email": "a@x.test", "reason": "", "created": 1e999}]', 'record 0 has no "created" time'),
    (b'[{"email": "a@x.test", "reason": "", "created": -5}]', 'record 0 has no "created" time'),
    (b'[{"email": "a@x.test", "reason": "", "created": 99999999999999999999}]', 'record 0 has no "created" time'),
    (b'{"oops": ' + b'9' * 5000 + b'}', 'unexpected answer'),
], ids=['deep', 'nan', 'far-future', 'infinite', 'negative', 'huge-int', 'long-number'])
def test_an_answer_out_of_range_is_an_unexpected_answer(body, problem):
    with HostileServer(lambda request: json_reply(body)) as server:
        with pytest.raises(SendGridError) as info:
            list(_v3_list(server).list())
    text = str(info.value)
    assert problem in text and 'GET v3/suppression/invalid_emails' in text
    assert 'Traceback' not in text and 'recursion' not in text and 'time_t' not in text


@pytest.mark.parametrize('value', ['NaN', 'nan', 'inf', '-1', '1e3', '\u0661\u0662', '\uff11\uff12', '12.5', '',
                                   '99999999999999999999999'])
def test_rate_limit_headers_that_are_no_plain_integer_are_ignored(value):
    sleeps = []
    pacer = RatePacer(clock=lambda: 1700000000.0, sleep=sleeps.append)
    pacer.before_request()
    pacer.after_response({'X-RateLimit-Remaining': value, 'X-RateLimit-Reset': '1700000030'})
    pacer.before_request()
    pacer.after_response({'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': value})
    pacer.before_request()
    assert sleeps == [], 'no wait from a header that is no count'
    assert seconds_until_reset(value, now=1700000000) is None


def test_a_429_with_a_garbage_reset_takes_the_normal_back_off():
    answers = iter([json_reply({'errors': [{'message': 'too many requests'}]}, status=429,
                               headers={'X-RateLimit-Reset': 'NaN', 'X-RateLimit-Remaining': '\u0663'}),
                    json_reply([])])
    with HostileServer(lambda request: next(answers)) as server:
        started = time.monotonic()
        assert list(_v3_list(server, max_retries=1).list()) == []
    assert time.monotonic() - started < 5


def test_the_lookup_stops_an_endless_listing_at_max_records():
    def endless(request):
        offset = int(request.form.get('offset', 0))
        return json_reply([{'email': 'u%d@x.test' % (offset + i), 'reason': '', 'created': 1700000000}
                           for i in range(int(request.form.get('limit', 500)))])
    with HostileServer(endless) as server:
        started = time.monotonic()
        with pytest.raises(AnsibleLookupError) as info:
            lookup_loader.get('mailops.sendgrid.suppressions').run(['invalid_emails'], variables={},
                                                                   api_url=server.url, max_records=2000, **V3)
        assert time.monotonic() - started < 60
        pages = len(server.requests)
    assert 'max_records=2000 records were read' in str(info.value)
    assert pages <= 2000 // 500 + 8 + 1, 'paging stops at the same depth'


@pytest.mark.parametrize('value', [0, -1, 10 ** 8, 'lots'])
def test_max_records_is_bounded(demo, value):
    with pytest.raises(AnsibleLookupError, match='max_records'):
        lookup_loader.get('mailops.sendgrid.suppressions').run(['blocks'], variables={}, api_url=demo.url,
                                                               max_records=value, **V3)


def test_the_lookup_reads_its_connection_from_play_variables(demo, monkeypatch):
    lookup = lookup_loader.get('mailops.sendgrid.suppressions')
    monkeypatch.setenv('SENDGRID_API_KEY', 'SG.wrong-from-the-environment')
    monkeypatch.setenv('SENDGRID_API_URL', 'http://127.0.0.1:1')
    variables = {'sendgrid_api_url': demo.url, 'sendgrid_api_key': KEY, 'sendgrid_api_version': 'v3'}
    assert [r['email'] for r in lookup.run(['blocks'], variables=variables)] == \
        ['blocked@example.net', 'outage@example.org'], 'play variables beat the environment'
    wrong = dict(variables, sendgrid_api_key='SG.wrong-from-a-variable')
    assert len(lookup.run(['blocks'], variables=wrong, api_key=KEY)) == 2, 'keyword arguments beat play variables'
    with pytest.raises(AnsibleLookupError, match='HTTP 401'):
        lookup.run(['blocks'], variables=wrong)


@pytest.mark.parametrize('method,path,status', [('GET', '/v3/no/such/path', 404),
                                                ('PUT', '/v3/suppression/blocks', 405)])
def test_the_emulator_sends_rate_limit_headers_on_every_v3_answer(demo, method, path, status):
    import urllib.error
    import urllib.request
    request = urllib.request.Request(demo.url + path, method=method, headers={'Authorization': 'Bearer ' + KEY})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=30)
    assert info.value.code == status
    assert {'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'} <= set(info.value.headers.keys())
    assert json.loads(info.value.read())['errors']
