"""The other modules on Web API v3 (groups, the Event Webhook, the bounce purge, an address's story, the cleanup),
with the options that write the most (state, force, signed, subusers, select_all, a plan applied): --check and
check_mode: true send no write, check mode tells what the real run then does, a second real run writes nothing,
the key shows nowhere."""

import pytest

from contract import ContractRuns, ContractTests, Runner, module_play, tasks_play, write_fixture
from emulator.process import Emulator
from scenarios import V3_CUSTOMERS, V3_SERVICE_SCENARIOS, V3_SETUP

SCENARIOS = V3_SERVICE_SCENARIOS


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp('contract-v3-services')
    with Emulator('--data', write_fixture(folder / 'fixture.yml', V3_CUSTOMERS)) as emulator:
        runner = Runner(str(folder), emulator)
        rc, output, dummy_rows = runner.run('setup', tasks_play(V3_SETUP, 'v3'), verbose=False)
        assert rc == 0, output[-3000:]
        yield ContractRuns(runner, SCENARIOS, lambda **how: module_play(SCENARIOS, 'v3', **how))


class TestServiceModulesV3(ContractTests):
    pass
