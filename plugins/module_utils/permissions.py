# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""THE table of API key permissions (SendGrid calls them scopes): which scopes each operation of the collection
needs, as alternatives (any one of them is enough). Named `permissions` so that it is not taken for the journal's
scope, one list of one user.

SendGrid's API documents do not map operations to scopes; the names come from SendGrid's API key and teammate
permissions lists, and the mapping is ours. The bounce classifications have no documented scope: they are in no
entry and never pre-checked."""

from __future__ import annotations

import re

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError

SCOPES_PATH = 'scopes'
SUPPRESSION_LISTS = ('bounces', 'blocks', 'invalid_emails', 'spam_reports')
_ID = '[^/]+'
_ANY_TAIL = '(/.+)?'


class Permission:
    """One operation: its name, what it does (in words for a message), the scopes that allow it (any one), and the
    v3 requests (method, path pattern) that perform it."""

    def __init__(self, name, doing, scopes, requests, writes=False):
        self.name = name
        self.doing = doing
        self.scopes = tuple(scopes)
        self.requests = tuple((method, re.compile(pattern + '$')) for method, pattern in requests)
        self.writes = writes

    def allowed(self, held):
        return any(scope in held for scope in self.scopes)

    def wording(self):
        """`a` or `b`: what it is for, as a refusal names it."""
        return '%s: %s' % (' or '.join('`%s`' % scope for scope in self.scopes), self.doing)

    def __repr__(self):
        return 'Permission(%s)' % self.name


def _list_entries(name):
    path = 'suppression/%s' % name
    words = name.replace('_', ' ')
    return (
        Permission('read_' + name, 'reading %s' % words, ('suppression.read', 'suppression.%s.read' % name),
                   [('GET', path + _ANY_TAIL)]),
        Permission('delete_' + name, 'deleting from %s' % words,
                   ('suppression.delete', 'suppression.%s.delete' % name), [('DELETE', path + _ANY_TAIL)], True),
    )


def _entry(name, doing, scope, requests, writes=False):
    return Permission(name, doing, (scope,), requests, writes)


_WEBHOOKS = 'user/webhooks/event/settings'
PERMISSIONS = sum((_list_entries(name) for name in SUPPRESSION_LISTS), ()) + (
    Permission('read_unsubscribes', 'reading global unsubscribes',
               ('suppression.read', 'suppression.unsubscribes.read'), [('GET', 'suppression/unsubscribes')]),
    _entry('read_global_unsubscribe', 'looking up one global unsubscribe', 'asm.suppressions.global.read',
           [('GET', 'asm/suppressions/global/.+')]),
    _entry('add_unsubscribes', 'adding global unsubscribes', 'asm.suppressions.global.create',
           [('POST', 'asm/suppressions/global')], True),
    _entry('delete_unsubscribes', 'deleting global unsubscribes', 'asm.suppressions.global.delete',
           [('DELETE', 'asm/suppressions/global/.+')], True),
    _entry('read_groups', 'reading unsubscribe groups', 'asm.groups.read', [('GET', 'asm/groups(/%s)?' % _ID)]),
    _entry('create_groups', 'creating unsubscribe groups', 'asm.groups.create', [('POST', 'asm/groups')], True),
    _entry('update_groups', 'changing unsubscribe groups', 'asm.groups.update', [('PATCH', 'asm/groups/' + _ID)],
           True),
    _entry('delete_groups', 'deleting unsubscribe groups', 'asm.groups.delete', [('DELETE', 'asm/groups/' + _ID)],
           True),
    _entry('read_group_unsubscribes', 'reading the unsubscribes of groups', 'asm.groups.suppressions.read',
           [('GET', 'asm/groups/%s/suppressions' % _ID), ('POST', 'asm/groups/%s/suppressions/search' % _ID),
            ('GET', 'asm/suppressions'), ('GET', 'asm/suppressions/(?!global/).+')]),
    _entry('add_group_unsubscribes', 'adding unsubscribes to groups', 'asm.groups.suppressions.create',
           [('POST', 'asm/groups/%s/suppressions' % _ID)], True),
    _entry('delete_group_unsubscribes', 'deleting unsubscribes from groups', 'asm.groups.suppressions.delete',
           [('DELETE', 'asm/groups/%s/suppressions/.+' % _ID)], True),
    _entry('read_subusers', 'reading the subusers', 'subusers.read', [('GET', 'subusers')]),
    _entry('read_webhooks', 'reading Event Webhooks', 'user.webhooks.event.settings.read',
           [('GET', _WEBHOOKS + _ANY_TAIL)]),
    _entry('create_webhooks', 'creating Event Webhooks', 'user.webhooks.event.settings.create',
           [('POST', _WEBHOOKS)], True),
    _entry('update_webhooks', 'changing Event Webhooks (signing too)', 'user.webhooks.event.settings.update',
           [('PATCH', _WEBHOOKS + _ANY_TAIL)], True),
    _entry('delete_webhooks', 'deleting Event Webhooks', 'user.webhooks.event.settings.delete',
           [('DELETE', _WEBHOOKS + _ANY_TAIL)], True),
    _entry('read_bounce_purge', 'reading the bounce purge setting', 'mail_settings.bounce_purge.read',
           [('GET', 'mail_settings/bounce_purge')]),
    _entry('update_bounce_purge', 'changing the bounce purge setting', 'mail_settings.bounce_purge.update',
           [('PATCH', 'mail_settings/bounce_purge')], True),
)
BY_NAME = {permission.name: permission for permission in PERMISSIONS}
# Requests that need no scope of this table: the bounce classifications (no documented scope) and the scopes.
_UNCHECKED = re.compile(r'(suppression/bounces/classifications(/[^/]+)?|%s)$' % SCOPES_PATH)

# What a purge (read, then delete) of each kind of list needs, by the kinds the info module takes; the catalogue's
# lists map onto them.
PURGES = {
    'bounces': ('read_bounces', 'delete_bounces'),
    'blocks': ('read_blocks', 'delete_blocks'),
    'invalid_emails': ('read_invalid_emails', 'delete_invalid_emails'),
    'spam_reports': ('read_spam_reports', 'delete_spam_reports'),
    'unsubscribes': ('read_unsubscribes', 'delete_unsubscribes'),
    'group_unsubscribes': ('read_groups', 'read_group_unsubscribes', 'delete_group_unsubscribes'),
}
CATALOGUE_KINDS = {'customer_bounces': 'bounces', 'subuser_bounces': 'bounces',
                   'customer_invalid_emails': 'invalid_emails'}
# The catalogue's lists, as a role or the cleanup names them in `lists` (the guide's table shows these names, not
# the kinds above; a unit test holds them equal to the catalogue, which this file cannot import: the v3 client,
# under the catalogue, imports this table).
CLEANUP_LISTS = ('blocks', 'customer_bounces', 'customer_invalid_emails', 'group_unsubscribes', 'invalid_emails',
                 'spam_reports', 'subuser_bounces', 'unsubscribes')
# The other intents the info module answers, each the operations it needs.
INTENTS = {
    'groups': ('read_groups', 'create_groups', 'update_groups', 'delete_groups'),
    'webhook': ('read_webhooks', 'create_webhooks', 'update_webhooks', 'delete_webhooks'),
    'bounce_purge': ('read_bounce_purge', 'update_bounce_purge'),
    'subusers': ('read_subusers',),
}


def for_list(list_name):
    """The operations that read and delete the catalogue list `list_name`."""
    return [BY_NAME[name] for name in PURGES[CATALOGUE_KINDS.get(list_name, list_name)]]


def for_request(method, path):
    """The entry whose requests include `method` `path` (a v3 path without `v3/` and without the query), or None
    for a request the table does not hold."""
    path = path.split('?', 1)[0].strip('/')
    if _UNCHECKED.match(path):
        return None
    return next((permission for permission in PERMISSIONS
                 if any(method == verb and pattern.match(path) for verb, pattern in permission.requests)), None)


def forbidden_hint(method, path, problem):
    """SendGrid's message of a 403, with the scopes the table says the request likely needed. A refusal of
    on-behalf-of is about the user, not the key: it is left as it is."""
    permission = for_request(method, path)
    if permission is None or 'on-behalf-of' in (problem or ''):
        return problem
    return '%s; the API key likely needs one of %s' % (problem, permission.wording())


def missing(held, permissions):
    """The permissions none of whose scopes is `held`, each once, in the order given."""
    seen, lacking = set(), []
    for permission in permissions:
        if permission.name not in seen and not permission.allowed(held):
            seen.add(permission.name)
            lacking.append(permission)
    return lacking


def for_entries(entries, writes=True):
    """What a run over the cleanup's `lists` entries needs: the reads (and, with `writes`, the deletes) of each
    list, and reading the subusers when an entry selects them."""
    needed = [permission for entry in entries for permission in for_list(entry['list'])
              if writes or not permission.writes]
    if any(entry.get('subusers') is not None for entry in entries):
        needed.append(BY_NAME['read_subusers'])
    return needed


def checked(client, needed, dry_run=False):
    """check_key, its refusal raised as a SendGridError (the run must not start); the KeyCheck for its
    warnings."""
    key = check_key(client, needed, dry_run=dry_run)
    if key.refusal:
        raise SendGridError(key.refusal)
    return key


def key_scopes(client):
    """The key's scopes from `GET /v3/scopes` (asked without on-behalf-of: a subuser's call is held, we assume, to
    its parent key's scopes), or None when SendGrid refuses to tell (401 or 403)."""
    try:
        answer = client.call('GET', SCOPES_PATH)
    except SendGridError as exc:
        if exc.status in (401, 403):
            return None
        raise
    scopes = answer.get('scopes') if isinstance(answer, dict) else None
    if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):
        raise client.unexpected("the API key's scopes", answer, endpoint='GET v3/%s' % SCOPES_PATH)
    return set(scopes)


