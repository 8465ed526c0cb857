# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The options of mailops.sendgrid.sendgrid_suppression_cleanup, checked by Ansible's own validator (the module and
its action plugin read the same spec)."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.catalogue import list_names
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import connection_argument_spec


def lists_option():
    """The `lists` option: entries of a list, a user or every subuser of a selection, a group (the export reads
    the same entries)."""
    return dict(type='list', elements='dict', options=dict(
        list=dict(type='str', required=True, choices=list_names()),
        user=dict(type='str'),
        group=dict(type='raw'),
        subusers=dict(type='dict', options=dict(username=dict(type='str'),
                                                include_disabled=dict(type='bool', default=False))),
    ), mutually_exclusive=[('user', 'subusers')])


def argument_spec():
    """The options of mailops.sendgrid.sendgrid_suppression_cleanup, checked by Ansible's own validator."""
    spec = connection_argument_spec()
    spec.update(
        lists=lists_option(),
        days=dict(type='int'), start_date=dict(type='str'), end_date=dict(type='str'), reason=dict(type='str'),
        status=dict(type='str'), domains=dict(type='list', elements='str'), emails=dict(type='list', elements='str'),
        query=dict(type='str'), select_all=dict(type='bool', default=False),
        max_delete=dict(type='int', default=1000), confirm_count=dict(type='int'),
        report_dir=dict(type='path'), report_name=dict(type='str', default=''),
        plan_file=dict(type='path'), apply_plan=dict(type='path'),
        dry_run=dict(type='bool', default=False),
        recover_only=dict(type='bool', default=False),
        remove_opt_outs=dict(type='bool', default=False),
        option_prefix=dict(type='str', default=''),
    )
    return spec
