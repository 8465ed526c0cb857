"""What differs on Web API v2: every call is a POST, reads included, so check mode must still read and never
delete; the lists v2 had; the v3-only modules refused the same way in check mode as in a real run."""

import pytest

from contract import ContractTests, module_runs
from scenarios import V2_CUSTOMERS, V2_SCENARIOS

SCENARIOS = V2_SCENARIOS


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    yield from module_runs(tmp_path_factory, 'contract-v2', V2_CUSTOMERS, SCENARIOS, 'v2')


class TestModulesV2(ContractTests):
    pass
