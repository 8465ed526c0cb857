"""The list modules on Web API v3, with the options that write the most (delete_all, remove_opt_outs, state):
--check and check_mode: true send no write, check mode tells what the real run then does, a second real run
writes nothing, the key shows nowhere."""

import pytest

from contract import ContractRuns, ContractTests, Runner, module_play, write_fixture
from emulator.process import Emulator
from scenarios import V3_CUSTOMERS, V3_LIST_SCENARIOS

SCENARIOS = V3_LIST_SCENARIOS


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp('contract-v3-lists')
    with Emulator('--data', write_fixture(folder / 'fixture.yml', V3_CUSTOMERS)) as emulator:
        yield ContractRuns(Runner(str(folder), emulator), SCENARIOS, lambda **how: module_play(SCENARIOS, 'v3', **how))


class TestListModulesV3(ContractTests):
    pass
