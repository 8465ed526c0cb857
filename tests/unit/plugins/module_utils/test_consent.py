"""consent.py: which lists are people's opt-outs, how a refusal names them, and that a refusal needs the option."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.consent import (
    ConsentError, check_removal, is_opt_out, opt_out_counts, refusal, scope_text)


@pytest.mark.parametrize('name,opt_out', [('spam_reports', True), ('unsubscribes', True),
                                          ('group_unsubscribes', True), ('bounces', False), ('blocks', False),
                                          ('invalid_emails', False), ('no_such_list', False)])
def test_opt_outs_are_the_catalogues_consent_lists(name, opt_out):
    assert is_opt_out(name) is opt_out


def test_a_scope_names_its_group_and_user():
    assert scope_text('group_unsubscribes', 'tenant-42', 'Newsletters') == \
        'group_unsubscribes (group Newsletters) of tenant-42'
    assert scope_text('unsubscribes') == 'unsubscribes'


def test_only_opt_outs_with_records_are_counted():
    assert opt_out_counts([('spam_reports', None, None, 2), ('bounces', None, None, 5),
                           ('unsubscribes', 'u', None, 0)]) == [('spam_reports', 2)]


def test_a_refusal_names_the_counts_the_option_and_the_bypass_filters():
    text = refusal([('spam_reports', 2)], option='suppression_cleanup_remove_opt_outs')
    assert text.startswith('this run would remove opt-outs (spam_reports: 2); nothing was deleted.')
    assert 'when the run says suppression_cleanup_remove_opt_outs: true' in text
    assert 'bypass_unsubscribe_management' in text


def test_a_removal_is_refused_unless_allowed():
    check_removal([], allowed=False)
    check_removal([('spam_reports', 1)], allowed=True)
    with pytest.raises(ConsentError, match='remove_opt_outs: true'):
        check_removal([('spam_reports', 1)], allowed=False)
