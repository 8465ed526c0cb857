# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every module shares: the connection argument spec and the one call from AnsibleModule into the engine."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue
from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client, open_list
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import OptionError, SendGridError, require_v3
from ansible_collections.mailops.sendgrid.plugins.module_utils.constants import DEFAULT_BATCH_SIZE
from ansible_collections.mailops.sendgrid.plugins.module_utils.http_core import REQUESTS_IMPORT_ERROR, url_secrets
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan import PlanError, run
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options, connection_argument_spec, read_api_version
from ansible_collections.mailops.sendgrid.plugins.module_utils.write_guard import WriteBlocked


def suppression_argument_spec():
    """email/emails/state/delete_all, the options of every suppression-list module."""
    return dict(
        email=dict(type='str'),
        emails=dict(type='list', elements='str'),
        state=dict(type='str', default='absent', choices=['absent', 'present']),
        delete_all=dict(type='bool', default=False),
    )


def suppression_module(**options):
    """The AnsibleModule of a suppression-list module: connection and email options, plus the module's own."""
    # delete_all is not declared exclusive of email/emails: an explicit `delete_all: false` beside them is fine,
    # and `delete_all: true` beside them is refused by the engine with its own message.
    return connection_module(mutually_exclusive=[('email', 'emails')], batch_size=dict(type='int',
                             default=DEFAULT_BATCH_SIZE), **dict(suppression_argument_spec(), **options))


def connection_module(mutually_exclusive=None, **options):
    """The AnsibleModule of a module with the connection options (without batch_size) and its own; check mode
    supported, secrets in api_url masked, a blank user refused."""
    argument_spec = connection_argument_spec()
    del argument_spec['batch_size']
    argument_spec.update(options)
    module = AnsibleModule(argument_spec=argument_spec, mutually_exclusive=mutually_exclusive or [],
                           supports_check_mode=True)
    # A password in api_url is refused by the client; masked here first, so that Ansible's echo of the arguments
    # does not print it either.
    for secret in url_secrets(module.params.get('api_url')):
        module.no_log_values.add(secret)
    # A blank api_key is refused with a message; masked as a no_log value, its blank would garble that message.
    api_key = module.params.get('api_key')
    if isinstance(api_key, str) and not api_key.strip():
        module.no_log_values.discard(api_key)
    user = module.params.get('user')
    if user is not None and not user.strip():
        module.fail_json(msg='user must not be empty or blank: omit it to manage the account\'s own list, or name '
                             'the customer or subuser')
    return module


def run_module(module, module_name):
    """Run the plan for the list the catalogue says `module_name` manages with these parameters, and end the
    module with its result."""
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    kind = catalogue.for_module(module_name, params)
    user, group = params.get('user'), params.get('group')
    version = read_api_version(params.get)
    # Which lists need a user depends on the API version (on v3 no user means the account's own list).
    if user is None and kind.needs_user(version):
        module.fail_json(msg='missing required arguments: user (%s, with api_version %s)' % (kind.description, version))
    emails = [params['email']] if params['email'] is not None else params['emails']
    if params['email'] is not None and not params['email'].strip():
        module.fail_json(msg='email must be a non-empty string, got %r' % params['email'])
    if not params['delete_all'] and emails is None:
        module.fail_json(msg='one of the following is required: email, emails, delete_all')
    try:
        options = Options.read(params.get)
        client = open_client(options, read_only=module.check_mode)
        suppression_list = open_list(client, kind.name, user, group, batch_size=options.batch_size)
        result = run(suppression_list, emails=emails, state=params['state'], delete_all=params['delete_all'],
                     concurrency=params['concurrency'], check_mode=module.check_mode,
                     remove_opt_outs=bool(params.get('remove_opt_outs')))
    except (PlanError, WriteBlocked) as exc:
        module.fail_json(msg=str(exc))
    except (SendGridError, OptionError) as exc:
        module.fail_json(msg=str(exc), list=kind.name, user=user,
                         status=getattr(exc, 'status', None), api_message=getattr(exc, 'api_message', None))
    diff = result.pop('diff')
    if module._diff:
        result['diff'] = diff
    if 'msg' in result:
        module.fail_json(**result)
    module.exit_json(**result)


# The `subusers` option of the modules that manage a setting of every subuser of a selection.
SUBUSERS_OPTION = dict(type='dict', options=dict(username=dict(type='str'),
                                                 include_disabled=dict(type='bool', default=False)))


def service_module(mutually_exclusive=None, **options):
    """The AnsibleModule of a module that is not a list's plan (groups, an address's story, settings): the
    connection options and its own, and the requests library present."""
    module = connection_module(mutually_exclusive=mutually_exclusive, **options)
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    return module


def run_service(module, answer, v3_only=None, read_only=False):
    """The result of answer(client, options) for a service module, with a `diff` kept only in diff mode. What
    SendGrid or the options refuse fails the task, naming the user, the status and SendGrid's message. `v3_only`,
    (feature, what v2 lacks), refuses Web API v2 before any request. The client is read-only in check mode, and
    always for a module that only reads (`read_only`)."""
    params = module.params
    try:
        options = Options.read(params.get)
        if v3_only:
            require_v3(options.api_version, *v3_only)
        result = answer(open_client(options, read_only=read_only or module.check_mode), options)
    except WriteBlocked as exc:
        module.fail_json(msg=str(exc))
    except (SendGridError, OptionError) as exc:
        module.fail_json(msg=str(exc), user=getattr(exc, 'user', None) or params.get('user'),
                         status=getattr(exc, 'status', None), api_message=getattr(exc, 'api_message', None))
    diff = result.pop('diff', None)
    if module._diff and diff is not None:
        result['diff'] = diff
    return result


def settings_module(**options):
    """The AnsibleModule of a setting kept per user (the Event Webhook, the bounce purge): connection options,
    `user` or a `subusers` selection, and the module's own."""
    return service_module(mutually_exclusive=[('user', 'subusers')], user=dict(type='str'), subusers=SUBUSERS_OPTION,
                          **options)


def run_settings(module, what, entries_key, for_one, for_many, single_keys=()):
    """End a settings module: for_one(client) gives the entry of `user` (or the account), for_many(client,
    options) the entries of the `subusers` selection, each {user, changed, diff, ...} or {user, failed, msg}.
    The result holds them under `entries_key`, and with one user its `single_keys` and diff; a failed user fails
    the task, naming each, after the others were done."""
    many = module.params['subusers'] is not None
    results = run_service(module, lambda client, options: {
        'entries': for_many(client, options) if many else [for_one(client)]})['entries']
    diffs = [entry.pop('diff') for entry in results if 'diff' in entry]
    result = {'changed': any(entry['changed'] for entry in results), entries_key: results}
    if not many:
        result.update((key, results[0][key]) for key in single_keys)
    if module._diff:
        result['diff'] = diffs if many else diffs[0]
    failed = [entry for entry in results if entry.get('failed')]
    if failed:
        module.fail_json(msg='the %s of %d of %d users failed: %s' % (
            what, len(failed), len(results), '; '.join('%s: %s' % (entry['user'], entry['msg']) for entry in failed)),
            **result)
    module.exit_json(**result)
