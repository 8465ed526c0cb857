# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the export and the import share as action plugins: one Python step on the controller, its options checked
by their argument spec, stopped cleanly by a signal, its progress told, and every failure a task result."""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import OptionError
from ansible_collections.mailops.sendgrid.plugins.module_utils.progress import reporting
from ansible_collections.mailops.sendgrid.plugins.module_utils.write_guard import WriteBlocked

display = Display()


class ControllerStep(ActionBase):
    """A subclass names its module (`module_name`), its argument spec (`argument_spec()`, `mutually_exclusive`),
    what a request is (`request(params)`, with a `progress`), how it runs (`step(request)`), and what a failure
    leaves behind (`aftermath`, added to a SendGrid error and a stop)."""

    TRANSFERS_FILES = False
    _requires_connection = False
    module_name = ''
    mutually_exclusive = ()
    aftermath = ''

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        validated = ArgumentSpecValidator(self.argument_spec(), mutually_exclusive=list(self.mutually_exclusive)) \
            .validate(self._task.args)
        if validated.error_messages:
            result.update(failed=True, msg='; '.join(validated.error_messages))
            return result
        try:
            request = self.request(validated.validated_parameters)
            with stopping.watching(), reporting(request.progress, self._tell):
                result.update(self.step(request))
        except (OptionError, WriteBlocked) as exc:
            result.update(failed=True, changed=False, msg=str(exc))
        except SendGridError as exc:
            result.update(failed=True, changed=False, msg='%s%s' % (exc, self.aftermath), status=exc.status,
                          api_message=exc.api_message)
        except OSError as exc:
            result.update(failed=True, changed=False, msg=self.os_problem(exc))
        except stopping.RunStopped as exc:
            result.update(failed=True, changed=False, interrupted=True,
                          msg='the %s was %s%s' % (self.module_name.rsplit('_', 1)[-1], exc, self.aftermath))
        return result

    def argument_spec(self):
        raise NotImplementedError

    def request(self, params):
        raise NotImplementedError

    def step(self, request):
        raise NotImplementedError

    def os_problem(self, exc):
        raise exc

    def _tell(self, line):
        display.display('%s [%s]: %s' % (self.module_name, self._task.get_name(), line))
