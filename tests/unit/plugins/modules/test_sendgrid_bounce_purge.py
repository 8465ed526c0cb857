"""sendgrid_bounce_purge against the emulator: the setting read and changed with one PATCH of what differs,
nothing sent on a second run, check and diff mode, 0 days as null, one user and every subuser of a selection, a
user the key cannot act for reported in its entry, the purge then removing the bounces by age, and bad input
refused before any request."""

import datetime

import pytest
import requests
from module_helpers import run_module

from ansible_collections.mailops.sendgrid.plugins.module_utils.bounce_purge import manage_purge, wanted_purge

KEY = 'SG.purge-key'
V3 = {'api_key': KEY, 'api_version': 'v3'}
PATH = 'v3/mail_settings/bounce_purge'
DEFAULT = {'enabled': False, 'soft_bounces': None, 'hard_bounces': None}


def _ago(days):
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)).strftime(
        '%Y-%m-%d %H:%M:%S')


BOUNCES = [
    {'email': 'old-hard@example.com', 'status': '5.1.1', 'reason': '550 user unknown', 'created': _ago(100)},
    {'email': 'new-hard@example.com', 'status': '5.1.1', 'reason': '550 user unknown', 'created': _ago(3)},
    {'email': 'old-soft@example.net', 'status': '4.2.2', 'reason': '452 mailbox full', 'created': _ago(100)},
]


@pytest.fixture(scope='module')
def emu(tmp_path_factory):
    # One emulator for the module: each test names a user of its own, so that their settings never meet.
    import yaml
    from emulator.process import Emulator
    subusers = [{'username': name, 'bounces': BOUNCES} for name in ('tenant-a', 'tenant-b', 'other-1', 'solo-1', 'keep-1')]
    subusers.append({'username': 'tenant-off', 'disabled': True})
    data = {'accounts': [{'username': 'parent@example.com', 'api_keys': [KEY], 'bounces': BOUNCES,
                          'customers': [{'username': 'customer@example.com', 'subusers': subusers}]}]}
    path = tmp_path_factory.mktemp('purge') / 'fixture.yml'
    path.write_text(yaml.safe_dump(data), encoding='utf-8')
    with Emulator('--data', str(path)) as emulator:
        yield emulator


def _module(emu, args, tmp_path, **kwargs):
    return run_module('sendgrid_bounce_purge', dict(V3, api_url=emu.url, **args), tmp_path, **kwargs)


def _methods(emu):
    return emu.stats()['by_endpoint'].get(PATH, {}).get('by_method', {})


def _bounces(emu, user):
    answer = requests.get(emu.url + '/v3/suppression/bounces', timeout=30,
                          headers={'Authorization': 'Bearer %s' % KEY, 'on-behalf-of': user})
    return sorted(record['email'] for record in answer.json())


@pytest.mark.compat
def test_set_then_nothing_to_send_then_one_field(emu, tmp_path):
    args = {'user': 'other-1', 'enabled': True, 'soft_bounces': 7, 'hard_bounces': 90}
    emu.reset_stats()
    rc, check = _module(emu, args, tmp_path, check_mode=True, diff=True)
    assert rc == 0 and check['changed'] and emu.stats()['writes'] == 0, check
    assert check['diff']['before'] == DEFAULT
    assert check['diff']['after'] == check['setting'] == {'enabled': True, 'soft_bounces': 7, 'hard_bounces': 90}
    assert 'other-1' in check['diff']['before_header']
    emu.reset_stats()
    rc, done = _module(emu, args, tmp_path)
    assert rc == 0 and done['changed'] and done['setting'] == check['setting'], done
    assert _methods(emu) == {'GET': 1, 'PATCH': 1}
    assert done['settings'] == [{'user': 'other-1', 'changed': True, 'setting': done['setting']}]
    emu.reset_stats()
    rc, again = _module(emu, args, tmp_path)
    assert rc == 0 and not again['changed'] and emu.stats()['writes'] == 0 and _methods(emu) == {'GET': 1}
    emu.reset_stats()
    rc, one = _module(emu, {'user': 'other-1', 'hard_bounces': 30}, tmp_path, diff=True)
    assert rc == 0 and one['changed'] and one['setting'] == {'enabled': True, 'soft_bounces': 7, 'hard_bounces': 30}
    assert one['diff']['before']['hard_bounces'] == 90 and one['diff']['after']['hard_bounces'] == 30
    assert _methods(emu) == {'GET': 1, 'PATCH': 1}


