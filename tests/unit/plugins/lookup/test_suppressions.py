"""The lookup mailops.sendgrid.suppressions, loaded by Ansible's plugin loader, against a real emulator."""

import datetime
import os

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from emulator.process import FIXTURES

pytestmark = pytest.mark.compat

KEY = 'SG.demo-key'
RESELLER = {'api_user': 'reseller@example.com', 'api_key': 's3cret'}


@pytest.fixture(scope='module')
def demo_emulator():
    from emulator.process import Emulator
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        yield emu


def lookup(emu, *terms, **options):
    options.setdefault('api_url', emu.url)
    options.setdefault('api_key', KEY)
    return lookup_loader.get('mailops.sendgrid.suppressions').run(list(terms), variables={}, **options)


def is_unsafe(value):
    try:
        from ansible.template import is_trusted_as_template
    except ImportError:
        from ansible.utils.unsafe_proxy import AnsibleUnsafe
        return isinstance(value, AnsibleUnsafe)
    return not is_trusted_as_template(value)


def test_account_list_records_are_tagged(demo_emulator):
    records = lookup(demo_emulator, 'invalid_emails')
    assert len(records) == 5
    assert records[1] == {'email': 'brandon', 'reason': 'Invalid address', 'created': '2012-08-17 11:04:38',
                          'list': 'invalid_emails', 'user': None}


def test_several_terms_and_users(demo_emulator):
    records = lookup(demo_emulator, 'invalid_emails', 'subuser_bounces',
                     {'list': 'customer_bounces', 'user': 'customer@example.com'},
                     user='subuser@example.com', **RESELLER)
    assert (records[0]['list'], records[0]['user']) == ('invalid_emails', None)
    by_list = {}
    for record in records:
        by_list.setdefault((record['list'], record['user']), []).append(record['email'])
    assert by_list[('subuser_bounces', 'subuser@example.com')] == [
        'gone@example.net', 'full-mailbox@example.net', 'blocked@example.org']
    assert by_list[('customer_bounces', 'customer@example.com')] == ['email1@domain.com', 'email2@domain2.com']


def test_customer_list_with_its_user(demo_emulator):
    records = lookup(demo_emulator, {'list': 'customer_invalid_emails', 'user': 'customer@example.com'}, **RESELLER)
    assert [r['email'] for r in records] == ['example@example.com', 'isaac@hotmail']
    assert all(r['user'] == 'customer@example.com' for r in records)


@pytest.mark.parametrize('options,expected', [
    ({'start_date': '2024-01-01', 'end_date': '2025-12-31'}, ['isaac@hotmail', 'typo@gmial.com']),
    ({'end_date': '2012-01-01'}, ['test@example.com']),
    ({'email': 'OLD.customer@example.org'}, ['Old.Customer@Example.org']),
    ({'limit': 2}, ['test@example.com', 'brandon']),
    ({'offset': 3}, ['isaac@hotmail', 'typo@gmial.com']),
    ({'offset': 1, 'limit': 1}, ['brandon']),
    ({'days': 36500}, ['test@example.com', 'brandon', 'Old.Customer@Example.org', 'isaac@hotmail',
                       'typo@gmial.com']),
    ({'days': 1}, []),
])
def test_filters(demo_emulator, options, expected):
    assert [r['email'] for r in lookup(demo_emulator, 'invalid_emails', **options)] == expected


def test_days_on_a_list_without_server_side_days(demo_emulator):
    since = datetime.date(2024, 5, 6)
    days = (datetime.datetime.now(datetime.timezone.utc).date() - since).days + 1
    records = lookup(demo_emulator, 'subuser_bounces', user='subuser@example.com', days=days, **RESELLER)
    assert [r['email'] for r in records] == ['gone@example.net', 'full-mailbox@example.net', 'blocked@example.org']
    records = lookup(demo_emulator, 'subuser_bounces', user='subuser@example.com', days=days - 1, **RESELLER)
    assert [r['email'] for r in records] == ['full-mailbox@example.net', 'blocked@example.org']


def test_query(demo_emulator):
    assert lookup(demo_emulator, 'invalid_emails', query="[?reason=='Bad Syntax'].email") == ['isaac@hotmail']
    assert lookup(demo_emulator, 'invalid_emails', query='length(@)') == [5]


def test_count_only(demo_emulator):
    demo_emulator.reset_stats()
    assert lookup(demo_emulator, 'invalid_emails', count_only=True) == [5]
    assert lookup(demo_emulator, 'invalid_emails', 'subuser_bounces', user='subuser@example.com',
                  count_only=True, start_date='2025-01-01', end_date='2025-12-31', **RESELLER) == [1, 2]
    stats = demo_emulator.stats()['by_endpoint']
    assert stats['api/invalidemails.count']['total'] == 2
    assert 'api/invalidemails.get' not in stats


def test_paging_across_many_pages(emulator_factory):
    emu = emulator_factory('--generate', '2500', data=os.path.join(FIXTURES, 'demo.yml'))
    emu.reset_stats()
    records = lookup(emu, 'invalid_emails')
    assert len(records) == 2505 and len({(r['email'], r['created']) for r in records}) == 2505
    assert emu.stats()['by_endpoint']['api/invalidemails.get']['total'] == 6
    assert lookup(emu, 'invalid_emails', offset=2500) == records[2500:]