class KeyCheck:
    """The outcome of checking a key before a run: `refusal` (the run must not start) and `warnings`."""

    def __init__(self, refusal=None, warnings=()):
        self.refusal = refusal
        self.warnings = list(warnings)


SKIPPED = ("the API key's scopes could not be read (GET /v3/scopes refused it), so they were not checked before "
           "the run")


def check_key(client, permissions, dry_run=False):
    """Ask the key's scopes once, before the first read. A real run is refused when any permission is missing; a
    dry run only when a read is, and warned of the missing writes (it will not write). v2 has no scopes."""
    if client.api_version != 'v3' or not permissions:
        return KeyCheck()
    held = key_scopes(client)
    if held is None:
        return KeyCheck(warnings=[SKIPPED])
    lacking = missing(held, permissions)
    blocking = [permission for permission in lacking if not (dry_run and permission.writes)]
    if blocking:
        return KeyCheck(refusal='the API key lacks scopes this run needs, so nothing was read or changed: %s'
                        % '; '.join(permission.wording() for permission in blocking))
    if lacking:
        return KeyCheck(warnings=['the API key lacks scopes a real run needs (this dry run writes nothing): %s'
                                  % '; '.join(permission.wording() for permission in lacking)])
    return KeyCheck()


# ---- what a key can do, for the info module ---------------------------------------------------------------------

