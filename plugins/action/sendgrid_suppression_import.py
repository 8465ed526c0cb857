# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The controller side of mailops.sendgrid.sendgrid_suppression_import: the source file read and checked whole on
the controller, then only the missing opt-outs added, in one Python step."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_import import (
    MUTUALLY_EXCLUSIVE, Import, argument_spec, run)
from ansible_collections.mailops.sendgrid.plugins.plugin_utils.controller_step import ControllerStep


class ActionModule(ControllerStep):

    module_name = 'sendgrid_suppression_import'
    mutually_exclusive = MUTUALLY_EXCLUSIVE

    def argument_spec(self):
        return argument_spec()

    def request(self, params):
        return Import(params, check_mode=self._task.check_mode, diff=self._task.diff)

    def step(self, request):
        return run(request)
