"""The action plugin of sendgrid_suppression_import, called as the task executor calls it: bad arguments and bad
lines fail before any request (nothing listens at the API URL), naming the option or the line, never the key."""

import pytest
from module_helpers import run_action

from ansible_collections.mailops.sendgrid.plugins.action import sendgrid_suppression_import as action

NOWHERE = {'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9', 'api_version': 'v3', 'max_retries': 0}


def _run(args, check_mode=False):
    return run_action(action, dict(NOWHERE, **args), check_mode=check_mode)


@pytest.mark.parametrize('args,message', [
    ({'scr': 'x'}, 'scr'),
    ({'user': 'a', 'each_row_user': True}, 'mutually exclusive: user|each_row_user'),
    ({'group': 101, 'create_groups': True}, 'mutually exclusive: group|create_groups'),
    ({'spam_reports_as': 'spam_reports'}, 'spam_reports_as'),
    ({'api_version': 'v2'}, 'needs api_version v3'),
    ({'content': 'a@x.test\nnot-an-address\n'}, 'src line 2 has'),
])
def test_bad_input_fails_before_any_request(tmp_path, args, message):
    src = tmp_path / 'src.txt'
    src.write_text(args.pop('content', 'a@x.test\n'))
    result = _run(dict({'src': str(src)}, **args))
    assert result['failed'] and message in result['msg'], result
    assert 'SG.k' not in repr(result)


@pytest.mark.compat
def test_an_unreachable_api_fails_with_nothing_added(tmp_path):
    src = tmp_path / 'src.txt'
    src.write_text('a@x.test\n')
    result = _run({'src': str(src)})
    assert result['failed'] and not result['changed'] and 'SG.k' not in repr(result)
