"""The project's shape, held: one unit test file per module_utils file and per plugin, no function longer than 40
lines in the collection or the emulator, and an emulator that imports none of the collection's code (it is an
independent check, and a package of its own)."""

import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN_KINDS = ('action', 'filter', 'inventory', 'lookup', 'module_utils', 'modules', 'plugin_utils')
MAX_FUNCTION_LINES = 40


def _python_files(*parts):
    folder = os.path.join(ROOT, *parts)
    return sorted(os.path.join(folder, name) for name in os.listdir(folder)
                  if name.endswith('.py') and name != '__init__.py')


def _has_test_file(kind, name):
    """test_<name>.py, or test_<kind>_<name>.py where a plugin of another kind has the same name (pytest imports
    test files by their base name, so two of one name cannot both be collected)."""
    folder = os.path.join(ROOT, 'tests', 'unit', 'plugins', kind)
    return any(os.path.exists(os.path.join(folder, candidate))
               for candidate in ('test_%s' % name, 'test_%s_%s' % (kind, name)))


@pytest.mark.parametrize('kind', PLUGIN_KINDS)
def test_each_plugin_and_module_utils_file_has_its_test_file(kind):
    missing = [os.path.basename(path) for path in _python_files('plugins', kind)
               if not _has_test_file(kind, os.path.basename(path))]
    assert missing == [], 'no tests/unit/plugins/%s/test_<name>.py for %s' % (kind, ', '.join(missing))


def test_no_two_test_files_share_a_name():
    names = [name for folder, dummy, files in os.walk(os.path.join(ROOT, 'tests', 'unit'))
             for name in files if name.startswith('test_') and name.endswith('.py')]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []


def _long_functions(path):
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    return ['%s:%d %s (%d lines)' % (os.path.relpath(path, ROOT), node.lineno, node.name,
                                     node.end_lineno - node.lineno + 1)
            for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]


def test_no_function_is_longer_than_40_lines():
    paths = [path for kind in PLUGIN_KINDS + ('doc_fragments',) for path in _python_files('plugins', kind)]
    paths += _python_files('tests', 'emulator')
    assert [found for path in paths for found in _long_functions(path)] == []


def test_the_emulator_is_a_package_that_imports_none_of_the_collection():
    assert os.path.exists(os.path.join(ROOT, 'tests', 'emulator', '__init__.py'))
    for path in _python_files('tests', 'emulator'):
        with open(path, encoding='utf-8') as handle:
            tree = ast.parse(handle.read())
        imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        imported += [node.module or '' for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [name for name in imported if name.startswith('ansible')], path
        # Its own modules are imported relative to the package, never through sys.path.
        assert not [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0
                    and os.path.exists(os.path.join(ROOT, 'tests', 'emulator', '%s.py' % node.module))], path


def test_each_module_has_an_integration_target():
    targets = os.listdir(os.path.join(ROOT, 'tests', 'integration', 'targets'))
    modules = [os.path.basename(path)[:-3] for path in _python_files('plugins', 'modules')]
    assert [name for name in modules if name not in targets] == []