class _Recorded:
    """A user's setting that records the changes sent, to see what one PATCH carries."""
    user = 'recorded'

    def __init__(self, setting):
        self.setting, self.sent = dict(setting), []

    def read(self):
        return dict(self.setting)

    def update(self, changes):
        self.sent.append(changes)
        self.setting.update(changes)
        return dict(self.setting)


def test_only_the_fields_that_differ_are_sent():
    purge = _Recorded({'enabled': True, 'soft_bounces': 7, 'hard_bounces': 90})
    entry = manage_purge(purge, wanted_purge(enabled=True, soft_bounces=0, hard_bounces=90))
    assert purge.sent == [{'soft_bounces': None}] and entry['changed']
    assert entry['setting'] == {'enabled': True, 'soft_bounces': None, 'hard_bounces': 90}
    checked = _Recorded(purge.setting)
    entry = manage_purge(checked, wanted_purge(hard_bounces=1), check_mode=True)
    assert checked.sent == [] and entry['changed'] and entry['setting']['hard_bounces'] == 1


def test_zero_days_clears_the_age_and_unset_options_are_kept(emu, tmp_path):
    rc, first = _module(emu, {'user': 'solo-1', 'enabled': True, 'soft_bounces': 5, 'hard_bounces': 5}, tmp_path)
    assert rc == 0 and first['changed']
    rc, cleared = _module(emu, {'user': 'solo-1', 'soft_bounces': 0}, tmp_path)
    assert rc == 0 and cleared['changed']
    assert cleared['setting'] == {'enabled': True, 'soft_bounces': None, 'hard_bounces': 5}
    rc, again = _module(emu, {'user': 'solo-1', 'soft_bounces': 0}, tmp_path)
    assert rc == 0 and not again['changed'], '0 is null: nothing differs'
    rc, read = _module(emu, {'user': 'solo-1'}, tmp_path)
    assert rc == 0 and not read['changed'] and read['setting'] == cleared['setting']


def test_every_subuser_of_a_selection_and_the_purge_that_follows(emu, tmp_path):
    args = {'subusers': {'username': 'tenant-'}, 'enabled': True, 'hard_bounces': 30}
    rc, check = _module(emu, args, tmp_path, check_mode=True, diff=True)
    assert rc == 0 and check['changed'] and 'setting' not in check
    assert [entry['user'] for entry in check['settings']] == ['tenant-a', 'tenant-b'], 'the disabled one is left'
    assert [diff['after']['hard_bounces'] for diff in check['diff']] == [30, 30]
    assert _bounces(emu, 'tenant-a') == sorted(b['email'] for b in BOUNCES), 'check mode changed nothing'
    rc, done = _module(emu, args, tmp_path)
    assert rc == 0 and all(entry['changed'] for entry in done['settings'])
    assert _bounces(emu, 'tenant-a') == ['new-hard@example.com', 'old-soft@example.net'], \
        'SendGrid (the emulator) purges hard bounces older than 30 days; soft ones have no age'
    assert len(_bounces(emu, 'keep-1')) == 3, 'a subuser outside the selection keeps its bounces'
    emu.reset_stats()
    rc, again = _module(emu, dict(args, subusers={'username': 'tenant-', 'include_disabled': True}), tmp_path)
    assert rc == 0 and [e['user'] for e in again['settings'] if e['changed']] == ['tenant-off']
    assert _methods(emu) == {'GET': 3, 'PATCH': 1}


def test_a_user_the_key_cannot_act_for_fails_its_own_entry(emu, tmp_path):
    rc, result = _module(emu, {'user': 'nobody-here', 'enabled': True}, tmp_path)
    assert rc == 1 and result.get('status') in (401, 403, 404), result


@pytest.mark.parametrize('args, message', [
    ({'soft_bounces': 3651}, 'soft_bounces must be from 1 to 3650 days, or 0'),
    ({'hard_bounces': -1}, 'hard_bounces must be from 1 to 3650 days'),
    ({'enabled': True, 'api_version': 'v2', 'api_user': 'parent@example.com'}, 'needs api_version v3'),
    pytest.param({'user': 'tenant-a', 'subusers': {}}, 'mutually exclusive', marks=pytest.mark.compat),
    ({'user': ' '}, 'user must not be empty'),
    pytest.param({'enabled': True, 'soft_bounce': 3}, 'Unsupported parameters', marks=pytest.mark.compat),
])
def test_bad_input_is_refused_before_any_request(emu, tmp_path, args, message):
    emu.reset_stats()
    rc, result = _module(emu, args, tmp_path)
    assert rc == 1 and message in result['msg'], result
    assert emu.stats()['total'] == 0