def _purge_needs(kind):
    return [BY_NAME[name] for name in PURGES[kind]]


def _read_needs(kind):
    return [permission for permission in _purge_needs(kind) if not permission.writes]


def _gap(intent, permission):
    return {'intent': intent, 'scopes': list(permission.scopes), 'needed_for': permission.doing}


def assess(held, purge=(), read=(), others=()):
    """(allowed, missing) for the intents asked: `purge` and `read` list kinds of PURGES, `others` names of
    INTENTS. `allowed` says per intent (and kind) whether the key can; `missing` lists each permission it lacks,
    with the intent that needs it. With `held` None (the scopes could not be read) every answer is None."""
    allowed, lacking = {}, []

    def judge(intent, needed):
        gaps = missing(held, needed) if held is not None else []
        lacking.extend(_gap(intent, permission) for permission in gaps)
        return None if held is None else not gaps

    for intent, kinds, needs in (('purge', purge, _purge_needs), ('read', read, _read_needs)):
        if kinds:
            allowed[intent] = {kind: judge('%s %s' % (intent, kind), needs(kind)) for kind in kinds}
    for intent in others:
        allowed[intent] = judge(intent, [BY_NAME[name] for name in INTENTS[intent]])
    return allowed, lacking


# ---- what each plugin needs, for the getting started guide ----------------------------------------------------

