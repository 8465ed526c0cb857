"""backends.py: the factory picks the client of api_version and the catalogue's class on it, before any
request, and passes a user on only where the list takes one."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils import lists_v2, lists_v3, lists_v3_unsubscribes
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client, open_list, open_lists
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options

NOWHERE = 'http://127.0.0.1:1'


def _options(**values):
    return Options.read(dict(dict(api_key='SG.k', api_url=NOWHERE), **values).get)


def test_the_client_of_the_version():
    assert isinstance(open_client(_options()), ClientV3)
    assert isinstance(open_client(_options(api_version='v2')), ClientV2)


@pytest.mark.parametrize('name,user,cls,sent_user', [
    ('invalid_emails', 'ignored', lists_v3.InvalidEmails, None),
    ('customer_invalid_emails', 'account-id 1', lists_v3.InvalidEmails, 'account-id 1'),
    ('subuser_bounces', None, lists_v3.Bounces, None),
    ('blocks', 'tenant-42', lists_v3.Blocks, 'tenant-42'),
    ('unsubscribes', None, lists_v3_unsubscribes.Unsubscribes, None),
])
def test_v3_lists(name, user, cls, sent_user):
    opened = open_list(open_client(_options()), name, user, batch_size=7)
    assert opened.__class__ is cls and opened.user == sent_user and opened.name == name
    assert opened.delete_batch_size == (1 if opened.can_add else 7)


@pytest.mark.parametrize('name,user,cls', [('invalid_emails', None, lists_v2.AccountInvalidEmails),
                                           ('customer_bounces', 'c@x.test', lists_v2.CustomerBounces),
                                           ('subuser_bounces', 's@x.test', lists_v2.SubuserBounces)])
def test_v2_lists(name, user, cls):
    opened = open_list(open_client(_options(api_version='v2')), name, user)
    assert opened.__class__ is cls and opened.delete_batch_size == 1


def test_a_group_list_keeps_its_group_until_a_request_resolves_it():
    opened = open_list(open_client(_options()), 'group_unsubscribes', None, ' Newsletters ')
    assert (opened.group, opened.group_id) == ('Newsletters', None)


def test_every_selection_is_checked_before_the_first_list_opens():
    with pytest.raises(SendGridError, match='the list blocks needs api_version v3'):
        open_lists(_options(api_version='v2'), [('invalid_emails', None, None), ('blocks', None, None)])
    client, lists = open_lists(_options(batch_size=9), [('blocks', None, None), ('spam_reports', 'u', None)])
    assert [x.delete_batch_size for x in lists] == [9, 9] and all(x.client is client for x in lists)
