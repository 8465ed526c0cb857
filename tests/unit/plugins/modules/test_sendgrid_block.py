"""sendgrid_block against the emulator: the v3 list module tests it shares with its sibling (v3_list_module_cases.py)."""

import pytest

from v3_list_module_cases import (  # noqa: F401  pylint: disable=unused-import
    BLOCK,
    test_check_diff_run_and_a_second_run_with_no_write,
    test_present_asserts_and_never_writes,
    test_bulk_deletes_in_batches_then_delete_all,
    test_on_behalf_of_a_subuser_or_a_customer,
    test_faults_delete_exactly_the_selection,
    test_v2_is_refused_before_any_request,
)


@pytest.fixture
def case():
    return BLOCK
