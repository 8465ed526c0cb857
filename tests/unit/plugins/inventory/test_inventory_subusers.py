"""The subusers inventory against the emulator: 250 subusers read page by page, host variables, groups, compose,
keyed groups, filters, a cache hit that sends no request, and clear errors with the key nowhere."""

import json
import os
import subprocess
import sys

import pytest
import yaml
from fleet_helpers import KEY, fleet_fixture, plain

COUNT = 250
NO_SUBUSERS_KEY = 'SG.suppressions-only-77b1c0'


@pytest.fixture(scope='module')
def fleet(tmp_path_factory):
    from emulator.process import Emulator
    path = tmp_path_factory.mktemp('fleet') / 'fleet.yml'
    data = fleet_fixture(COUNT)
    data['accounts'][0]['api_keys'].append({'key': NO_SUBUSERS_KEY, 'scopes': ['suppression.read']})
    path.write_text(yaml.safe_dump(data))
    with Emulator('--data', str(path)) as emu:
        yield emu


def inventory(tmp_path, emu, source, env=None, name='fleet.sendgrid.yml'):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(dict({'plugin': 'mailops.sendgrid.subusers'}, **source)))
    environment = dict(os.environ, SENDGRID_API_KEY=KEY, SENDGRID_API_URL=emu.url, ANSIBLE_NOCOLOR='1')
    environment.pop('SENDGRID_API_VERSION', None)
    environment.update(env or {})
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-inventory'), '-i', str(path),
                           '--list'], capture_output=True, text=True, timeout=300, check=False, env=environment)
    try:
        return proc.returncode, plain(json.loads(proc.stdout)), proc.stderr
    except ValueError:
        return proc.returncode, None, proc.stdout + proc.stderr


@pytest.mark.compat
def test_every_subuser_is_a_host_read_page_by_page(tmp_path, fleet):
    fleet.reset_stats()
    rc, listed, errors = inventory(tmp_path, fleet, {'page_size': 100})
    assert rc == 0, errors
    hosts = listed['_meta']['hostvars']
    # the customer and its 250 subusers are all under the account
    assert len(hosts) == COUNT + 1 and 'not-mine@example.com' not in hosts
    assert hosts['tenant-007'] == {'sendgrid_user': 'tenant-007', 'ansible_connection': 'local',
                                   'ansible_python_interpreter': sys.executable,
                                   'sendgrid_region': 'global', 'sendgrid_api_url': fleet.url,
                                   'sendgrid_subuser': {'id': hosts['tenant-007']['sendgrid_subuser']['id'],
                                                        'username': 'tenant-007', 'email': 'ops7@b.example',
                                                        'disabled': True, 'region': 'global'}}
    assert hosts['tenant-010']['sendgrid_region'] == 'eu' and hosts['tenant-010']['sendgrid_api_url'] == fleet.url, \
        'an emulator given as api_url serves every region'
    assert sorted(listed['sendgrid_subusers']['children']) == ['sendgrid_subusers_disabled', 'sendgrid_subusers_enabled']
    assert len(listed['sendgrid_subusers_disabled']['hosts']) == len(range(0, COUNT, 7))
    assert fleet.stats()['by_endpoint']['v3/subusers']['total'] == 3, '250 subusers + 1 customer, 100 a page'


@pytest.mark.compat
def test_username_prefix_compose_keyed_groups_and_filters(tmp_path, fleet):
    rc, listed, errors = inventory(tmp_path, fleet, {
        'username': 'tenant-1',
        'filters': [{'exclude': 'sendgrid_subuser.disabled'}, {'include': "sendgrid_subuser.email is search('a.example')"},
                    {'exclude': 'true'}],
        'compose': {'tenant_number': "sendgrid_user.split('-')[1] | int"},
        'keyed_groups': [{'key': "sendgrid_subuser.email.split('@')[1]", 'prefix': 'domain'}],
        'groups': {'big_tenants': 'tenant_number | int >= 150'}})
    assert rc == 0, errors
    hosts = listed['_meta']['hostvars']
    expected = ['tenant-%03d' % i for i in range(100, 200) if i % 7 and i % 2 == 0]
    assert sorted(hosts) == expected
    assert int(hosts['tenant-150']['tenant_number']) == 150     # a string before ansible-core 2.19's native types
    assert sorted(listed['domain_a_example']['hosts']) == expected
    assert sorted(listed['big_tenants']['hosts']) == [h for h in expected if int(h[-3:]) >= 150]


