"""address_info.py: the addresses a task asks about, the 1.x list names, and v2 refused; the answers read from the
emulator (one user and the fleet) are in modules/test_sendgrid_suppression_info.py."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.address_info import (
    asked_addresses, check_v3, legacy_names)
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError


def test_addresses_are_kept_as_asked_but_trimmed():
    assert asked_addresses([' A@example.com', 'b@example.com']) == ['A@example.com', 'b@example.com']


@pytest.mark.parametrize('emails,message', [([], 'emails must be a non-empty list'),
                                            ('a@example.com', 'emails must be a non-empty list'),
                                            (['a@example.com', ' '], r'emails\[1\] must be a non-empty string'),
                                            ([None], r'emails\[0\] must be a non-empty string')])
def test_what_is_no_address_is_refused(emails, message):
    with pytest.raises(SendGridError, match=message):
        asked_addresses(emails)


def test_the_legacy_names_rename_lists_records_and_what_was_read():
    story = {'email': 'a@example.com', 'lists': ['subuser_bounces'], 'records': {'subuser_bounces': {'x': 1}},
             'users': [{'user': 'u', 'lists': ['customer_invalid_emails'],
                        'records': {'customer_invalid_emails': {'y': 2}}}]}
    converted, read = legacy_names([story], {'subuser_bounces': 'one address'})
    assert converted[0]['lists'] == ['bounces'] and list(converted[0]['records']) == ['bounces']
    assert converted[0]['users'][0]['lists'] == ['invalid_emails']
    assert read == {'bounces': 'one address'}
    assert legacy_names([], None) == ([], None)


def test_v2_is_refused_before_any_request():
    class V2:
        api_version = 'v2'
    with pytest.raises(SendGridError, match='^the suppression story of an address needs api_version v3'):
        check_v3(V2())
