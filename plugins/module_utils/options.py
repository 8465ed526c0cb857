# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rules every plugin applies to the names and values it is given, before any request."""

from __future__ import annotations

import difflib


class OptionError(ValueError):
    """A name or value that breaks a rule; the text names the option and the rule."""


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
