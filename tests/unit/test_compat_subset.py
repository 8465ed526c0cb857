"""The compat runs (make compat-low, compat-high) run the tests marked compat, not the whole suite: this holds that
subset to its promise, one test through each plugin and the role on the lowest and the newest ansible-core, and
that the integration targets they run exist."""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, 'plugins')
KINDS = ('action', 'filter', 'inventory', 'lookup', 'modules')
ROLE_TESTS = 'tests/unit/plugins/test_cleanup_role_'


def _plugins(kind):
    return sorted(name[:-3] for name in os.listdir(os.path.join(PLUGINS, kind))
                  if name.endswith('.py') and name != '__init__.py')


@pytest.fixture(scope='module')
def compat_files():
    """The test files that hold a test marked compat, as pytest collects them."""
    proc = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-p', 'no:xdist',
                           '--collect-only', '-m', 'compat', 'tests/unit/plugins'], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return {line.split('::')[0] for line in proc.stdout.splitlines() if '::' in line}


@pytest.mark.parametrize('kind', KINDS)
def test_each_plugin_has_a_compat_test(compat_files, kind):
    folder = 'tests/unit/plugins/%s/' % kind
    missing = [name for name in _plugins(kind)
               if not {folder + 'test_%s.py' % name, folder + 'test_%s_%s.py' % (kind, name)} & compat_files]
    assert missing == [], 'no test marked compat in the test file of %s' % ', '.join(missing)


def test_the_role_has_a_compat_test(compat_files):
    assert [path for path in compat_files if path.startswith(ROLE_TESTS)]


def test_the_compat_integration_targets_exist():
    with open(os.path.join(ROOT, 'Makefile'), encoding='utf-8') as handle:
        targets = re.search(r'^COMPAT_TARGETS \?= (.+)$', handle.read(), re.M).group(1).split()
    assert targets and [target for target in targets if not os.path.isdir(
        os.path.join(ROOT, 'tests', 'integration', 'targets', target))] == []
