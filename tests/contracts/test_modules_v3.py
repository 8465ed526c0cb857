"""Every module of the action group on Web API v3, with the options that write the most: --check and check_mode:
true send no write, check mode tells what the real run then does, a second real run writes nothing, the key
shows nowhere."""

import pytest

from contract import ContractRuns, ContractTests, Runner, module_play, tasks_play, write_fixture
from emulator.process import Emulator
from scenarios import V3_CUSTOMERS, V3_SCENARIOS, V3_SETUP

SCENARIOS = V3_SCENARIOS


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp('contract-v3')
    with Emulator('--data', write_fixture(folder / 'fixture.yml', V3_CUSTOMERS)) as emulator:
        runner = Runner(str(folder), emulator)
        rc, output, dummy_rows = runner.run('setup', tasks_play(V3_SETUP, 'v3'), verbose=False)
        assert rc == 0, output[-3000:]
        yield ContractRuns(runner, SCENARIOS, lambda **how: module_play(SCENARIOS, 'v3', **how))


class TestModulesV3(ContractTests):
    pass
