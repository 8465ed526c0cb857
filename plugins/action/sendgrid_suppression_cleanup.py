# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The controller side of mailops.sendgrid.sendgrid_suppression_cleanup: the whole cleanup in one Python step."""

from __future__ import annotations

import os

try:
    import jmespath
except ImportError:
    jmespath = None

from ansible import constants as C
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.mailops.sendgrid.plugins.module_utils import cleanup, plan_file, stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_arguments import argument_spec
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import CleanupError, Request
from ansible_collections.mailops.sendgrid.plugins.module_utils.progress import Progress, reporting
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_checks import (
    entry_shape_problems, set_selectors, settings_problems)
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import (
    OptionError, Options, read_api_version, region_problem, unknown_name_messages)
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import FILTER_NAMES, Filters
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import SELECTOR_NAMES, Selectors
from ansible_collections.mailops.sendgrid.plugins.module_utils.write_guard import WriteBlocked


display = Display()
# Where a real run without report_dir keeps its journal and report: no real run goes unrecorded.
DEFAULT_REPORT_DIR = ('mailops.sendgrid', 'cleanup_reports')
# The options that name files on the controller; relative, they are relative to the playbook's folder.
PATHS = ('plan_file', 'apply_plan', 'report_dir')
# The facts a role built on this action sets (the suppression_cleanup role's report and run-wide summary): named with
# its option_prefix, they are no typo.
ROLE_FACTS = ('report', 'run_summary')


def default_report_dir():
    return os.path.join(C.config.get_config_value('ANSIBLE_HOME'), *DEFAULT_REPORT_DIR)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        problems, params = self._checked(task_vars or {})
        if problems:
            result.update(failed=True, changed=False, msg='; '.join(problems))
            return result
        try:
            request = self._request(_beside_the_playbook(params, task_vars))
            result.update(self._watched(request))
        except (CleanupError, OptionError) as exc:
            result.update(failed=True, changed=False, msg=str(exc))
        except SendGridError as exc:
            result.update(failed=True, changed=False, msg=str(exc), status=exc.status, api_message=exc.api_message)
        except WriteBlocked as exc:
            result.update(failed=True, changed=False, msg=str(exc))
        except stopping.RunStopped as exc:
            result.update(failed=True, changed=False, interrupted=True,
                          msg='the cleanup was %s before any delete; nothing was deleted' % exc)
        if result.get('msg') and not result.get('failed'):
            result['failed'] = True
        return result

    def _checked(self, task_vars):
        """(every broken rule, the validated parameters), before any request: in a role (option_prefix), its
        variables that it does not know (typos), then the list entries, the options, the cleanup's own rules,
        each worded with the prefix."""
        args = self._task.args
        prefix = args.get('option_prefix') or ''

        def name(option):
            return prefix + option
        spec = argument_spec()
        problems = _unknown_variables(self._loader, task_vars, prefix)
        # Worded here, in the role's names too, before Ansible's validator words them in the module's.
        shape = entry_shape_problems(args.get('lists'), spec['lists'], name)
        if region_problem(args.get('region')):
            shape.append(region_problem(args['region'], name('region')))
        if shape:
            return problems + shape, None
        validated = ArgumentSpecValidator(spec, mutually_exclusive=[('plan_file', 'apply_plan')]).validate(args)
        if validated.error_messages:
            return problems + validated.error_messages, None
        params = validated.validated_parameters
        return problems + settings_problems(params, read_api_version(params.get), prefix), params

    def _watched(self, request):
        """The run, stopped cleanly by SIGINT, SIGTERM or the controller's death, telling its progress."""
        try:
            with stopping.watching(), reporting(request.progress, self._tell):
                outcome = cleanup.run(request)
        finally:
            if stopping.parent_gone():
                # Nobody is left to take the result: the journal is closed and the report written; end quietly.
                os._exit(1)  # pylint: disable=protected-access
        if outcome.get('journal') and not self._task.args.get('report_dir'):
            display.display('sendgrid_suppression_cleanup: no report_dir, so the journal and report are in %s'
                            % os.path.dirname(outcome['journal']))
        return outcome

    def _tell(self, line):
        # One line, as it is (a warning would be wrapped, and a path cut in two); from the worker it goes through
        # the controller's display, so AWX records it as it comes.
        display.display('sendgrid_suppression_cleanup [%s]: %s' % (self._task.get_name(), line))

    def _request(self, params):
        """The checked request, before any request to SendGrid."""
        values = set_selectors(params)
        return Request(
            Options.read(params.get, prefix=params['option_prefix']), params['lists'] or [],
            Filters(times=True, **{name: params.get(name) for name in FILTER_NAMES if name in params}),
            Selectors(**{name: params[name] for name in SELECTOR_NAMES}), query=_query(params['query']),
            select_all=params['select_all'], dry_run=self._dry_run(params), check_mode=bool(self._task.check_mode),
            dry_run_option=params['dry_run'], max_delete=params['max_delete'],
            confirm_count=params['confirm_count'], report_dir=self._report_dir(params),
            report_name=params['report_name'], plan_file=params['plan_file'],
            apply_plan=self._plan(params['apply_plan']), selector_values=values, recover_only=params['recover_only'],
            remove_opt_outs=params['remove_opt_outs'], option_prefix=params['option_prefix'], progress=Progress())

    def _dry_run(self, params):
        """Check mode is always a dry run; `dry_run` asks for one outside it, and can never turn check mode off."""
        return bool(self._task.check_mode) or params['dry_run']

    def _report_dir(self, params):
        if params['report_dir'] or (self._dry_run(params) and not params['recover_only']):
            return params['report_dir']
        return default_report_dir()

    @staticmethod
    def _plan(path):
        try:
            return plan_file.read(path) if path else None
        except plan_file.PlanFileError as exc:
            raise CleanupError(str(exc)) from None


def _unknown_variables(loader, task_vars, prefix):
    """One message per variable named with `prefix` that the calling role does not know, with the closest name it
    knows: Ansible ignores a variable no option has, and an ignored selector would widen what is deleted. The role's
    variables are the options of its meta/argument_specs.yml (the spec Ansible validates them with) and its facts."""
    role_path = task_vars.get('role_path')
    path = os.path.join(role_path or '', 'meta', 'argument_specs.yml')
    if not prefix or not role_path or not os.path.isfile(path):
        return []
    options = ((loader.load_from_file(path) or {}).get('argument_specs') or {}).get('main', {}).get('options') or {}
    known = list(options) + [prefix + fact for fact in ROLE_FACTS]
    return unknown_name_messages([name for name in task_vars if str(name).startswith(prefix)], known, 'variable')


def _beside_the_playbook(params, task_vars):
    """The parameters with a relative plan_file, apply_plan or report_dir made relative to the playbook's folder
    (playbook_dir), wherever ansible-playbook was started: one rule for the three paths, the role's and the
    module's."""
    base = (task_vars or {}).get('playbook_dir')
    if not base:
        return params
    return dict(params, **{name: os.path.join(base, params[name]) for name in PATHS
                           if params.get(name) and not os.path.isabs(params[name])})


def _query(text):
    if text is None:
        return None
    if jmespath is None:
        raise OptionError('the query option needs the Python library jmespath')
    try:
        return jmespath.compile(text)
    except jmespath.exceptions.JMESPathError as exc:
        raise OptionError('query %r is not a valid JMESPath expression: %s' % (text, exc)) from None
