"""The modules, the lookup and the role on Web API v3, against the emulator: the same results as on v2, bulk
deletes in batches, on-behalf-of, check and diff modes, idempotence, faults, rate limits, secrets."""

import json
import math
import os
import subprocess
import sys

import pytest
import yaml
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from hostile_server import HostileServer, drip_body, json_reply, redirect_reply
from module_helpers import run_module
from emulator.process import FIXTURES, Emulator

DEMO = os.path.join(FIXTURES, 'demo.yml')
V3 = {'api_key': 'SG.demo-key', 'api_version': 'v3'}
V2 = {'api_user': 'reseller@example.com', 'api_key': 's3cret', 'api_version': 'v2'}
COMPARED = ('changed', 'list', 'user', 'deleted', 'missing', 'failed_emails', 'records', 'counts')


def _module(name, emu, args, tmp_path, version=None, **kwargs):
    return run_module(name, dict(version or V3, api_url=emu.url, **args), tmp_path, **kwargs)


@pytest.mark.parametrize('name,args', [
    ('sendgrid_invalid_email', {'emails': ['brandon', 'ISAAC@hotmail', 'never@example.com']}),
    ('sendgrid_invalid_email', {'user': 'customer@example.com', 'email': 'isaac@hotmail'}),
    ('sendgrid_subuser_bounce', {'user': 'subuser@example.com', 'emails': ['gone@example.net', 'x@y.z']}),
    ('sendgrid_subuser_bounce', {'user': 'customer@example.com', 'bounce_list': 'customer', 'delete_all': True}),
])
@pytest.mark.slow
def test_a_v2_task_gives_the_same_result_on_v3(emulator_factory, tmp_path, name, args):
    on_v2, on_v3 = emulator_factory(data=DEMO), emulator_factory(data=DEMO)
    results = {}
    for label, emu, version in (('v2', on_v2, V2), ('v3', on_v3, V3)):
        for mode in ('check', 'diff', 'run', 'again'):
            rc, result = _module(name, emu, args, tmp_path, version=version, check_mode=mode == 'check',
                                 diff=mode == 'diff')
            assert rc == 0, result
            results[(label, mode)] = {key: result.get(key) for key in COMPARED + ('diff',)}
        results[(label, 'writes')] = emu.stats()['writes']
    for mode in ('check', 'diff', 'run', 'again'):
        assert results[('v2', mode)] == results[('v3', mode)], mode
    assert results[('v3', 'check')]['changed'] and results[('v3', 'again')]['changed'] is False
    assert results[('v3', 'writes')] == 1, 'one bulk delete (or delete_all) for the whole task on v3'


def test_deletes_go_in_batches_and_a_second_run_writes_nothing(tmp_path):
    with Emulator('--data', DEMO, '--generate', '1200', '--generate-lists', 'invalid_emails') as emu:
        listed = [r['email'] for r in lookup_loader.get('mailops.sendgrid.suppressions').run(
            ['invalid_emails'], variables={}, api_url=emu.url, **V3)]
        wanted = listed[:1100]
        emu.reset_stats()
        rc, check = _module('sendgrid_invalid_email', emu, {'emails': wanted}, tmp_path, check_mode=True)
        assert rc == 0 and emu.stats()['writes'] == 0 and len(check['deleted']) == 1100
        rc, result = _module('sendgrid_invalid_email', emu, {'emails': wanted, 'batch_size': 250}, tmp_path)
        writes = emu.stats()['writes']
        emu.reset_stats()
        rc2, again = _module('sendgrid_invalid_email', emu, {'emails': wanted}, tmp_path)
        second = emu.stats()
    assert rc == 0 and result['deleted'] == check['deleted']
    assert writes == math.ceil(1100 / 250)
    assert rc2 == 0 and again['changed'] is False and second['writes'] == 0
    assert second['reads'] <= math.ceil(1205 / 500), 'at most one listing request per 500 records'


