"""Let `ansible-test --venv` bootstrap pip on a machine that reaches PyPI but not ansible-test's file host.

ansible-test runs a cached get-pip script (~/.ansible/test/cache/get_pip_<version>.py) in each new venv, and
downloads one when none is cached. This writes a stand-in there that installs pip with the standard library's
ensurepip and then asks pip for the exact packages ansible-test pins, so the venvs are the same as upstream's.
"""

import os
import re
import sys

STAND_IN = '''"""get-pip stand-in written by tests/tools/ansible_test_get_pip.py: ensurepip, then the pinned packages."""
import subprocess
import sys

IGNORED = ('--no-setuptools', '--no-wheel')
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'],
                      stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet']
                      + [arg for arg in sys.argv[1:] if arg not in IGNORED])
'''


def pinned_pip_version():
    import ansible_test
    source = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
    with open(source, encoding='utf-8') as handle:
        match = re.search(r"pip='([0-9.]+)'", handle.read())
    if not match:
        raise SystemExit('cannot find the pip version ansible-test pins in %s' % source)
    return match.group(1)


def main():
    version = pinned_pip_version()
    path = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % version.replace('.', '_'))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    existing = open(path, encoding='utf-8').read() if os.path.exists(path) else None
    if existing is None or 'get-pip stand-in' in existing:
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(STAND_IN)
    return 0


if __name__ == '__main__':
    sys.exit(main())
