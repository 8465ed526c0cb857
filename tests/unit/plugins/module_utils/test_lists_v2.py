"""lists.py: every list class against a real emulator, server-side and client-side filters, paging, faults."""

import datetime
import logging
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from emulator.process import FIXTURES

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_list
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import DELETED, NOT_LISTED
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v2 import (
    AccountInvalidEmails, CustomerBounces, CustomerInvalidEmails, SubuserBounces)

RESELLER = ('your_sendgrid_username', 'your_sendgrid_password')
DEMO = ('reseller@example.com', 's3cret')


def client(emu, creds=('youremail@domain.com', 'secureSecret'), **kwargs):
    kwargs.setdefault('backoff_factor', 0.01)
    return ClientV2(api_user=creds[0], api_key=creds[1], api_url=emu.url, **kwargs)


def emails(records):
    return [r['email'] for r in records]


def _ago(days):
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)).strftime('%Y-%m-%d %H:%M:%S')


def test_account_invalid_emails_records(seeds_emulator):
    records = list(AccountInvalidEmails(client(seeds_emulator)).list())
    assert records == [
        {'email': 'test@example.com', 'reason': 'Known bad domain', 'created': '2011-06-06 16:11:57'},
        {'email': 'brandon', 'reason': 'Invalid address', 'created': '2012-08-17 11:04:38'}]


def test_customer_invalid_emails_records(seeds_emulator):
    records = list(CustomerInvalidEmails(client(seeds_emulator, RESELLER), 'eexampexample@example.com').list())
    assert emails(records) == ['example@example.com', 'isaac@hotmail', 'example@example.com']
    assert records[1] == {'email': 'isaac@hotmail', 'reason': 'Bad Syntax', 'created': '2009-06-01 19:41:39'}


def test_subuser_bounces_records(seeds_emulator):
    records = list(SubuserBounces(client(seeds_emulator, RESELLER), 'example@example.com').list())
    assert list(records[0]) == ['email', 'status', 'reason', 'created']
    assert emails(records) == ['emaieexampexample@example.com', 'emaileexampexample@example.com']


def test_customer_bounces_records(seeds_emulator):
    records = list(CustomerBounces(client(seeds_emulator, ('username', 'secureSecret')), 'customer@example.com').list())
    assert emails(records) == ['email1@domain.com', 'email2@domain2.com']
    assert records[0]['status'] == '5.1.1'


@pytest.mark.parametrize('cls', [CustomerInvalidEmails, SubuserBounces, CustomerBounces])
def test_user_is_required(seeds_emulator, cls):
    with pytest.raises(SendGridError, match='user is required for the list %s' % cls.name):
        cls(client(seeds_emulator, RESELLER))


def test_open_list_by_name(seeds_emulator):
    assert isinstance(open_list(client(seeds_emulator), 'invalid_emails'), AccountInvalidEmails)
    with pytest.raises(SendGridError, match='the list spam_reports needs api_version v3'):
        open_list(client(seeds_emulator), 'spam_reports')
    with pytest.raises(SendGridError, match="unknown list 'bounces': choose one of blocks, customer_bounces"):
        open_list(client(seeds_emulator), 'bounces')


def test_errors_name_list_user_and_email(seeds_emulator):
    other = CustomerInvalidEmails(client(seeds_emulator, ('username', 'secureSecret')), 'eexampexample@example.com')
    with pytest.raises(SendGridError) as info:
        other.delete('Someone@Example.com')
    text = str(info.value)
    assert text.startswith('customer_invalid_emails, user eexampexample@example.com, email Someone@Example.com: '
                           'Customer eexampexample@example.com is not registered under your account (HTTP 403')
    assert 'secureSecret' not in text


def test_delete_and_not_listed(emulator_factory):
    emu = emulator_factory()
    account = AccountInvalidEmails(client(emu))
    assert account.delete('BRANDON') == DELETED
    assert account.delete('brandon') == NOT_LISTED
    bounces = CustomerBounces(client(emu, ('username', 'secureSecret')), 'customer@example.com')
    assert bounces.delete('email1@domain.com') == DELETED
    assert bounces.delete('email1@domain.com') == NOT_LISTED
    assert emails(bounces.list()) == ['email2@domain2.com']