@pytest.mark.compat
def test_region_selects_hosts_as_the_api_filters(tmp_path, fleet):
    fleet.reset_stats()
    rc, listed, errors = inventory(tmp_path, fleet, {'region': 'eu', 'username': 'tenant-'})
    assert rc == 0, errors
    hosts = listed['_meta']['hostvars']
    assert sorted(hosts) == ['tenant-%03d' % i for i in range(0, COUNT, 5)]
    assert {host['sendgrid_region'] for host in hosts.values()} == {'eu'}
    assert [row for row in fleet.requests() if '/v3/subusers' in row['url']][0]['url'].count('region=eu') == 1
    rc, listed, errors = inventory(tmp_path, fleet, {'region': 'global', 'username': 'tenant-00'})
    assert rc == 0 and sorted(listed['_meta']['hostvars']) == ['tenant-00%d' % i for i in range(10) if i % 5]


@pytest.mark.compat
def test_an_edited_prefix_or_region_is_not_served_from_the_cache(tmp_path, fleet):
    source = {'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(tmp_path / 'cache'),
              'cache_timeout': 3600, 'username': 'tenant-00'}
    rc, first, errors = inventory(tmp_path, fleet, source)
    assert rc == 0 and len(first['_meta']['hostvars']) == 10, errors
    rc, edited, errors = inventory(tmp_path, fleet, dict(source, username='tenant-01'))
    assert rc == 0 and sorted(edited['_meta']['hostvars']) == ['tenant-%03d' % i for i in range(10, 20)], errors
    rc, eu, errors = inventory(tmp_path, fleet, dict(source, region='eu'))
    assert rc == 0 and sorted(eu['_meta']['hostvars']) == ['tenant-000', 'tenant-005'], errors
    fleet.reset_stats()
    rc, again, errors = inventory(tmp_path, fleet, source)
    assert rc == 0 and again == first and fleet.stats()['total'] == 0, 'the first answer is still cached'


@pytest.mark.compat
def test_a_cache_hit_sends_no_request(tmp_path, fleet):
    source = {'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(tmp_path / 'cache'),
              'cache_timeout': 3600}
    rc, first, errors = inventory(tmp_path, fleet, source)
    assert rc == 0, errors
    fleet.reset_stats()
    rc, second, errors = inventory(tmp_path, fleet, source)
    assert rc == 0 and second == first and fleet.stats()['total'] == 0
    cached = ''.join(p.read_text() for p in (tmp_path / 'cache').iterdir())
    assert 'tenant-001' in cached and KEY not in cached


@pytest.mark.parametrize('source,env,message', [
    pytest.param({'page_size': 0}, {}, 'page_size must be an integer from 1 to 500, got 0', marks=pytest.mark.compat),
    ({'username': ' '}, {}, 'username must not be empty or blank'),
    ({'filters': [{'keep': 'true'}]}, {}, 'filters[0] must have one key, include or exclude'),
    ({}, {'SENDGRID_API_KEY': 'SG.wrong-key-55aa31'}, 'authorization required (HTTP 401, GET v3/subusers)'),
    ({'api_version': 'v2'}, {}, 'api_version'),
    pytest.param({'usernme': 'tenant-'}, {}, 'unknown option usernme: did you mean username?',
                 marks=pytest.mark.compat),
    ({'filter': [{'exclude': 'true'}]}, {}, 'unknown option filter: did you mean filters?'),
    ({'concurrency': 4}, {}, 'unknown option concurrency'),            # its pages are read one after the other
    ({'batch_size': 100}, {}, 'unknown option batch_size'),            # it deletes nothing
    ({'timeout': 'nan'}, {}, 'timeout must be greater than 0 and at most 3600 seconds, got nan'),
    ({'ca_path': '/nonexistent/ca.pem'}, {}, 'ca_path must be an existing file'),
    ({}, {'SENDGRID_API_URL': 'http://127.0.0.1:9'}, 'GET v3/subusers'),
    ({}, {'SENDGRID_API_KEY': NO_SUBUSERS_KEY},
     'access forbidden; the API key likely needs one of `subusers.read`: reading the subusers (HTTP 403'),
])
def test_bad_options_and_an_unreachable_api_are_clear_errors(tmp_path, fleet, source, env, message):
    rc, listed, errors = inventory(tmp_path, fleet, dict(source, max_retries=0), env=env)
    assert message in ' '.join(errors.split()), errors
    assert 'Traceback' not in errors
    for secret in (KEY, 'SG.wrong-key-55aa31', NO_SUBUSERS_KEY):
        assert secret[:10] not in errors and secret[-10:] not in errors
    assert not (listed or {}).get('_meta', {}).get('hostvars')
