"""The contract suite: the collection and the emulator importable, and each test of a ContractTests class run once
for every scenario of its test module's SCENARIOS."""

import os
import sys

import pytest

# The promises are asserted in contract.py: its failures show the values compared.
pytest.register_assert_rewrite('contract')

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path[:0] = [HERE, TESTS, os.path.join(TESTS, 'unit')]

from collection_path import put_collection_on_path  # noqa: E402

put_collection_on_path()


def pytest_configure(config):
    """One emulator and one set of playbook runs per test module: its tests stay on one worker (xdist's `load`
    would hand them to both, and each worker would run the module's playbooks again)."""
    if getattr(config.option, 'dist', 'no') == 'load':
        config.option.dist = 'loadfile'


def pytest_generate_tests(metafunc):
    if 'scenario' in metafunc.fixturenames:
        scenarios = metafunc.module.SCENARIOS
        metafunc.parametrize('scenario', scenarios, ids=[scenario.name for scenario in scenarios])