@pytest.mark.parametrize('cls,user,creds', [
    (SubuserBounces, 'example@example.com', RESELLER),
    (CustomerBounces, 'customer@example.com', ('username', 'secureSecret')),
])
def test_delete_all_bounces(emulator_factory, cls, user, creds):
    emu = emulator_factory()
    bounce_list = cls(client(emu, creds), user)
    bounce_list.delete_all()
    assert list(bounce_list.list()) == []


@pytest.mark.parametrize('cls', [AccountInvalidEmails, CustomerInvalidEmails])
def test_invalid_email_lists_have_no_delete_all(seeds_emulator, cls):
    with pytest.raises(SendGridError, match='the API has no delete-all'):
        cls(client(seeds_emulator, RESELLER), 'eexampexample@example.com').delete_all()


def test_count_uses_the_count_endpoint_when_it_can(seeds_emulator):
    account = AccountInvalidEmails(client(seeds_emulator))
    seeds_emulator.reset_stats()
    assert account.count() == 2
    assert account.count(Filters(start_date='2012-01-01', end_date='2013-01-01')) == 1
    assert account.count(Filters(email='Brandon')) == 1
    by_task = seeds_emulator.stats()['by_endpoint']
    assert by_task['api/invalidemails.count']['total'] == 2
    assert by_task['api/invalidemails.get']['total'] == 1


DATED = [{'email': 'd%d@example.com' % n, 'status': '5.1.1', 'reason': 'r', 'created': _ago(n)} for n in range(8)]


@pytest.fixture
def dated_emulator(emulator_factory):
    return emulator_factory(extra={
        'youremail@domain.com': {'invalid_emails': DATED},
        'eexampexample@example.com': {'invalid_emails': DATED},
        'example@example.com': {'bounces': DATED},
        'customer@example.com': {'bounces': DATED},
    })


def _every_list(emu):
    return [
        AccountInvalidEmails(client(emu)),
        CustomerInvalidEmails(client(emu, RESELLER), 'eexampexample@example.com'),
        SubuserBounces(client(emu, RESELLER), 'example@example.com'),
        CustomerBounces(client(emu, ('username', 'secureSecret')), 'customer@example.com'),
    ]


@pytest.mark.parametrize('options,expected', [
    # oldest first: d7 (seven days ago) before d0 (today)
    ({'days': 3}, ['d2@example.com', 'd1@example.com', 'd0@example.com']),
    ({'start_date': _ago(5)[:10], 'end_date': _ago(4)[:10]}, ['d5@example.com', 'd4@example.com']),
    ({'start_date': _ago(1)[:10]}, ['d1@example.com', 'd0@example.com']),
    ({'email': 'D3@EXAMPLE.COM'}, ['d3@example.com']),
    ({'days': 5, 'offset': 1, 'limit': 2}, ['d3@example.com', 'd2@example.com']),
    ({'days': 5, 'limit': 0}, []),
])
def test_filters_mean_the_same_on_every_list(dated_emulator, options, expected):
    """Server-side where the endpoint filters, client-side where it does not: the same records either way."""
    for suppression_list in _every_list(dated_emulator):
        assert emails(suppression_list.list(Filters(**options))) == expected, suppression_list
        assert suppression_list.count(Filters(**options)) == len(expected), suppression_list


def test_paging_reads_every_page(emulator_factory):
    emu = emulator_factory('--generate', '2500', data=None)
    account = AccountInvalidEmails(client(emu))
    emu.reset_stats()
    records = list(account.list())
    assert len(records) == 2502
    assert emu.stats()['by_endpoint']['api/invalidemails.get']['total'] == 6
    window = list(account.list(Filters(offset=499, limit=502)))
    assert window == records[499:1001]


