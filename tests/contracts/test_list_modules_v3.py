"""The list modules on Web API v3, with the options that write the most (delete_all, remove_opt_outs, state):
--check and check_mode: true send no write, check mode tells what the real run then does, a second real run
writes nothing, the key shows nowhere."""

import pytest

from contract import ContractTests, module_runs
from scenarios import V3_CUSTOMERS, V3_LIST_SCENARIOS

SCENARIOS = V3_LIST_SCENARIOS


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    yield from module_runs(tmp_path_factory, 'contract-v3-lists', V3_CUSTOMERS, SCENARIOS, 'v3')


class TestListModulesV3(ContractTests):
    pass
