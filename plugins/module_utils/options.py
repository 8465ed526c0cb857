# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The options every plugin shares (connection, API version, batch size), read once from a module, a lookup, an
inventory or the role through `get(name)` and checked by one set of rules; and the rule that a name no option has
is an error. All of it before any request."""

from __future__ import annotations

import difflib
import math
import os

from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.mailops.sendgrid.plugins.module_utils.constants import (
    API_VERSIONS, DEFAULT_API_URL, DEFAULT_API_VERSION, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_MAX_RETRIES,
    DEFAULT_REGION, DEFAULT_TIMEOUT, MAX_BATCH_SIZE, MAX_CONCURRENCY, MAX_RETRIES, MAX_TIMEOUT, REGION_URLS, REGIONS)
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import OptionError, SendGridError


def unknown_name_messages(given, valid, kind='option'):
    """One message per name of `given` that is not in `valid`, each with the closest valid name.

    A typo must never be ignored: an ignored filter widens a selection, and a widened selection is deleted."""
    valid = sorted(str(name) for name in valid)
    messages = []
    for name in sorted(str(name) for name in given):
        if name in valid:
            continue
        close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
        hint = 'did you mean %s?' % close[0] if close else 'valid: %s' % ', '.join(valid)
        messages.append('unknown %s %s: %s' % (kind, name, hint))
    return messages


def check_known(given, valid, kind='option'):
    """Raise OptionError naming every unknown name of `given` and the closest valid one."""
    messages = unknown_name_messages(given, valid, kind)
    if messages:
        raise OptionError('; '.join(messages))


def connection_argument_spec():
    """The argument spec of the shared options, the mailops.sendgrid.sendgrid doc fragment's (a test holds the two
    equal): every module's spec starts from it."""
    return dict(
        api_user=dict(type='str', fallback=(env_fallback, ['SENDGRID_API_USER'])),
        # Not required here: Ansible's own message would name neither the environment variable nor the action group,
        # so a missing key is refused by connection_options with missing_key_message.
        api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['SENDGRID_API_KEY'])),
        api_url=dict(type='str', fallback=(env_fallback, ['SENDGRID_API_URL'])),
        timeout=dict(type='float', default=DEFAULT_TIMEOUT),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        max_retries=dict(type='int', default=DEFAULT_MAX_RETRIES),
        concurrency=dict(type='int', default=DEFAULT_CONCURRENCY),
        api_version=dict(type='str', choices=list(API_VERSIONS), fallback=(env_fallback, ['SENDGRID_API_VERSION'])),
        region=dict(type='str', choices=list(REGION_URLS), fallback=(env_fallback, ['SENDGRID_REGION'])),
        batch_size=dict(type='int', default=DEFAULT_BATCH_SIZE),
    )


class Options:
    """The shared options of one plugin run, checked: `connection` (the transport's keyword arguments),
    `api_version` and `batch_size`. Handed to the backends' factory, as community.hashi_vault's option adapter."""

    def __init__(self, connection, api_version=DEFAULT_API_VERSION, batch_size=DEFAULT_BATCH_SIZE):
        self.connection = connection
        self.api_version = api_version
        self.batch_size = batch_size

    @classmethod
    def read(cls, get, absent=(), prefix=''):
        """Options from `get(name)` (module params' get, a plugin's get_option); unset means the default. The
        shared options a plugin does not have (`absent`, such as batch_size where nothing is deleted) read as unset.
        `prefix` spells the options as the caller exposes them (the role's variables) in a missing key's message."""
        def read(name):
            return None if name in absent else get(name)
        return cls(connection_options(read, prefix), read_api_version(read), read_batch_size(read))

    def for_region(self, region):
        """These options for a user of `region`: the same, but through that region's URL where the API URL is
        SendGrid's own (an emulator or a proxy serves every region)."""
        url = region_url(region, self.connection['api_url'])
        if url == self.connection['api_url']:
            return self
        return Options(dict(self.connection, api_url=url), self.api_version, self.batch_size)


def _read_choice(get, name, choices, default):
    value = get(name)
    if value is None:
        return default
    if value not in choices:
        raise SendGridError('%s must be %s, got %r' % (name, ' or '.join(choices), value))
    return value


def read_region(get):
    return _read_choice(get, 'region', REGIONS, DEFAULT_REGION)


