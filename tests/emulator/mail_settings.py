"""Mail settings as SendGrid's OpenAPI document describes them (`tsg_mail_settings_v3.yaml` in
twilio/sendgrid-oai): the bounce purge, `GET` and `PATCH /v3/mail_settings/bounce_purge`, kept per user (a
parent's setting is not its subusers'). The store applies it whenever that user's bounces are read."""

from . import v3
from .v3 import V3Error, json_body

BOUNCE_PURGE = 'bounce_purge'
# A user that never set it: off, and no age for either kind.
BOUNCE_PURGE_DEFAULT = {'enabled': False, 'soft_bounces': None, 'hard_bounces': None}


def _bounce_purge_changes(body):
    """The fields of a PATCH body, checked as the schema types them: enabled a boolean, the days an integer or
    null. The document gives no bounds for the days."""
    changes = {}
    for name, value in body.items():
        if name == 'enabled':
            if not isinstance(value, bool):
                raise V3Error(400, 'enabled must be true or false', field=name)
        elif name in ('soft_bounces', 'hard_bounces'):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise V3Error(400, '%s must be an integer number of days or null' % name, field=name)
        else:
            raise V3Error(400, 'unknown property %s' % name, field=name)
        changes[name] = value
    return changes


class MailSettings:
    def __init__(self, store):
        self.store = store

    def get_bounce_purge(self, owner):
        return 200, self.store.mail_setting(owner, BOUNCE_PURGE, BOUNCE_PURGE_DEFAULT)

    def update_bounce_purge(self, owner):
        setting = dict(self.store.mail_setting(owner, BOUNCE_PURGE, BOUNCE_PURGE_DEFAULT),
                       **_bounce_purge_changes(json_body()))
        self.store.save_mail_setting(owner, BOUNCE_PURGE, setting)
        return 200, setting


ROUTES = [
    ('/v3/mail_settings/bounce_purge', 'GET', 'get_bounce_purge', 'mail_settings/bounce_purge', 'get'),
    ('/v3/mail_settings/bounce_purge', 'PATCH', 'update_bounce_purge', 'mail_settings/bounce_purge', 'update'),
]


def register(app, store, gate):
    v3.register(app, store, gate, ROUTES, MailSettings(store))
