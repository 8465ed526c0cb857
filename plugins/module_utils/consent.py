# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The opt-out rule, in one place: spam reports and unsubscribes are people who said "stop sending to me", so a run
removes them by rule (a selection, a plan, delete_all) only when it says remove_opt_outs. The catalogue says which
lists are opt-outs; the cleanup and the modules ask here."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue

OPTION = 'remove_opt_outs'
BYPASS_FILTERS = ('bypass_list_management', 'bypass_unsubscribe_management', 'bypass_spam_management')


class ConsentError(Exception):
    """A rule-based removal of opt-outs the run did not ask for in words."""


def is_opt_out(list_name):
    kind = catalogue.BY_NAME.get(list_name)
    return bool(kind is not None and kind.consent)


def scope_text(list_name, user=None, group=None):
    """How a refusal names one list: `group_unsubscribes (group Newsletters) of tenant-42`."""
    text = list_name
    if group is not None:
        text += ' (group %s)' % group
    if user:
        text += ' of %s' % user
    return text


def opt_out_counts(scoped_counts):
    """[(scope text, count)] of the opt-out lists among (list, user, group, count), the empty ones left out."""
    return [(scope_text(name, user, group), count) for name, user, group, count in scoped_counts
            if count and is_opt_out(name)]


def selected_opt_outs(selection):
    """opt_out_counts of the ListSelections of a cleanup: what it selected, held-back addresses aside."""
    return opt_out_counts([(entry.list, entry.user, entry.group, entry.selected) for entry in selection])


def refusal(counts, option=OPTION, what='this run'):
    """The message of a refused removal: the lists and counts, the rule, the option, the bypass filters."""
    named = ', '.join('%s: %d' % (scope, count) for scope, count in counts)
    return '%s would remove opt-outs (%s); nothing was deleted. %s' % (what, named, consent_rule(option))


def consent_rule(option=OPTION):
    """Why opt-outs are kept, the option that removes them, and what to do instead."""
    return ('Spam reports and unsubscribes are people who asked not to be mailed, so they are removed by rule only '
            'when the run says %s: true; remove them only when the people asked to hear from you again. To reach '
            'them with mail they must get (password resets, receipts), send with the mail send\'s bypass filters '
            '(%s) instead. Unsubscribes removed can be added back; spam reports cannot be added back through the '
            'API.' % (option, ', '.join(BYPASS_FILTERS)))


def check_removal(counts, allowed, option=OPTION, what='this run'):
    """Refuse (ConsentError) a removal of opt-outs `counts` (see opt_out_counts) that was not `allowed`."""
    if counts and not allowed:
        raise ConsentError(refusal(counts, option, what))