LIST_READS = (
    'read_bounces', 'read_blocks', 'read_spam_reports', 'read_invalid_emails', 'read_unsubscribes',
    'read_group_unsubscribes')
# (what runs, the operations it reads with, those it writes with); a purge of each list is in PURGES.
USES = (
    ('``sendgrid_api_key_info``', (), ()),
    ('``sendgrid_block``', ('read_blocks',), ('delete_blocks',)),
    ('``sendgrid_bounce_purge``', ('read_bounce_purge',), ('update_bounce_purge',)),
    ('``sendgrid_event_webhook``', ('read_webhooks',), ('create_webhooks', 'update_webhooks', 'delete_webhooks')),
    ('``sendgrid_invalid_email``', ('read_invalid_emails',), ('delete_invalid_emails',)),
    ('``sendgrid_spam_report``', ('read_spam_reports',), ('delete_spam_reports',)),
    ('``sendgrid_subuser_bounce``', ('read_bounces',), ('delete_bounces',)),
    ('``sendgrid_suppression_export``: of these, the scopes of the lists it exports', LIST_READS + ('read_groups',),
     ()),
    ('``sendgrid_suppression_import`` into the global unsubscribes', ('read_unsubscribes',), ('add_unsubscribes',)),
    ('``sendgrid_suppression_import`` into a group', ('read_groups', 'read_group_unsubscribes'),
     ('add_group_unsubscribes',)),
    ('``sendgrid_suppression_import`` with ``create_groups``', (), ('create_groups',)),
    ('``sendgrid_suppression_info``', LIST_READS, ()),
    ('``sendgrid_unsubscribe``', ('read_unsubscribes',), ('add_unsubscribes', 'delete_unsubscribes')),
    ('``sendgrid_unsubscribe`` with ``group``', ('read_groups', 'read_group_unsubscribes'),
     ('add_group_unsubscribes', 'delete_group_unsubscribes')),
    ('``sendgrid_unsubscribe_group``', ('read_groups',), ('create_groups', 'update_groups', 'delete_groups')),
    ('the ``subusers`` inventory; any ``subusers`` selection', ('read_subusers',), ()),
)


def _rst_scopes(names):
    return '; '.join(' or '.join('``%s``' % scope for scope in BY_NAME[name].scopes) for name in names) or 'none'


def _list_table(title, header, rows):
    lines = ['.. list-table:: %s' % title, '   :header-rows: 1', '']
    for row in [header] + rows:
        lines.append('   * - %s' % row[0])
        lines.extend('     - %s' % cell for cell in row[1:])
    return lines


def rst_tables():
    """The getting started guide's tables, in reStructuredText: what each module needs, what a purge of each list
    (the cleanup, the role) needs, and every operation of the table."""
    uses = [(name, _rst_scopes(reads), _rst_scopes(writes)) for name, reads, writes in USES]
    purges = [('``%s``' % name, _rst_scopes([p.name for p in for_list(name) if not p.writes]),
               _rst_scopes([p.name for p in for_list(name) if p.writes])) for name in CLEANUP_LISTS]
    operations = [(permission.doing, _rst_scopes([permission.name])) for permission in PERMISSIONS]
    return '\n'.join(
        _list_table('What each module needs: every item, and of an item with ``or`` any one scope', ('module', 'to read', 'to change'), uses)
        + [''] + _list_table('What the cleanup and the role need for each list they purge',
                             ('list', 'to read (and for a dry run)', 'to delete'), purges)
        + [''] + _list_table('Every operation and the scopes that allow it', ('operation', 'scopes (any one)'),
                             operations)) + '\n'


def checked_first(module, names, for_many):
    """for_many(client, options) of a module's task over many users, with the key's scopes checked once before
    its first read: the task fails naming the missing scopes of the operations `names` (those it surely needs),
    and the warnings go to the module."""
    def run(client, options):
        key = checked(client, [BY_NAME[name] for name in names], dry_run=module.check_mode)
        for warning in key.warnings:
            module.warn(warning)
        return for_many(client, options)
    return run
