# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mark values that come from SendGrid as unsafe, so that Ansible never templates them."""

from __future__ import annotations

from ansible.utils.unsafe_proxy import wrap_var


def make_unsafe(value):
    # An address or a bounce reason is text an outsider chose (`{{ lookup('pipe', 'id') }}` is a valid local
    # part); wrap_var marks it, recursively, as data that must never be evaluated as a template.
    return wrap_var(value)
