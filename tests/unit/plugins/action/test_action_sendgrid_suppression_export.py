"""The action plugin of sendgrid_suppression_export, called as the task executor calls it: bad arguments fail before
any request (nothing listens at the API URL) and name the option; a file that cannot be written fails in one line,
with no key in the result. Whole exports are in module_utils/test_suppression_export.py and
modules/test_sendgrid_suppression_export.py."""

import os
import pytest
from module_helpers import run_action

from ansible_collections.mailops.sendgrid.plugins.action import sendgrid_suppression_export as action

NOWHERE = {'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9', 'api_version': 'v3'}


def _run(args, check_mode=False):
    return run_action(action, dict(NOWHERE, **args), check_mode=check_mode)


@pytest.mark.parametrize('args,message', [
    ({'lists': [{'list': 'blockz'}]}, 'blockz'),
    ({'lists': [{'list': 'blocks'}], 'fromat': 'csv'}, 'fromat'),
    ({'lists': [{'list': 'blocks'}], 'format': 'xlsx'}, 'format'),
    ({'lists': [{'list': 'blocks'}], 'api_version': 'v2'}, 'needs api_version v3'),
    ({'lists': [{'list': 'blocks'}], 'start_date': '2025-13-01'}, 'start_date must be a real date'),
    ({'lists': [{'list': 'blocks', 'user': 'a', 'subusers': {}}]}, 'mutually exclusive'),
])
def test_bad_input_fails_before_any_request(tmp_path, args, message):
    result = _run(dict({'dest': str(tmp_path / 'out.csv')}, **args))
    assert result['failed'] and message in result['msg'], result
    assert 'SG.k' not in repr(result) and os.listdir(tmp_path) == []


@pytest.mark.compat
def test_a_failed_request_leaves_no_file_and_names_what_failed(tmp_path):
    result = _run({'lists': [{'list': 'blocks'}], 'dest': str(tmp_path / 'out.csv'), 'max_retries': 0})
    assert result['failed'] and not result['changed'] and 'the file was left as it was' in result['msg'], result
    assert 'SG.k' not in repr(result) and os.listdir(tmp_path) == []
