"""sendgrid_block against the emulator: the v3 list module tests it shares with its sibling (v3_list_module_cases.py)."""

import pytest
import v3_list_module_cases as cases

globals().update(cases.TESTS)


@pytest.fixture
def case():
    return cases.BLOCK
