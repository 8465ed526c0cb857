"""suppression_export.py against the demo emulator: every column of each kind of list (a group's with its dates and
description), many users and a subusers selection, selectors, check mode, an identical export that changes
nothing, the requests it takes, and the refusals before any request."""

import csv
import json
import os

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from emulator.process import FIXTURES, Emulator

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import OptionError, SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_export import (
    Export, argument_spec, for_users, run)

KEY = 'SG.demo-key'
FORMULA = '=cmd@evil.test'


@pytest.fixture(scope='module')
def emu(tmp_path_factory):
    with open(os.path.join(FIXTURES, 'demo.yml'), encoding='utf-8') as handle:
        data = yaml.safe_load(handle)
    data['accounts'][0]['unsubscribes'].append({'email': FORMULA, 'created': '2025-06-01 00:00:00'})
    path = tmp_path_factory.mktemp('data') / 'demo.yml'
    path.write_text(yaml.safe_dump(data))
    with Emulator('--data', str(path)) as emulator:
        yield emulator


def _export(url, check_mode=False, **args):
    validated = ArgumentSpecValidator(argument_spec()).validate(
        dict({'api_key': KEY, 'api_url': url, 'api_version': 'v3'}, **args))
    assert not validated.error_messages, validated.error_messages
    return run(Export(validated.validated_parameters, check_mode=check_mode))


def _csv(path):
    with open(path, encoding='utf-8', newline='') as handle:
        return list(csv.DictReader(handle))


def test_the_account_s_opt_outs_with_every_column(emu, tmp_path):
    dest = str(tmp_path / 'opt-outs.csv')
    emu.reset_stats()
    result = _export(emu.url, lists=[{'list': 'unsubscribes'}, {'list': 'group_unsubscribes', 'group': 'Newsletters'},
                                     {'list': 'spam_reports'}, {'list': 'blocks'}], dest=dest)
    assert result['changed'] and result['records'] == 7 and result['format'] == 'csv'
    assert [(e['list'], e['group_id'], e['records']) for e in result['lists']] == [
        ('unsubscribes', None, 2), ('group_unsubscribes', 101, 2), ('spam_reports', None, 1), ('blocks', None, 2)]
    rows = _csv(dest)
    assert rows[0] == {'list': 'unsubscribes', 'user': '', 'group_id': '', 'group_name': '', 'group_description': '',
                       'email': 'left@example.com', 'created': '2024-12-24 18:00:00', 'reason': '', 'status': ''}
    assert rows[1]['email'] == "'" + FORMULA
    assert rows[2] == {'list': 'group_unsubscribes', 'user': '', 'group_id': '101', 'group_name': 'Newsletters',
                       'group_description': 'Our monthly newsletter', 'email': 'reader@example.com',
                       'created': '2025-01-15 09:00:00', 'reason': '', 'status': ''}
    assert rows[5]['status'] == '4.0.0' and rows[5]['reason'] == 'unable to resolve MX record: servfail'
    assert os.stat(dest).st_mode & 0o777 == 0o600
    assert emu.stats()['writes'] == 0


def test_an_identical_export_changes_nothing_and_check_mode_writes_nothing(emu, tmp_path):
    dest = tmp_path / 'unsubscribes.jsonl'
    lists = [{'list': 'unsubscribes'}]
    dry = _export(emu.url, check_mode=True, lists=lists, dest=str(dest))
    assert dry['changed'] and dry['records'] == 2 and not os.listdir(tmp_path)
    assert _export(emu.url, lists=lists, dest=str(dest))['changed']
    written = dest.read_bytes()
    assert [json.loads(line)['email'] for line in written.decode().splitlines()] == ['left@example.com', FORMULA]
    assert not _export(emu.url, lists=lists, dest=str(dest))['changed']
    assert not _export(emu.url, check_mode=True, lists=lists, dest=str(dest))['changed']
    assert dest.read_bytes() == written and os.listdir(tmp_path) == ['unsubscribes.jsonl']
    assert _export(emu.url, check_mode=True, lists=lists, dest=str(dest), domains=['example.com'])['changed']


def test_many_users_and_a_subusers_selection(emu, tmp_path):
    dest = str(tmp_path / 'fleet.csv')
    result = _export(emu.url, lists=[{'list': 'group_unsubscribes', 'group': 'Newsletters'}],
                     users=['subuser@example.com', 'tenant-42'], dest=dest)
    assert [(r['user'], r['group_id'], r['group_description'], r['email']) for r in _csv(dest)] == [
        ('subuser@example.com', '201', "The subuser's newsletter", 'sub-reader@example.com'),
        ('tenant-42', '301', "Tenant 42's newsletter", 'reader@example.com')]
    assert result['records'] == 2
    result = _export(emu.url, lists=[{'list': 'subuser_bounces', 'subusers': {'username': 'tenant-'}}], dest=dest,
                     status='5.')
    assert [(r['user'], r['email']) for r in _csv(dest)] == [('tenant-42', 'bounced@tenant42.example')]


def test_a_list_is_read_once_and_a_group_with_its_dates_in_one_request(emu, tmp_path):
    emu.reset_stats()
    _export(emu.url, lists=[{'list': 'unsubscribes'}, {'list': 'group_unsubscribes', 'group': 101}],
            dest=str(tmp_path / 'x.csv'))
    assert sorted(r['url'] for r in emu.requests()) == sorted([
        '/v3/suppression/unsubscribes?limit=500&offset=0', '/v3/asm/groups/101', '/v3/asm/suppressions',
        '/v3/scopes'])


def test_users_repeat_only_the_entries_that_name_no_user():
    entries = [{'list': 'unsubscribes'}, {'list': 'bounces', 'user': 'x'}, {'list': 'blocks', 'subusers': {}}]
    assert for_users(entries, ['a', 'b']) == [{'list': 'unsubscribes', 'user': 'a'}, {'list': 'unsubscribes', 'user': 'b'},
                                              entries[1], entries[2]]
    assert for_users(entries, None) == entries
    with pytest.raises(OptionError, match='users must be a list of usernames'):
        for_users(entries, [' '])


@pytest.mark.parametrize('args, message', [
    ({'api_version': 'v2'}, 'needs api_version v3'),
    ({'dest': '/nonexistent-folder/x.csv'}, 'dest: the folder /nonexistent-folder does not exist'),
    ({'days': 0}, 'days must be'),
    ({'lists': [{'list': 'blocks'}], 'status': ' '}, 'status must be'),
])
def test_bad_input_is_refused_before_any_request(tmp_path, args, message):
    with pytest.raises((OptionError, SendGridError), match=message):
        _export('http://127.0.0.1:9', **dict({'lists': [{'list': 'unsubscribes'}], 'dest': str(tmp_path / 'x')}, **args))
    assert os.listdir(tmp_path) == []


def test_the_spec_and_the_documentation_name_the_same_options():
    from ansible_collections.mailops.sendgrid.plugins.modules import sendgrid_suppression_export
    documented = yaml.safe_load(sendgrid_suppression_export.DOCUMENTATION)['options']
    fragments = {'api_key', 'api_user', 'api_url', 'api_version', 'region', 'timeout', 'validate_certs', 'ca_path',
                 'max_retries', 'concurrency'}
    assert set(argument_spec()) == set(documented) | fragments
    assert set(argument_spec()['lists']['options']) == set(documented['lists']['suboptions'])
    assert argument_spec()['format']['choices'] == documented['format']['choices']
