"""pylint's duplicate-code check (R0801) over every Python file of the project (the collection's plugins, its event
source, the emulator and the tests), `make lint`'s. The documentation constants of the plugins (DOCUMENTATION, EXAMPLES, RETURN) are left out:
Ansible wants them whole in every plugin file (RETURN and EXAMPLES have no doc fragments), and ansible-test sanity
checks them; the check reads a copy of each file with those strings blanked, line for line, so that what it reports
is at the same path and line in the repository."""

import ast
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECKED = ('plugins', 'extensions', 'tests')
SKIPPED = ('__pycache__', 'tests/output')
DOCUMENTATION = ('DOCUMENTATION', 'EXAMPLES', 'RETURN')
# The smallest run of lines that counts as written twice: pylint's own default.
MIN_SIMILARITY_LINES = 4


def without_documentation(text):
    """The source with each documentation constant an empty string on its first line, its other lines empty."""
    lines = text.splitlines()
    for node in ast.parse(text).body:
        names = [getattr(target, 'id', None) for target in getattr(node, 'targets', ())]
        if isinstance(node, ast.Assign) and names[0] in DOCUMENTATION:
            lines[node.lineno - 1] = "%s = ''" % names[0]
            for number in range(node.lineno, node.end_lineno):
                lines[number] = ''
    return '\n'.join(lines) + '\n'


def python_files(root, tops=CHECKED):
    """The Python files under `tops` of `root`, relative to it."""
    for top in tops:
        for folder, dummy, names in os.walk(os.path.join(root, top)):
            if any(skipped in os.path.relpath(folder, root) for skipped in SKIPPED):
                continue
            for name in sorted(names):
                if name.endswith('.py'):
                    yield os.path.relpath(os.path.join(folder, name), root)


def check(root=ROOT, tops=CHECKED):
    """pylint's exit status and report for the Python files of `root`, documentation constants left out."""
    with tempfile.TemporaryDirectory(prefix='mailops-duplicate-code-') as copy:
        paths = list(python_files(root, tops))
        for path in paths:
            os.makedirs(os.path.dirname(os.path.join(copy, path)), exist_ok=True)
            with open(os.path.join(root, path), encoding='utf-8') as handle:
                text = handle.read()
            with open(os.path.join(copy, path), 'w', encoding='utf-8') as handle:
                handle.write(without_documentation(text))
        pylint = shutil.which('pylint', path=os.path.dirname(sys.executable)) or 'pylint'
        run = subprocess.run([pylint, '--disable=all', '--enable=duplicate-code', '--score=n',
                              '--min-similarity-lines=%d' % MIN_SIMILARITY_LINES] + paths,
                             cwd=copy, capture_output=True, text=True, check=False)
        return run.returncode, run.stdout + run.stderr


def main():
    status, report = check()
    print(report.strip() or 'duplicate-code: nothing written twice (pylint, --min-similarity-lines=%d)'
          % MIN_SIMILARITY_LINES)
    return status


if __name__ == '__main__':
    sys.exit(main())