def region_problem(value, name='region'):
    """The message for a region SendGrid does not have, or None; unset (None, '') is no problem."""
    if value in (None, '') or value in REGIONS:
        return None
    return '%s must be %s, got %r' % (name, ' or '.join(REGIONS), value)


def region_url(region, api_url):
    """The API URL to manage a user of `region` through: that region's when `api_url` is one of SendGrid's own,
    else `api_url` itself."""
    if region in REGION_URLS and api_url in REGION_URLS.values():
        return REGION_URLS[region]
    return api_url


def read_api_version(get):
    return _read_choice(get, 'api_version', API_VERSIONS, DEFAULT_API_VERSION)


def read_batch_size(get):
    value = get('batch_size')
    if value is None:
        return DEFAULT_BATCH_SIZE
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_BATCH_SIZE:
        raise SendGridError('batch_size must be an integer from 1 to %d, got %r' % (MAX_BATCH_SIZE, value))
    return value


def _bounded_number(get, name, kind, default, minimum, maximum, rule):
    value = get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or \
            (kind is int and value != int(value)):
        raise SendGridError('%s must be %s, got %r' % (name, rule, value))
    if value < minimum or value > maximum or (name == 'timeout' and value == 0):
        raise SendGridError('%s must be %s, got %r' % (name, rule, value))
    return kind(value)


def missing_key_message(prefix=''):
    """What a run without a key says: every place a key can be given, by its name, so the reader knows what to set.
    With `prefix` (the role's variables), the variable of that name."""
    if prefix:
        return ('%sapi_key is not set: set the variable %sapi_key, or the environment variable SENDGRID_API_KEY'
                % (prefix, prefix))
    return ('api_key is not set: give the option api_key, or set the environment variable SENDGRID_API_KEY; a lookup '
            'also reads the play variable sendgrid_api_key, and a module the api_key of module_defaults for the '
            'action group group/mailops.sendgrid.sendgrid')


def connection_options(get, prefix=''):
    """The connection options read through `get(name)` and checked by one set of rules, for every plugin.

    Unset (None) means the default; an empty or blank value is an error, never a silent default."""
    for name in ('api_key', 'api_url'):
        value = get(name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise SendGridError('%s must not be empty or blank: leave it unset to use %s' % (
                name, 'SENDGRID_API_KEY' if name == 'api_key' else 'SENDGRID_API_URL or %s' % DEFAULT_API_URL))
    if get('api_key') is None:
        raise SendGridError(missing_key_message(prefix))
    return dict(
        api_user=get('api_user'), api_key=get('api_key'),
        api_url=check_api_url(get('api_url') or REGION_URLS[read_region(get)]),
        timeout=_bounded_number(get, 'timeout', float, DEFAULT_TIMEOUT, 0, MAX_TIMEOUT,
                                'greater than 0 and at most %d seconds' % MAX_TIMEOUT),
        max_retries=_bounded_number(get, 'max_retries', int, DEFAULT_MAX_RETRIES, 0, MAX_RETRIES,
                                    'an integer from 0 to %d' % MAX_RETRIES),
        concurrency=_bounded_number(get, 'concurrency', int, DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY,
                                    'an integer from 1 to %d' % MAX_CONCURRENCY),
        validate_certs=get('validate_certs') is not False, ca_path=_existing_ca_path(get('ca_path')))


def _existing_ca_path(ca_path):
    """ca_path when it names a file or directory that exists; else requests would fail later, in its own words."""
    if ca_path is None:
        return None
    if not isinstance(ca_path, str) or not ca_path.strip() or not os.path.exists(os.path.expanduser(ca_path)):
        raise SendGridError('ca_path must be an existing file (or directory) of PEM certificate authorities, got %r'
                            % (ca_path,))
    return os.path.expanduser(ca_path)


def check_api_url(api_url):
    """The base URL without a trailing slash; never one that carries credentials, and never printed if it does."""
    url = (api_url or '').strip().rstrip('/')
    try:
        parts = urlsplit(url)
        has_credentials = parts.username is not None or parts.password is not None
    except ValueError:
        raise SendGridError('api_url is not a valid URL') from None
    if has_credentials or '@' in parts.netloc:
        raise SendGridError('api_url must not contain credentials (user:password@): give them in api_user and '
                            'api_key; the URL is not shown, since it holds a secret')
    if parts.scheme.lower() not in ('http', 'https') or not parts.netloc:
        raise SendGridError('api_url must be an http:// or https:// URL such as %s, got %r' % (DEFAULT_API_URL, api_url))
    return url
