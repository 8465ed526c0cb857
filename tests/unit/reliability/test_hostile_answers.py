"""Answers of the wrong shape are errors naming the endpoint and what was wrong, never a silent success and never a
Python message; a listing of the wrong shape deletes nothing."""

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from hostile_server import HostileServer, by_task, records
from module_helpers import run_module

KEY = 'SG.hostile-answers-key'
PYTHON_WORDS = ('Traceback', 'NoneType', 'list indices', 'object has no attribute', 'KeyError', 'TypeError')


def _module(server, tmp_path, **args):
    return run_module('sendgrid_invalid_email', dict(dict(api_key=KEY, api_url=server.url, max_retries=0,
                                                          concurrency=1), **args), tmp_path)


@pytest.mark.parametrize('answer', [[], {}, None, 'success', {'result': 'success'}, 0],
                         ids=['empty-list', 'empty-object', 'null', 'string', 'no-message', 'number'])
def test_a_delete_answered_with_anything_but_success_fails(answer, tmp_path):
    with HostileServer(by_task(listing=records(2), delete=answer)) as server:
        rc, result = _module(server, tmp_path, emails=['user0@x.test', 'user1@x.test'])
    assert rc == 1 and result['failed'] and result['deleted'] == [] and not result['changed']
    first = result['failed_emails'][0]['msg']
    assert 'unexpected answer: {"message": "success"} was expected' in first
    assert 'api/invalidemails.delete' in first
    assert not any(word in result['msg'] for word in PYTHON_WORDS)


@pytest.mark.parametrize('listing,problem', [
    ({}, 'a list of records was expected'),
    ({'message': 'success'}, 'a list of records was expected'),
    ([{'email': None, 'reason': 'x'}], 'record 0 has no address (a string "email")'),
    ([{'email': 'user0@x.test'}, {'email': 5}], 'record 1 has no address (a string "email")'),
    ([{'reason': 'no email at all'}], 'record 0 has no address'),
    (['user0@x.test'], 'record 0 has no address'),
    ([{'email': ''}], 'record 0 has no address'),
], ids=['object', 'success', 'null-email', 'number-email', 'no-email', 'bare-string', 'empty-email'])
def test_a_listing_of_the_wrong_shape_fails_and_deletes_nothing(listing, problem, tmp_path):
    with HostileServer(by_task(listing=listing, count={'count': 1})) as server:
        rc, result = _module(server, tmp_path, emails=['user0@x.test'])
        with pytest.raises(AnsibleLookupError) as info:
            lookup_loader.get('mailops.sendgrid.suppressions').run(['invalid_emails'], variables={}, api_key=KEY,
                                                                   api_url=server.url, concurrency=1)
        deletes = server.deletes
    assert rc == 1 and problem in result['msg'] and 'api/invalidemails.get' in result['msg']
    assert problem in str(info.value)
    assert deletes == []
    for text in (result['msg'], str(info.value)):
        assert not any(word in text for word in PYTHON_WORDS), text


def test_the_delete_all_of_a_bounce_list_answered_wrongly_fails(tmp_path):
    answer = by_task(listing=[{'email': 'a@x.test', 'status': '5.1.1', 'reason': 'r',
                               'created': '2024-01-01 00:00:00'}], delete=[])
    with HostileServer(answer) as server:
        rc, result = run_module('sendgrid_subuser_bounce', {'api_key': KEY, 'api_url': server.url, 'max_retries': 0,
                                                            'user': 'sub@x.test', 'delete_all': True}, tmp_path)
    assert rc == 1 and 'unexpected answer: {"message": "success"} was expected' in result['msg']
    assert not any(word in result['msg'] for word in PYTHON_WORDS)
