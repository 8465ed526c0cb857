# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reviewed plan file: what a dry run says a real run will delete, written, read back, and refused when it was
edited, made for another API, or applied by a task whose lists or selectors differ from the ones it was made with.

A plan holds the entries and selectors as the task wrote them (so the same playbook can apply its own plan, and a
differing one is refused without a request), the users they expanded to, and per list the addresses."""

from __future__ import annotations

import datetime
import hashlib
import json
import os

from ansible_collections.mailops.sendgrid.plugins.module_utils.consent import consent_rule, opt_out_counts
from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import private_folder
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import region_problem
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import WINDOW_NAMES, Filters, address_key
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import SELECTOR_NAMES, Selectors

PLAN_FORMAT = 2


class PlanFileError(Exception):
    """A plan refused before any request; the text says what to do."""


def digest(document):
    """The SHA-256 of the plan's content without its digest, in one canonical JSON form."""
    content = {key: value for key, value in document.items() if key != 'digest'}
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(',', ':')).encode('utf-8')).hexdigest()


def as_written(entries):
    """The task's list entries without the options it left unset, in one form for the plan and the comparison."""
    def plain(value):
        if isinstance(value, dict):
            return {key: plain(item) for key, item in sorted(value.items()) if item is not None}
        return value
    return [plain(entry) for entry in entries or []]


def make(request, selection, regions):
    """The plan document of a dry run's selection, digest included."""
    document = {
        'format': PLAN_FORMAT, 'api_url': request.options.connection['api_url'],
        'api_version': request.options.api_version,
        'created': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'selectors': request.selector_values, 'select_all': bool(request.select_all),
        'remove_opt_outs': bool(request.remove_opt_outs), 'entries': as_written(request.entries),
        'lists': [dict({'list': entry.list, 'user': entry.user, 'group': entry.group,
                        'addresses': sorted(set(entry.deletable()), key=lambda email: (address_key(email), email))},
                       **({'region': region} if region else {}))
                  for entry, region in zip(selection, regions)],
    }
    document['digest'] = digest(document)
    return document


def write(document, path):
    private_folder(os.path.dirname(os.path.abspath(path)))
    with private_file(path) as handle:
        json.dump(document, handle, indent=2, sort_keys=True)
        handle.write('\n')
    return {'path': path, 'digest': document['digest'], 'addresses': address_count(document)}


def read(path):
    try:
        with open(path, encoding='utf-8') as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise PlanFileError('apply_plan: cannot read the plan %s: %s' % (path, exc)) from None


def private_file(path):
    """A file only its owner may read: reports and plans name the addresses."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w', encoding='utf-8')


def address_count(document):
    """What the reviewer saw: the number of addresses the plan holds (what confirm_count confirms)."""
    return sum(len(entry['addresses']) for entry in document['lists'])


def check(document, options):
    """(list, user, group, region, addresses) of each entry, after refusing a plan of another format, one that was
    edited, or one made for another API URL or version."""
    if isinstance(document, dict) and document.get('format') == 1:
        raise PlanFileError('apply_plan: the plan is of format 1 (collection 1.0.0), which does not record the '
                            'entries it was made from; make it again with a dry run and plan_file')
    if not isinstance(document, dict) or document.get('format') != PLAN_FORMAT or not isinstance(
            document.get('lists'), list) or not isinstance(document.get('entries'), list):
        raise PlanFileError('apply_plan: not a plan this module wrote (format %d)' % PLAN_FORMAT)
    if document.get('digest') != digest(document):
        raise PlanFileError('apply_plan: the digest does not match the content: the plan was changed after the dry '
                            'run wrote it; nothing was deleted. Make a new plan with a dry run')
    for name, value in (('api_url', options.connection['api_url']), ('api_version', options.api_version)):
        if document.get(name) != value:
            raise PlanFileError('apply_plan: the plan was made for %s %s, not %s; nothing was deleted' % (
                name, document.get(name), value))
    entries = []
    for index, entry in enumerate(document['lists']):
        if not isinstance(entry, dict) or not isinstance(entry.get('addresses'), list) or not all(
                isinstance(email, str) and email.strip() for email in entry['addresses']):
            raise PlanFileError('apply_plan: lists[%d] has no list of addresses' % index)
        if region_problem(entry.get('region')):
            raise PlanFileError('apply_plan: %s' % region_problem(entry['region'], 'lists[%d].region' % index))
        entries.append((entry.get('list'), entry.get('user'), entry.get('group'), entry.get('region'),
                        entry['addresses']))
    return entries


def opt_out_problem(document, remove_opt_outs):
    """Why a plan holding opt-outs cannot be applied with this run's remove_opt_outs, or None: the option is part of
    what the reviewer approved, so it must be the plan's, both ways."""
    counts = opt_out_counts([(entry.get('list'), entry.get('user'), entry.get('group'), len(entry['addresses']))
                             for entry in document['lists']])
    if not counts:
        return None
    made_with = bool(document.get('remove_opt_outs'))
    held = ', '.join('%s: %d' % pair for pair in counts)
    if not made_with:
        return ('apply_plan: the plan holds opt-outs (%s) and was made without remove_opt_outs, so no run applies it '
                '(it would remove opt-outs its reviewer was not asked to approve); nothing was deleted. To remove '
                'them, make the plan again with a dry run that sets remove_opt_outs: true, and have it reviewed. %s'
                % (held, consent_rule()))
    if not remove_opt_outs:
        return ('apply_plan: the plan holds opt-outs (%s) and was made with remove_opt_outs: true, which the reviewer '
                'approved; apply it with remove_opt_outs: true. Nothing was deleted' % held)
    return None


def differences(document, entries, selector_values, select_all):
    """Why a task's own lists and selectors are not the plan's: one text per difference, none when the task sets
    none of them (the plan brings its own) or sets exactly the plan's."""
    written = as_written(entries)
    if not written and not selector_values and not select_all:
        return []
    found = []
    if written != document['entries']:
        found.append('lists: the plan was made from %s, the task has %s' % (
            json.dumps(document['entries']), json.dumps(written)))
    planned = document.get('selectors') or {}
    for name in sorted(set(planned) | set(selector_values)):
        if planned.get(name) != selector_values.get(name):
            found.append('%s: the plan was made with %s, the task has %s' % (
                name, json.dumps(planned.get(name)), json.dumps(selector_values.get(name))))
    if bool(document.get('select_all')) != bool(select_all):
        found.append('select_all: the plan was made with %s, the task has %s' % (
            json.dumps(bool(document.get('select_all'))), json.dumps(bool(select_all))))
    return found


def selectors_of(document):
    """(Filters, Selectors) of the selectors a plan was made with (its query aside): they tell the new matches."""
    values = document.get('selectors') or {}
    filters = Filters(times=True, **{name: values.get(name) for name in WINDOW_NAMES})
    selectors = Selectors(**{name: values.get(name) for name in SELECTOR_NAMES})
    return filters, selectors