def test_the_account_s_own_bounces_without_a_user(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _module('sendgrid_subuser_bounce', emu, {'email': 'bounced@example.com'}, tmp_path)
    assert rc == 0 and result['deleted'] == ['bounced@example.com'] and result['user'] is None
    rc, result = _module('sendgrid_subuser_bounce', emu, {'email': 'a', 'bounce_list': 'customer'}, tmp_path)
    assert rc == 1 and 'missing required arguments: user' in result['msg']


@pytest.mark.parametrize('name,user', [('sendgrid_subuser_bounce', 'someone-elses-subuser@example.com'),
                                       ('sendgrid_invalid_email', 'someone-elses-customer@example.com')])
def test_a_foreign_user_is_refused_with_no_write(emulator_factory, tmp_path, name, user):
    emu = emulator_factory(data=DEMO)
    rc, result = _module(name, emu, {'user': user, 'email': 'not-yours@example.com'}, tmp_path)
    assert rc == 1 and 'is not a customer or subuser of your account' in result['msg'] and 'HTTP 403' in result['msg']
    assert emu.stats()['writes'] == 0


def test_a_customer_by_account_id(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _module('sendgrid_invalid_email', emu, {'user': 'account-id 1234567', 'email': 'isaac@hotmail'},
                         tmp_path)
    assert rc == 0 and result['deleted'] == ['isaac@hotmail']


def test_a_username_and_password_are_refused_on_v3_before_any_request(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, result = _module('sendgrid_invalid_email', emu, {'email': 'brandon'}, tmp_path,
                         version=dict(V2, api_version='v3'))
    assert rc == 1 and 'v3 takes an API key in api_key' in result['msg'] and 's3cret' not in json.dumps(result)
    assert emu.stats()['total'] == 0


@pytest.mark.compat
def test_v3_is_the_default_and_the_environment_picks_v2(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    args = {'api_key': 'SG.demo-key', 'api_url': emu.url, 'email': 'brandon', 'state': 'present'}
    rc, result = run_module('sendgrid_invalid_email', args, tmp_path, env={'SENDGRID_API_VERSION': None})
    assert rc == 0 and list(emu.stats()['by_endpoint']) == ['v3/suppression/invalid_emails']
    emu.reset_stats()
    rc, result = run_module('sendgrid_invalid_email', args, tmp_path, env={'SENDGRID_API_VERSION': 'v2'})
    assert rc == 0 and 'v3/suppression/invalid_emails' not in emu.stats()['by_endpoint']


def test_faults_delete_exactly_the_selection_and_a_rerun_finishes(tmp_path):
    with Emulator('--data', DEMO, '--generate', '1000', '--generate-lists', 'invalid_emails', '--seed', '5') as clean:
        listed = [r['email'] for r in lookup_loader.get('mailops.sendgrid.suppressions').run(
            ['invalid_emails'], variables={}, api_url=clean.url, **V3)]
    wanted = listed[::2]
    with Emulator('--data', DEMO, '--generate', '1000', '--generate-lists', 'invalid_emails', '--fault-rate', '0.2',
                  '--seed', '5') as faulty:
        args = {'emails': wanted, 'batch_size': 50, 'max_retries': 10}
        rc, result = _module('sendgrid_invalid_email', faulty, args, tmp_path)
        if rc != 0:
            rc, result = _module('sendgrid_invalid_email', faulty, args, tmp_path)
        faulty.reset_stats()
        rc2, again = _module('sendgrid_invalid_email', faulty, args, tmp_path)
        writes = faulty.stats()['writes']
        left = [r['email'] for r in lookup_loader.get('mailops.sendgrid.suppressions').run(
            ['invalid_emails'], variables={}, api_url=faulty.url, max_retries=10, **V3)]
    assert rc == 0 and rc2 == 0 and again['changed'] is False and writes == 0
    assert sorted(left) == sorted(set(listed) - set(wanted))


def test_a_run_under_the_rate_limit_gets_no_429(tmp_path):
    with Emulator('--data', DEMO, '--generate', '60', '--generate-lists', 'blocks,invalid_emails',
                  '--rate-limit', '10') as emu:
        listed = [r['email'] for r in lookup_loader.get('mailops.sendgrid.suppressions').run(
            ['invalid_emails'], variables={}, api_url=emu.url, **V3)]
        emu.reset_stats()
        args = {'emails': listed[:40], 'batch_size': 1, 'concurrency': 4}
        rc, result = _module('sendgrid_invalid_email', emu, args, tmp_path)
        outcomes = emu.stats()['outcomes']
    assert rc == 0 and len(result['deleted']) == 40
    assert outcomes.get('rate_limited', 0) == 0, outcomes


def test_the_lookup_reads_the_same_records_on_both_versions(emulator_factory):
    emu = emulator_factory(data=DEMO)
    lookup = lookup_loader.get('mailops.sendgrid.suppressions')
    terms = ['invalid_emails', {'list': 'customer_invalid_emails', 'user': 'customer@example.com'},
             {'list': 'subuser_bounces', 'user': 'subuser@example.com'},
             {'list': 'customer_bounces', 'user': 'customer@example.com'}]
    for options in ({}, {'days': 36500, 'limit': 3}, {'reason': 'Bad'}, {'query': '[].email'}, {'count_only': True}):
        assert lookup.run(terms, variables={}, api_url=emu.url, **dict(V3, **options)) == \
            lookup.run(terms, variables={}, api_url=emu.url, **dict(V2, **options)), options
    own = lookup.run(['subuser_bounces'], variables={}, api_url=emu.url, **V3)
    assert [r['email'] for r in own] == ['bounced@example.com'] and own[0]['user'] is None
    with pytest.raises(AnsibleLookupError, match='api_version'):
        lookup.run(['invalid_emails'], variables={}, api_url=emu.url, **dict(V3, api_version='v4'))


def _playbook(tmp_path, play, verbose=False):
    path = tmp_path / ('play-%d.yml' % len(list(tmp_path.glob('play-*.yml'))))
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(path)]
    proc = subprocess.run(command + (['-vvvv'] if verbose else []), capture_output=True, text=True, timeout=600,
                          check=False, env=dict(os.environ, ANSIBLE_NOCOLOR='1'))
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.slow
def test_the_role_gives_the_same_report_on_both_versions(emulator_factory, tmp_path):
    totals = {}
    for label, version in (('v2', V2), ('v3', V3)):
        emu = emulator_factory(data=DEMO)
        role_vars = {'suppression_cleanup_%s' % key: value for key, value in version.items()}
        role_vars.update(suppression_cleanup_api_url=emu.url, suppression_cleanup_dry_run=False,
                         suppression_cleanup_report_dir=str(tmp_path / label),
                         suppression_cleanup_reason='Bad Syntax|unknown|5\\.1\\.1',
                         suppression_cleanup_lists=[{'list': 'invalid_emails'},
                                                    {'list': 'customer_invalid_emails', 'user': 'customer@example.com'},
                                                    {'list': 'subuser_bounces', 'user': 'subuser@example.com'},
                                                    {'list': 'customer_bounces', 'user': 'customer@example.com'}])
        rc, output = _playbook(tmp_path, [{'hosts': 'localhost', 'gather_facts': False, 'roles': [
            {'role': 'mailops.sendgrid.suppression_cleanup', 'vars': role_vars}]}])
        assert rc == 0, output[-3000:]
        report = json.loads(sorted((tmp_path / label).glob('*.json'))[-1].read_text())
        totals[label] = (report['totals'], [(e['list'], e['user'], e['deleted'], e['selected']) for e in report['lists']],
                         [(r['email'], r['outcome']) for e in report['lists'] for r in e['records']])
        if label == 'v3':
            assert emu.stats()['writes'] == 4, 'one bulk delete per list'
    assert totals['v2'] == totals['v3'] and totals['v3'][0]['deleted'] > 0


@pytest.mark.slow
@pytest.mark.compat
def test_the_key_shows_nowhere_on_v3_at_vvvv(tmp_path):
    secret = 'SG.v3-secret-key-9d2f71'
    data = yaml.safe_load(open(DEMO, encoding='utf-8'))
    data['accounts'][0]['api_keys'].append(secret)
    fixture = tmp_path / 'fixture.yml'
    fixture.write_text(yaml.safe_dump(data))
    vault = tmp_path / 'vault.yml'
    vault.write_text(yaml.safe_dump({'key': secret}))
    with Emulator('--data', str(fixture)) as emu:
        connection = {'api_key': '{{ key }}', 'api_url': emu.url, 'api_version': 'v3'}
        rc, output = _playbook(tmp_path, [{'hosts': 'localhost', 'gather_facts': False, 'vars_files': [str(vault)],
                                           'tasks': [
            {'name': 'Module', 'mailops.sendgrid.sendgrid_invalid_email': dict(connection, email='brandon')},
            {'name': 'Module, refused', 'mailops.sendgrid.sendgrid_subuser_bounce':
                dict(connection, user='someone-elses-subuser@example.com', email='x'), 'ignore_errors': True},
            {'name': 'Lookup', 'ansible.builtin.debug': {'msg': "{{ query('mailops.sendgrid.suppressions', "
                                                                "'invalid_emails', api_key=key, api_url=u, "
                                                                "api_version='v3') }}"}, 'vars': {'u': emu.url}},
        ]}], verbose=True)
        urls = [r['url'] for r in emu.requests()]
    assert rc == 0, output[-3000:]
    assert secret not in output and 'is not a customer or subuser' in output
    assert urls and not any(secret in url for url in urls)


# ---- the hostile-server cases of the hardening issue, on v3 -------------------------------------------------------
def _v3_answer(listing, delete):
    def answer(request):
        if request.method == 'DELETE':
            return delete(request) if callable(delete) else json_reply(delete)
        return listing(request) if callable(listing) else json_reply(listing)
    return answer


RECORDS = [{'created': 1700000000, 'email': 'a@x.test', 'reason': 'r'}]


@pytest.mark.parametrize('answer,message', [
    (_v3_answer({}, None), 'a list of records was expected'),
    (_v3_answer([{'email': 'a@x.test', 'reason': 'r'}], None), 'record 0 has no "created" time'),
    (_v3_answer(RECORDS, {'message': 'ok'}), 'no content (HTTP 204) was expected'),
    (_v3_answer(RECORDS, lambda request: redirect_reply(307, 'http://elsewhere.invalid/v3/x')),
     'redirect (HTTP 307) to http://elsewhere.invalid/v3/x, which is never followed'),
    (_v3_answer(lambda request: drip_body(), None), 'within timeout=2'),
    (_v3_answer(RECORDS, lambda request: json_reply({'errors': [{'field': None, 'message': 'bad key %s' % (
        request.headers.get('Authorization', ''))}]}, status=400)), 'bad key Bearer ********'),
])
def test_a_hostile_server_on_v3(tmp_path, answer, message):
    with HostileServer(answer) as server:
        rc, result = run_module('sendgrid_invalid_email', {'api_key': 'SG.hostile-v3', 'api_url': server.url,
                                                           'api_version': 'v3', 'email': 'a@x.test', 'timeout': 2,
                                                           'max_retries': 0}, tmp_path)
        deletes = [r for r in server.requests if r.method == 'DELETE']
    text = json.dumps(result)
    assert rc == 1 and message in result['msg'] + json.dumps(result.get('failed_emails')), text[:2000]
    assert 'SG.hostile-v3' not in text
    if 'list of records' in message or 'created' in message or 'within timeout' in message:
        assert deletes == []
