"""make demo: the demo playbook against a fresh emulator on the demo fixture, once on Web API v3 (what live
accounts speak, with an API key) and once on v2 (with the reseller's username and password). It tells what
happened in a few lines a version; Ansible's whole output goes to a log file it names."""

import json
import os
import re
import subprocess
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from emulator.process import FIXTURES, Emulator  # noqa: E402

VERSIONS = (('v3', 'apikey', 'SG.demo-key'), ('v2', 'reseller@example.com', 's3cret'))
# Where the logs, summaries and reports go (DEMO_OUTPUT, for the tests; build/demo by default).
OUTPUT = os.environ.get('DEMO_OUTPUT') or os.path.join(ROOT, 'build', 'demo')
RECAP = re.compile(r'^localhost\s+:\s+(.*)$', re.M)


def shown(path):
    """A path as the reader finds it: relative to the checkout when inside it."""
    relative = os.path.relpath(path, ROOT)
    return path if relative.startswith('..') else relative


def records(emu):
    with urllib.request.urlopen(emu.url + '/_emulator/health', timeout=30) as answer:
        return json.load(answer)['records']


def story(version, emu, before, after, summary, log):
    """The run in a few lines: what was there, what each step did, where the rest is."""
    listed = summary['listed']
    lines = [
        'Web API %s, emulator at %s, demo fixture: %d suppression records' % (version, emu.url, before),
        '  1. the account lists %d invalid emails: %s%s'
        % (len(listed), ', '.join(listed[:4]), ', ...' if len(listed) > 4 else ''),
        '  2. check mode with diff: would delete %s (%d of 3 addresses; %s not listed)'
        % (', '.join(summary['preview']['deleted']), len(summary['preview']['deleted']),
           ', '.join(summary['preview']['missing']) or 'none'),
        '  3. the real run deleted %s; run again, it changed nothing (deleted %d)'
        % (', '.join(summary['removal']['deleted']), len(summary['second_run']['deleted']))
        if not summary['second_run']['changed'] else '  3. the second run changed something: see the log',
        '  4. a subuser\'s bounce removed: %s' % ', '.join(summary['bounce']),
        '  5. cleanup role across 4 lists: the dry run selected %s, the real run (confirming that count) deleted %s'
        % (summary['dry_run']['selected'], summary['cleanup']['deleted']),
        '     per list: %s' % ', '.join('%s %s' % item for item in summary['lists'].items()),
        '  the emulator held %d records before, %d after' % (before, after),
        '  report: %s.json and .csv' % shown(summary['report']),
        '  full Ansible output: %s' % shown(log),
    ]
    return '\n'.join(lines)


def run(version, user, key):
    """Run the demo on one API version; (the story, the recap line, whether it passed)."""
    os.makedirs(OUTPUT, exist_ok=True)
    log = os.path.join(OUTPUT, 'demo-%s.log' % version)
    summary_path = os.path.join(OUTPUT, 'summary-%s.json' % version)
    if os.path.exists(summary_path):
        os.remove(summary_path)
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        before = records(emu)
        playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
        env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_VERSION=version, DEMO_API_USER=user,
                   DEMO_API_KEY=key, DEMO_REPORT_DIR=os.path.join(OUTPUT, 'reports', version),
                   DEMO_SUMMARY=summary_path, ANSIBLE_STDOUT_CALLBACK='default', ANSIBLE_NOCOLOR='1',
                   ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
        with open(log, 'w', encoding='utf-8') as output:
            code = subprocess.call([playbook, os.path.join(HERE, 'demo.yml')] + sys.argv[1:], env=env, stdout=output,
                                   stderr=subprocess.STDOUT)
        after = records(emu)
    with open(log, encoding='utf-8') as output:
        recap = RECAP.findall(output.read())
    recap_line = 'localhost: %s' % re.sub(r'\s+', ' ', recap[-1]).strip() if recap else 'no play recap'
    if code != 0 or not os.path.exists(summary_path):
        return 'Web API %s: the demo failed (%s); see %s' % (version, recap_line, shown(log)), \
            recap_line, False
    with open(summary_path, encoding='utf-8') as handle:
        summary = json.load(handle)
    return story(version, emu, before, after, summary, log), recap_line, True


def main():
    print('mailops.sendgrid demo, on Web API v3 and on v2: the modules (list, check mode and diff, removal, an\n'
          'unchanged second run), then the cleanup role (dry run, confirmed real run, report).\n', flush=True)
    failed = []
    for version, user, key in VERSIONS:
        text, recap, passed = run(version, user, key)
        print(text + '\n  ' + recap + '\n', flush=True)
        if not passed:
            failed.append(version)
    print('demo: %s' % ('failed on %s' % ', '.join(failed) if failed else 'both API versions ran'), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
