# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The controller side of mailops.sendgrid.sendgrid_suppression_export: the lists streamed into a file on the
controller, in one Python step."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_export import Export, argument_spec, run
from ansible_collections.mailops.sendgrid.plugins.plugin_utils.controller_step import ControllerStep


class ActionModule(ControllerStep):

    module_name = 'sendgrid_suppression_export'
    aftermath = '; the file was left as it was'

    def argument_spec(self):
        return argument_spec()

    def request(self, params):
        return Export(params, check_mode=self._task.check_mode)

    def step(self, request):
        return run(request)

    def os_problem(self, exc):
        return 'dest: cannot write %s: %s' % (self._task.args.get('dest'), exc.strerror or exc)
