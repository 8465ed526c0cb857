"""The bounce_classifications lookup against the emulator: totals per day by classification and one
classification by domain, counted from the emulator's records; a date range; one user, several and a subuser
selection with the account; the rows' shape; and bad input refused before any request."""

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

pytestmark = pytest.mark.compat

KEY = 'SG.classify-key'
V3 = {'api_key': KEY, 'api_version': 'v3'}


def _bounce(email, status, reason, created):
    return {'email': email, 'status': status, 'reason': reason, 'created': created}


ACCOUNT = [
    _bounce('a@gmail.example', '5.1.1', '550 5.1.1 user unknown', '2025-03-01 08:00:00'),
    _bounce('b@gmail.example', '5.1.1', '550 user unknown', '2025-03-01 09:00:00'),
    _bounce('c@corp.example', '5.7.1', '554 5.7.1 client host blocked using a block list', '2025-03-01 10:00:00'),
    _bounce('d@corp.example', '5.1.1', '550 no such user', '2025-03-02 10:00:00'),
    _bounce('e@mail.example', '4.2.2', '452 mailbox full', '2025-03-03 11:00:00'),
]
TENANT = [
    _bounce('x@corp.example', '5.1.1', '550 user unknown', '2025-03-02 07:00:00'),
    _bounce('y@corp.example', '5.1.1', '550 user unknown', '2025-03-02 08:00:00'),
]


@pytest.fixture(scope='module')
def emu(tmp_path_factory):
    import yaml
    from emulator.process import Emulator
    data = {'accounts': [{'username': 'parent@example.com', 'api_keys': [KEY], 'bounces': ACCOUNT, 'customers': [
        {'username': 'customer@example.com', 'subusers': [
            {'username': 'tenant-1', 'bounces': TENANT}, {'username': 'tenant-2'},
            {'username': 'tenant-off', 'disabled': True, 'bounces': TENANT}, {'username': 'other', 'bounces': TENANT}]}]}]}
    path = tmp_path_factory.mktemp('classify') / 'fixture.yml'
    path.write_text(yaml.safe_dump(data), encoding='utf-8')
    with Emulator('--data', str(path)) as emulator:
        yield emulator


def _rows(emu, *terms, **options):
    return lookup_loader.get('mailops.sendgrid.bounce_classifications').run(
        list(terms), variables={}, api_url=emu.url, **dict(V3, **options))


def test_the_account_totals_per_day_by_classification(emu):
    rows = _rows(emu)
    assert [(r['date'], r['classification'], r['count']) for r in rows] == [
        ('2025-03-01', 'Invalid Address', 2), ('2025-03-01', 'Reputation', 1),
        ('2025-03-02', 'Invalid Address', 1), ('2025-03-03', 'Mailbox Unavailable', 1)]
    assert all(r['user'] is None and r['domain'] is None for r in rows)
    assert sum(r['count'] for r in rows) == len(ACCOUNT), 'every bounce is counted once'


def test_one_classification_by_domain_within_a_date_range(emu):
    rows = _rows(emu, classification='Invalid Address', start_date='2025-03-02', end_date='2025-03-03')
    assert rows == [{'user': None, 'date': '2025-03-02', 'classification': 'Invalid Address',
                     'domain': 'corp.example', 'count': 1}]
    rows = _rows(emu, classification='Invalid Address', end_date='2025-03-01')
    assert [(r['date'], r['domain'], r['count']) for r in rows] == [('2025-03-01', 'gmail.example', 2)]


def test_one_user_and_many_users_with_the_account(emu):
    assert [(r['user'], r['count']) for r in _rows(emu, user='tenant-1')] == [('tenant-1', 2)]
    emu.reset_stats()
    rows = _rows(emu, subusers={'username': 'tenant-'}, include_account=True, concurrency=2)
    assert [r['user'] for r in rows] == [None] * 4 + ['tenant-1'], 'the account first, then each subuser in order'
    assert emu.stats()['by_endpoint']['v3/suppression/bounces/classifications']['total'] == 3, \
        'the account, tenant-1 and tenant-2 (no bounces, no rows); the disabled one is left out'
    rows = _rows(emu, users=['other', 'tenant-1', 'OTHER'], classification='Invalid Address')
    assert [(r['user'], r['domain'], r['count']) for r in rows] == [
        ('other', 'corp.example', 2), ('tenant-1', 'corp.example', 2)]
    rows = _rows(emu, subusers={'username': 'tenant-', 'include_disabled': True})
    assert sorted({r['user'] for r in rows}) == ['tenant-1', 'tenant-off']


def test_a_user_the_key_cannot_act_for_is_an_error_naming_it(emu):
    with pytest.raises(AnsibleLookupError, match='nobody'):
        _rows(emu, users=['tenant-1', 'nobody'])


@pytest.mark.parametrize('options, message', [
    ({'classification': 'invalid address'}, 'classification must be one of Content, .* got .invalid address'),
    ({'start_date': '2025-3-1x'}, 'start_date must be a date as YYYY-MM-DD'),
    ({'start_date': '2025-03-05', 'end_date': '2025-03-01'}, 'must not be later than end_date'),
    ({'start': '2025-03-01'}, 'unknown keyword start'),
    ({'subusers': {'user': 'tenant-'}}, 'unknown key of subusers user'),
    ({'user': 'tenant-1', 'users': ['other']}, 'user cannot be combined'),
    ({'users': ['']}, 'none empty'),
    ({'include_account': True}, 'include_account needs users or subusers'),
    ({'api_version': 'v2', 'api_user': 'parent@example.com', 'api_key': 'secret'}, 'reading bounce classifications needs api_version v3: Web API v2 has no '
     'classifications endpoint'),
])
def test_bad_input_is_refused_before_any_request(emu, options, message):
    emu.reset_stats()
    with pytest.raises(AnsibleLookupError, match=message):
        _rows(emu, **options)
    assert emu.stats()['total'] == 0


def test_terms_are_refused(emu):
    with pytest.raises(AnsibleLookupError, match='takes no terms'):
        _rows(emu, 'tenant-1')
