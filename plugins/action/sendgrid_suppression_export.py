# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The controller side of mailops.sendgrid.sendgrid_suppression_export: the lists streamed into a file on the
controller, in one Python step."""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import OptionError
from ansible_collections.mailops.sendgrid.plugins.module_utils.progress import reporting
from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_export import Export, argument_spec, run
from ansible_collections.mailops.sendgrid.plugins.module_utils.write_guard import WriteBlocked

display = Display()


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        validated = ArgumentSpecValidator(argument_spec()).validate(self._task.args)
        if validated.error_messages:
            result.update(failed=True, msg='; '.join(validated.error_messages))
            return result
        try:
            export = Export(validated.validated_parameters, check_mode=self._task.check_mode)
            with stopping.watching(), reporting(export.progress, self._tell):
                result.update(run(export))
        except (OptionError, WriteBlocked) as exc:
            result.update(failed=True, changed=False, msg=str(exc))
        except SendGridError as exc:
            result.update(failed=True, changed=False, msg='%s; the file was left as it was' % exc, status=exc.status,
                          api_message=exc.api_message)
        except OSError as exc:
            result.update(failed=True, changed=False, msg='dest: cannot write %s: %s' % (
                self._task.args.get('dest'), exc.strerror or exc))
        except stopping.RunStopped as exc:
            result.update(failed=True, changed=False, interrupted=True,
                          msg='the export was %s; the file was left as it was' % exc)
        return result

    def _tell(self, line):
        display.display('sendgrid_suppression_export [%s]: %s' % (self._task.get_name(), line))
