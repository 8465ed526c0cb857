# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rules a cleanup's settings must keep, checked before any request, once for the module and the role: each
broken rule is one message naming the option (or, with a prefix, the role's variable) and the rule."""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import WINDOW_NAMES
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import SELECTOR_NAMES
from ansible_collections.mailops.sendgrid.plugins.module_utils.catalogue import check, find
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import region_problem, unknown_name_messages

# Every option that narrows a cleanup's selection: the time window, the selectors, the query.
SELECTORS = WINDOW_NAMES + SELECTOR_NAMES + ('query',)


def _blank(value):
    return value is not None and not str(value).strip()


def set_selectors(settings):
    """The selectors that are set, by name."""
    return {name: settings.get(name) for name in SELECTORS if settings.get(name) not in (None, '', [])}


def entry_shape_problems(entries, spec, name):
    """Each list entry checked by the entries' own spec (`spec`: the `lists` option's), its keys first, so that a
    misspelled key is named with the closest valid one and where it is (`lists[1]`), in a line, not in a list of
    every supported key; then its types and choices, by Ansible's validator."""
    if not isinstance(entries, list):
        return []
    found = []
    for index, entry in enumerate(entries):
        where = '%s[%d]' % (name('lists'), index)
        if not isinstance(entry, dict):
            found.append('%s must be a dictionary with the key list, got a %s' % (where, type(entry).__name__))
            continue
        wrong = ['%s: %s' % (where, text) for text in unknown_name_messages(entry, spec['options'], 'key')]
        if isinstance(entry.get('subusers'), dict):
            wrong += ['%s.subusers: %s' % (where, text) for text in unknown_name_messages(
                entry['subusers'], spec['options']['subusers']['options'], 'key')]
        if not wrong:
            validator = ArgumentSpecValidator(spec['options'], mutually_exclusive=spec.get('mutually_exclusive'))
            wrong = ['%s: %s' % (where, text) for text in validator.validate(entry).error_messages]
        found += wrong
    return found


def entry_problems(entries, version, name):
    """The broken rules of each list entry: its list on this API version, its user, its group."""
    found = []
    for index, entry in enumerate(entries or []):
        where = '%s[%d]' % (name('lists'), index)
        user = entry.get('user')
        if _blank(user):
            found.append("%s: user must not be empty or blank; omit it for the account's own list, or name the "
                         "customer or subuser" % where)
            continue
        if entry.get('subusers') is not None and version != 'v3':
            found.append('%s: subusers needs api_version v3, where GET /v3/subusers lists them' % where)
            continue
        try:
            kind = find(entry.get('list'))
            if kind.needs_user(version) and not user and entry.get('subusers') is None:
                found.append('%s: the list %s needs a user (the customer or subuser)' % (where, kind.name))
                continue
            check(kind, version, user or entry.get('subusers') is not None, entry.get('group'))
        except SendGridError as exc:
            found.append('%s: %s' % (where, exc))
    return found


def settings_problems(settings, version, prefix=''):
    """Every rule the settings break (module option names, with `prefix` the role's variables): the connection's
    blank values, the entries, the selection, the guard."""
    def name(option):
        return prefix + option
    found = []
    for option, fallback in (('api_key', 'SENDGRID_API_KEY'), ('api_url', 'SENDGRID_API_URL or the default URL')):
        if _blank(settings.get(option)):
            found.append('%s must not be empty or blank: leave it unset to use %s' % (name(option), fallback))
    if region_problem(settings.get('region')):
        found.append(region_problem(settings['region'], name('region')))
    planned = settings.get('apply_plan') is not None
    if settings.get('recover_only'):
        # It deletes nothing, so the play's own lists and selectors may stay; a plan it would not write may not.
        if settings.get('plan_file') not in (None, ''):
            found.append('%s reports the interrupted runs of the report folder and writes no plan: set no %s beside '
                         'it' % (name('recover_only'), name('plan_file')))
        return found + _guard_problems(settings, name)
    if not settings.get('lists') and not planned:
        found.append('%s must name at least one list (or %s a plan file)' % (name('lists'), name('apply_plan')))
    if version in ('v3', 'v2'):
        found += entry_problems(settings.get('lists'), version, name)
    else:
        found.append('%s must be v3 or v2, got %r' % (name('api_version'), version))
    selectors = set_selectors(settings)
    if not selectors and not settings.get('select_all') and not planned:
        found.append('no selector is set (%s); set %s to true to select every record of the lists' % (
            ', '.join(name(selector) for selector in SELECTORS), name('select_all')))
    return found + _guard_problems(settings, name)


def _guard_problems(settings, name):
    found = []
    if not _integer_at_least(settings.get('max_delete', 1000), 1):
        found.append('%s must be at least 1, got %s' % (name('max_delete'), settings.get('max_delete')))
    if settings.get('confirm_count') not in (None, '') and not _integer_at_least(settings['confirm_count'], 0):
        found.append('%s must be 0 or more, got %s' % (name('confirm_count'), settings['confirm_count']))
    return found


def _integer_at_least(value, minimum):
    try:
        return not isinstance(value, bool) and int(value) >= minimum
    except (TypeError, ValueError):
        return False
