"""The API key scopes the emulator enforces: for each v3 request (method, endpoint as the stats name it), the
scopes that allow it, any one of them. SendGrid's documents do not map endpoints to scopes; the names are those of
its API key permissions list, and the README lists this table. The collection keeps its own table
(plugins/module_utils/permissions.py); a unit test holds the two equal."""

LISTS = ('bounces', 'blocks', 'invalid_emails', 'spam_reports')
GROUP = 'asm/groups/{group_id}'
WEBHOOKS = 'user/webhooks/event/settings'
# What SendGrid answers, with 403, to a key without the scope a request needs.
ACCESS_FORBIDDEN = 'access forbidden'


def _lists():
    for name in LISTS:
        for path in ('suppression/%s' % name, 'suppression/%s/{email}' % name):
            yield ('GET', path), ('suppression.read', 'suppression.%s.read' % name)
            yield ('DELETE', path), ('suppression.delete', 'suppression.%s.delete' % name)


REQUIRED = dict(_lists())
REQUIRED.update({
    ('GET', 'suppression/unsubscribes'): ('suppression.read', 'suppression.unsubscribes.read'),
    ('POST', 'asm/suppressions/global'): ('asm.suppressions.global.create',),
    ('GET', 'asm/suppressions/global/{email}'): ('asm.suppressions.global.read',),
    ('DELETE', 'asm/suppressions/global/{email}'): ('asm.suppressions.global.delete',),
    ('GET', 'asm/groups'): ('asm.groups.read',),
    ('POST', 'asm/groups'): ('asm.groups.create',),
    ('GET', GROUP): ('asm.groups.read',),
    ('PATCH', GROUP): ('asm.groups.update',),
    ('DELETE', GROUP): ('asm.groups.delete',),
    ('GET', GROUP + '/suppressions'): ('asm.groups.suppressions.read',),
    ('POST', GROUP + '/suppressions'): ('asm.groups.suppressions.create',),
    ('POST', GROUP + '/suppressions/search'): ('asm.groups.suppressions.read',),
    ('DELETE', GROUP + '/suppressions/{email}'): ('asm.groups.suppressions.delete',),
    ('GET', 'asm/suppressions'): ('asm.groups.suppressions.read',),
    ('GET', 'asm/suppressions/{email}'): ('asm.groups.suppressions.read',),
    ('GET', 'subusers'): ('subusers.read',),
    ('POST', WEBHOOKS): ('user.webhooks.event.settings.create',),
    ('GET', WEBHOOKS + '/all'): ('user.webhooks.event.settings.read',),
    ('GET', WEBHOOKS + '/{id}'): ('user.webhooks.event.settings.read',),
    ('PATCH', WEBHOOKS + '/{id}'): ('user.webhooks.event.settings.update',),
    ('DELETE', WEBHOOKS + '/{id}'): ('user.webhooks.event.settings.delete',),
    ('GET', WEBHOOKS + '/signed/{id}'): ('user.webhooks.event.settings.read',),
    ('PATCH', WEBHOOKS + '/signed/{id}'): ('user.webhooks.event.settings.update',),
    ('GET', 'mail_settings/bounce_purge'): ('mail_settings.bounce_purge.read',),
    ('PATCH', 'mail_settings/bounce_purge'): ('mail_settings.bounce_purge.update',),
})
# A key given without scopes holds all of these (and a few SendGrid gives every key).
EVERY_SCOPE = sorted({scope for scopes in REQUIRED.values() for scope in scopes} | {
    'suppression.create', 'suppression.update', 'mail.send', 'user.profile.read'})


def forbids(held, method, endpoint):
    """True when a key holding `held` (None: every scope) may not send `method` `endpoint`. A request the table
    does not hold (the bounce classifications: no documented scope) is allowed."""
    needed = REQUIRED.get((method, endpoint))
    return held is not None and needed is not None and not any(scope in held for scope in needed)


def readme_rows():
    """The README's table of the scopes enforced, one row per endpoint and method."""
    return ['| `%s` | %s | %s |' % (endpoint, method, ' or '.join('`%s`' % scope for scope in scopes))
            for (method, endpoint), scopes in sorted(REQUIRED.items(), key=lambda item: (item[0][1], item[0][0]))]
