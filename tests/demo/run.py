"""make demo: start the emulator on the demo fixture and run the demo playbook against it."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'emulator'))
from process import FIXTURES, Emulator  # noqa: E402


def main():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emu:
        print('Emulator on the demo fixture at %s' % emu.url, flush=True)
        playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
        reports = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'build', 'demo-reports')
        env = dict(os.environ, SENDGRID_API_URL=emu.url, DEMO_REPORT_DIR=reports, ANSIBLE_STDOUT_CALLBACK='default',
                   ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
        return subprocess.call([playbook, os.path.join(HERE, 'demo.yml')] + sys.argv[1:], env=env)


if __name__ == '__main__':
    sys.exit(main())
