"""`make lint`'s duplicate-code check (tests/tools/duplicate_code.py, pylint's R0801): code written twice fails it,
at its path and line in the repository; the documentation constants Ansible wants whole in every plugin do not.
(That the project passes it is `make lint`'s to say.)"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'tools'))
import duplicate_code  # noqa: E402  pylint: disable=wrong-import-position

FUNCTION = '''

def spread(values, width):
    total = 0
    for value in values:
        total += value * width
        if total > 100:
            total -= 100
    return total
'''
DOCUMENTATION = '''
DOCUMENTATION = r"""
module: %s
options:
  email:
    description: One address.
    type: str
  state:
    description: V(absent) removes it.
    type: str
    choices: [absent, present]
"""
'''


def _write(root, path, text):
    os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
    with open(os.path.join(root, path), 'w', encoding='utf-8') as handle:
        handle.write(text)


def test_code_written_twice_fails_at_its_place(tmp_path):
    one = '"""One."""\n' + DOCUMENTATION % 'one' + FUNCTION
    _write(tmp_path, 'plugins/modules/one.py', one)
    _write(tmp_path, 'tests/unit/two.py', '"""Two."""\n' + FUNCTION)
    status, report = duplicate_code.check(str(tmp_path))
    assert status != 0 and 'duplicate-code' in report, report
    # pylint counts lines from 0: the first duplicated line of one.py, after its documentation, where it is.
    assert '==one:[%d:' % one.splitlines().index('    total = 0') in report, report


def test_the_documentation_of_two_plugins_may_say_the_same(tmp_path):
    _write(tmp_path, 'plugins/modules/first.py', '"""First."""\n' + DOCUMENTATION % 'first' + 'FIRST = 1\n')
    _write(tmp_path, 'plugins/modules/second.py', '"""Second."""\n' + DOCUMENTATION % 'second' + 'SECOND = 2\n')
    assert duplicate_code.check(str(tmp_path)) == (0, '')
