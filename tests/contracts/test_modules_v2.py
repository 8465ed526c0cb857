"""What differs on Web API v2: every call is a POST, reads included, so check mode must still read and never
delete; the lists v2 had; the v3-only modules refused the same way in check mode as in a real run."""

import pytest

from contract import ContractRuns, ContractTests, Runner, module_play, write_fixture
from emulator.process import Emulator
from scenarios import V2_CUSTOMERS, V2_SCENARIOS

SCENARIOS = V2_SCENARIOS


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp('contract-v2')
    with Emulator('--data', write_fixture(folder / 'fixture.yml', V2_CUSTOMERS)) as emulator:
        yield ContractRuns(Runner(str(folder), emulator), SCENARIOS, lambda **how: module_play(SCENARIOS, 'v2', **how))


class TestModulesV2(ContractTests):
    pass