@pytest.mark.slow
def test_listing_under_faults_is_complete_and_exact():
    from emulator.process import Emulator
    with Emulator('--generate', '5000', '--seed', '11') as clean:
        expected = list(AccountInvalidEmails(ClientV2(api_key='SG.demo-key', api_url=clean.url)).list())
    with Emulator('--generate', '5000', '--seed', '11', '--fault-rate', '0.3') as faulty:
        faulty_client = ClientV2(api_key='SG.demo-key', api_url=faulty.url, max_retries=12, backoff_factor=0.01)
        assert list(AccountInvalidEmails(faulty_client).list()) == expected
        assert faulty.stats()['outcomes']['fault'] > 0
    assert len(expected) == 5005


@pytest.mark.slow
def test_deletes_under_faults_delete_each_exactly_once():
    from emulator.process import Emulator
    with Emulator('--generate', '600', '--seed', '5', '--fault-rate', '0.3') as faulty:
        faulty_client = ClientV2(api_key='SG.demo-key', api_url=faulty.url, max_retries=12, backoff_factor=0.01,
                                 concurrency=8)
        account = AccountInvalidEmails(faulty_client)
        before = list(account.list())
        chosen, kept = before[:500], before[500:]
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(account.delete, [r['email'] for r in chosen]))
        assert outcomes == [DELETED] * 500
        assert list(account.list()) == kept
        stats = faulty.stats()
        assert stats['outcomes']['fault'] + stats['outcomes'].get('dropped', 0) > 50
        landed = [r for r in faulty.requests() if r['url'] == '/api/invalidemails.delete.json' and r['outcome'] == 'ok']
        assert len(landed) == 500


def test_key_never_in_urls_exceptions_or_logs(emulator_factory, caplog):
    secret = 'SG.demo-key'
    emu = emulator_factory(data=os.path.join(FIXTURES, 'demo.yml'))
    caplog.set_level(logging.DEBUG)
    demo = ClientV2(api_key=secret, api_url=emu.url)
    account = AccountInvalidEmails(demo)
    list(account.list())
    account.delete('brandon')
    failures = []
    assert account.delete('brandon-is-gone') == NOT_LISTED
    for call in (lambda: SubuserBounces(demo, 'someone-elses-subuser@example.com').delete('x'),
                 lambda: CustomerInvalidEmails(demo, 'someone-elses-customer@example.com').list().__next__(),
                 lambda: AccountInvalidEmails(ClientV2(api_key=secret + 'x', api_url=emu.url)).count()):
        with pytest.raises(SendGridError) as info:
            call()
        failures.append(info.value)
    assert all(secret not in str(f) and secret not in repr(f.to_dict()) for f in failures)
    assert all(secret not in r['url'] for r in emu.requests())
    assert secret not in caplog.text


class GrowingClient:
    """The client interface over a Python list whose count endpoint under-reports, as when records arrive
    between the count and the listing."""

    concurrency = 4
    mask = staticmethod(lambda text: text)

    def __init__(self, total, counted):
        self.records = [{'email': 'r%d@example.com' % i, 'reason': 'r', 'created': '2020-01-01 00:00:00'}
                        for i in range(total)]
        self.counted = counted
        self.calls = []

    def call(self, endpoint, params):
        self.calls.append((endpoint, params.get('offset'), params.get('limit')))
        if endpoint.endswith('.count'):
            return {'count': self.counted}
        return self.records[params['offset']:params['offset'] + params['limit']]


@pytest.mark.parametrize('total,counted', [(2600, 2600), (2600, 1400), (0, 0), (500, 500), (499, 0)])
def test_parallel_paging_is_complete_and_in_order(total, counted):
    fake = GrowingClient(total, counted)
    records = list(AccountInvalidEmails(fake).list())
    assert records == fake.records
    gets = [c for c in fake.calls if c[0].endswith('.get')]
    assert len(gets) == len({c[1] for c in gets}), 'each page read once'
    assert len(gets) <= total // 500 + 1 + (1 if counted < total else 0)


def test_parallel_paging_respects_the_window():
    fake = GrowingClient(3000, 3000)
    records = list(AccountInvalidEmails(fake).list(Filters(offset=700, limit=1200)))
    assert records == fake.records[700:1900]
    # Pages are read in parallel, so the requests may arrive in any order; each is asked once.
    assert sorted(c[1:] for c in fake.calls if c[0].endswith('.get')) == [(700, 500), (1200, 500), (1700, 200)]
