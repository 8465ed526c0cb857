"""The action plugin of sendgrid_suppression_import, called as the task executor calls it: bad arguments and bad
lines fail before any request (nothing listens at the API URL), naming the option or the line, never the key; the
key's scopes are checked before the first request, against the emulator."""

import os

import pytest
from emulator.process import FIXTURES, Emulator
from module_helpers import run_action

from ansible_collections.mailops.sendgrid.plugins.action import sendgrid_suppression_import as action
from ansible_collections.mailops.sendgrid.plugins.module_utils.permissions import SKIPPED

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


# ---- the key's scopes, checked once before the first request -----------------------------------------------------

@pytest.fixture(scope='module')
def demo():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emulator:
        yield emulator


REFUSED = 'the API key lacks scopes this run needs, so nothing was read or changed: '
ADD_GLOBAL = '`asm.suppressions.global.create`: adding global unsubscribes'
# Rows of an export of this collection: a global unsubscribe and one of a group that only the subuser has.
FLEET = ('list,user,group_id,group_name,group_description,email,created,reason,status\n'
         'unsubscribes,,,,,moved@new.test,,,\n'
         'group_unsubscribes,,999,Moved news,What moved,moved@new.test,,,\n')


def _import(emu, key, tmp_path, content='moved@new.test\n', check_mode=False, **args):
    src = tmp_path / 'src.csv'
    src.write_text(content)
    emu.reset_stats()
    return run_action(action, dict({'api_key': key, 'api_url': emu.url, 'api_version': 'v3', 'src': str(src)},
                                   **args), check_mode=check_mode)


def test_a_read_only_key_is_refused_before_any_request_naming_the_write_scope(demo, tmp_path):
    result = _import(demo, 'SG.demo-read-only', tmp_path)
    assert result['failed'] and not result['changed'] and result['msg'] == REFUSED + ADD_GLOBAL, result
    assert demo.stats()['by_endpoint'].keys() == {'v3/scopes'} and demo.stats()['writes'] == 0


def test_its_check_mode_reads_counts_and_warns_of_the_missing_write(demo, tmp_path):
    result = _import(demo, 'SG.demo-read-only', tmp_path, check_mode=True)
    assert not result.get('failed') and result['to_add'] == 1, result
    assert result['warnings'] == ['the API key lacks scopes a real run needs (this dry run writes nothing): '
                                  + ADD_GLOBAL]
    assert demo.stats()['writes'] == 0


def test_groups_to_create_and_each_row_s_user_need_their_scopes(demo, tmp_path):
    result = _import(demo, 'SG.demo-read-only', tmp_path, FLEET, create_groups=True)
    assert result['msg'] == REFUSED + '; '.join((
        ADD_GLOBAL, '`asm.groups.suppressions.create`: adding unsubscribes to groups',
        '`asm.groups.create`: creating unsubscribe groups')), result
    assert demo.stats()['writes'] == 0
    result = _import(demo, 'SG.demo-blocks-purge', tmp_path, FLEET.replace(',,', ',subuser@example.com,', 1),
                     check_mode=True, each_row_user=True)
    assert result['failed'] and result['msg'].startswith(REFUSED + '`suppression.read` or '
                                                         '`suppression.unsubscribes.read`: reading global unsubscribes')
    assert result['msg'].endswith('`subusers.read`: reading the subusers'), result
    assert ADD_GLOBAL not in result['msg'], 'check mode names only the reads it lacks'
    assert demo.stats()['by_endpoint'].keys() == {'v3/scopes'}


def test_a_key_that_may_not_read_its_scopes_imports_and_says_the_check_was_skipped(demo, tmp_path):
    result = _import(demo, 'SG.demo-hidden-scopes', tmp_path, check_mode=True)
    assert not result.get('failed') and result['to_add'] == 1 and result['warnings'] == [SKIPPED], result
