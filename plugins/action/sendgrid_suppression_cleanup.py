# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The controller side of mailops.sendgrid.sendgrid_suppression_cleanup: the whole cleanup in one Python step."""

from __future__ import annotations

try:
    import jmespath
except ImportError:
    jmespath = None

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.mailops.sendgrid.plugins.module_utils import cleanup
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_checks import set_selectors, settings_problems
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import OptionError, Options, read_api_version
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import (
    FILTER_NAMES, SELECTOR_NAMES, Filters, Selectors)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        validated = ArgumentSpecValidator(
            cleanup.argument_spec(), mutually_exclusive=[('plan_file', 'apply_plan')],
        ).validate(self._task.args)
        if validated.error_messages:
            result.update(failed=True, msg='; '.join(validated.error_messages))
            return result
        try:
            request = self._request(validated.validated_parameters)
            result.update(cleanup.run(request))
        except (cleanup.CleanupError, OptionError) as exc:
            result.update(failed=True, changed=False, msg=str(exc))
        except SendGridError as exc:
            result.update(failed=True, changed=False, msg=str(exc), status=exc.status, api_message=exc.api_message)
        if result.get('msg') and not result.get('failed'):
            result['failed'] = True
        return result

    def _request(self, params):
        """The checked request, before any request to SendGrid."""
        problems = settings_problems(params, read_api_version(params.get))
        if problems:
            raise OptionError('; '.join(problems))
        values = set_selectors(params)
        return cleanup.Request(
            Options.read(params.get), params['lists'] or [],
            Filters(times=True, **{name: params.get(name) for name in FILTER_NAMES if name in params}),
            Selectors(**{name: params[name] for name in SELECTOR_NAMES}), query=_query(params['query']),
            select_all=params['select_all'], dry_run=bool(self._task.check_mode), max_delete=params['max_delete'],
            confirm_count=params['confirm_count'], report_dir=params['report_dir'],
            report_name=params['report_name'], plan_file=params['plan_file'],
            apply_plan=cleanup.read_plan(params['apply_plan']) if params['apply_plan'] else None,
            selector_values=values)


def _query(text):
    if text is None:
        return None
    if jmespath is None:
        raise OptionError('the query option needs the Python library jmespath')
    try:
        return jmespath.compile(text)
    except jmespath.exceptions.JMESPathError as exc:
        raise OptionError('query %r is not a valid JMESPath expression: %s' % (text, exc)) from None
