"""make demo: the demo playbook against a fresh emulator on the demo fixture, once on Web API v3 (what live
accounts speak, with an API key) and once on v2 (with the reseller's username and password)."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'emulator'))
from process import FIXTURES, Emulator  # noqa: E402


VERSIONS = (('v3', 'apikey', 'SG.demo-key'), ('v2', 'reseller@example.com', 's3cret'))


def main():
    failed = []
    for version, user, key in VERSIONS:
        with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
            print('=== Web API %s: emulator on the demo fixture at %s' % (version, emu.url), flush=True)
            playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
            reports = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'build', 'demo-reports', version)
            env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_VERSION=version, DEMO_API_USER=user,
                       DEMO_API_KEY=key, DEMO_REPORT_DIR=reports, ANSIBLE_STDOUT_CALLBACK='default',
                       ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
            if subprocess.call([playbook, os.path.join(HERE, 'demo.yml')] + sys.argv[1:], env=env) != 0:
                failed.append(version)
    print('demo: %s' % ('failed on %s' % ', '.join(failed) if failed else 'both API versions ran'), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
