"""Leave the journal a real cleanup run leaves when it is SIGKILLed mid-delete: run as a process of its own that
writes the journal through the collection's Journal and dies without a word (`python killed_run.py FOLDER URL
USER EMAIL...`): the first address answered as deleted, the others in flight."""

import os
import sys

from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import Journal


def main(folder, api_url, user, *emails):
    journal = Journal(os.path.join(folder, 'suppression_cleanup-20250101T000000Z-run.journal'), {
        'run': 'killed', 'report_name': '', 'started': '2025-01-01T00:00:00Z', 'api_url': api_url,
        'api_version': 'v3', 'select_all': True, 'remove_opt_outs': False})
    journal.selected(len(emails))
    scope = journal.scope(0, 'blocks', user, None)
    journal.answered(journal.before(scope, list(emails[:1])))
    journal.before(scope, list(emails[1:]))
    os._exit(9)      # as a SIGKILL: no end written, the lock let go with the process


if __name__ == '__main__':
    main(*sys.argv[1:])