def test_values_are_unsafe(emulator_factory):
    emu = emulator_factory(data=os.path.join(FIXTURES, 'demo.yml'), extra={'reseller@example.com': {
        'invalid_emails': [{'email': "{{ lookup('pipe', 'id') }}", 'reason': '{{ 7 * 7 }}'}]}})
    records = lookup(emu, 'invalid_emails', email="{{ lookup('pipe', 'id') }}")
    assert records[0]['email'] == "{{ lookup('pipe', 'id') }}"
    assert is_unsafe(records[0]['email']) and is_unsafe(records[0]['reason'])
    assert all(is_unsafe(v) for v in lookup(emu, 'invalid_emails', query='[].email'))


@pytest.mark.parametrize('terms,options,message', [
    (['spam_reports'], {}, 'the list spam_reports needs api_version v3'),
    (['unsubscribe'], {}, "unknown list 'unsubscribe': choose one of blocks, customer_bounces"),
    ([{'user': 'x'}], {}, 'a dictionary term needs the key "list"'),
    (['subuser_bounces'], {}, 'user is required for the list subuser_bounces'),
    (['invalid_emails'], {'days': 0}, 'days must be an integer from 1 to 36500'),
    (['invalid_emails'], {'days': 3, 'start_date': '2024-01-01'}, 'days cannot be combined with start_date'),
    (['invalid_emails'], {'start_date': '2024-13-01'}, 'start_date must be a real date in YYYY-MM-DD format'),
    (['invalid_emails'], {'start_date': '2024-02-01', 'end_date': '2024-01-01'}, 'must be earlier than end_date'),
    (['invalid_emails'], {'limit': -1}, 'limit must be an integer of 0 or more'),
    (['invalid_emails'], {'query': '[?reason=='}, "query '[?reason==' is not a valid JMESPath expression"),
    (['invalid_emails'], {'query': '[].email', 'count_only': True}, 'query cannot be combined with count_only'),
    (['invalid_emails'], {'api_url': 'localhost:8025'}, 'api_url must be an http:// or https:// URL'),
])
def test_bad_input_is_refused_before_any_request(demo_emulator, terms, options, message):
    demo_emulator.reset_stats()
    with pytest.raises(AnsibleLookupError, match=message.replace('[', r'\[').replace('?', r'\?')):
        lookup(demo_emulator, *terms, **options)
    assert demo_emulator.stats()['total'] == 0


def test_service_errors_name_list_user_and_status(demo_emulator):
    with pytest.raises(AnsibleLookupError) as info:
        lookup(demo_emulator, 'customer_invalid_emails', user='someone-elses-customer@example.com', **RESELLER)
    assert str(info.value) == ('mailops.sendgrid.suppressions: customer_invalid_emails, user '
                               'someone-elses-customer@example.com: Customer someone-elses-customer@example.com is '
                               'not registered under your account (HTTP 403, apiv2/reseller.manage)')
    with pytest.raises(AnsibleLookupError, match=r'Permission denied, wrong credentials \(HTTP 401') as info:
        lookup(demo_emulator, 'invalid_emails', api_key='SG.leaked-if-shown')
    assert 'SG.leaked-if-shown' not in str(info.value)


def test_environment_fallbacks(demo_emulator, monkeypatch):
    monkeypatch.setenv('SENDGRID_API_KEY', 's3cret')
    monkeypatch.setenv('SENDGRID_API_USER', 'reseller@example.com')
    monkeypatch.setenv('SENDGRID_API_URL', demo_emulator.url)
    plugin = lookup_loader.get('mailops.sendgrid.suppressions')
    assert len(plugin.run(['invalid_emails'], variables={})) == 5


@pytest.mark.parametrize('options,expected', [
    ({'reason': '^(Bad|Known)'}, ['test@example.com', 'isaac@hotmail', 'typo@gmial.com']),
    ({'reason': 'unknown$'}, ['Old.Customer@Example.org']),
    ({'domains': ['EXAMPLE.org', '@gmial.com']}, ['Old.Customer@Example.org', 'typo@gmial.com']),
    ({'domains': ['hotmail']}, ['isaac@hotmail']),
    ({'emails': ['BRANDON', 'typo@gmial.com', 'absent@x.y']}, ['brandon', 'typo@gmial.com']),
    ({'reason': 'Bad', 'domains': ['gmial.com']}, []),
    ({'reason': '^(Bad|Known)', 'limit': 1, 'offset': 1}, ['isaac@hotmail']),
    ({'status': '5.'}, []),
])
def test_selectors_on_invalid_emails(demo_emulator, options, expected):
    assert [r['email'] for r in lookup(demo_emulator, 'invalid_emails', **options)] == expected
    assert lookup(demo_emulator, 'invalid_emails', count_only=True, **options) == [len(expected)]


def test_status_prefix_on_bounces(demo_emulator):
    records = lookup(demo_emulator, 'subuser_bounces', user='subuser@example.com', status='5.', **RESELLER)
    assert [r['email'] for r in records] == ['gone@example.net', 'blocked@example.org']


@pytest.mark.parametrize('options,message', [
    ({'reason': '(unclosed'}, "reason must be a valid regular expression, got '\\(unclosed'"),
    ({'status': ' '}, 'status must be a non-empty status prefix'),
    ({'domains': ['example.com', '']}, r"domains\[1\] must be a non-empty string"),
    ({'emails': ['a', ' ']}, r"emails\[1\] must be a non-empty string"),
])
def test_bad_selectors(demo_emulator, options, message):
    with pytest.raises(AnsibleLookupError, match=message):
        lookup(demo_emulator, 'invalid_emails', **options)
