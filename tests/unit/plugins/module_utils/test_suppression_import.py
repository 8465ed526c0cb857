"""suppression_import.py against the demo emulator: each target (global, group by id and by name, a user, each row's
user), spam_reports_as, delivery rows never written, exact write counts and a second run that writes nothing, check
mode, create_groups and the unknown group refused, bad input refused with its line and no request, skip_invalid,
an empty file, and an export of a fleet restored. Each test writes to addresses or users of its own."""

import json
import os

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from emulator.process import FIXTURES, Emulator

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import OptionError, SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_export import Export
from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_export import argument_spec as export_spec
from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_export import run as export
from ansible_collections.mailops.sendgrid.plugins.module_utils.suppression_import import (
    MUTUALLY_EXCLUSIVE, Import, argument_spec, run)

KEY = 'SG.demo-key'


@pytest.fixture(scope='module')
def emu():
    with Emulator('--data', os.path.join(FIXTURES, 'demo.yml')) as emulator:
        yield emulator


def _validated(spec, url, args, **rules):
    validated = ArgumentSpecValidator(spec, **rules).validate(dict({'api_key': KEY, 'api_url': url,
                                                                    'api_version': 'v3'}, **args))
    assert not validated.error_messages, validated.error_messages
    return validated.validated_parameters


def _import(emu, check_mode=False, diff=False, **args):
    url = emu if isinstance(emu, str) else emu.url
    params = _validated(argument_spec(), url, args, mutually_exclusive=MUTUALLY_EXCLUSIVE)
    return run(Import(params, check_mode=check_mode, diff=diff))


def _src(tmp_path, text, name='src.csv'):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _writes(emu):
    stats = emu.stats()
    emu.reset_stats()
    return stats['writes']


def test_check_mode_then_the_import_then_nothing_in_exact_batches(emu, tmp_path):
    src = _src(tmp_path, 'Email Address\nleft@example.com\n' + ''.join('batch%d@new.test\n' % n for n in range(5)))
    emu.reset_stats()
    dry = _import(emu, check_mode=True, diff=True, src=src, batch_size=2)
    assert dry['changed'] and dry['to_add'] == 5 and _writes(emu) == 0
    assert dry['targets'][0]['first'][:2] == ['batch0@new.test', 'batch1@new.test']
    assert dry['diff'][0]['after_header'] == 'unsubscribes of the account (+5)'
    real = _import(emu, src=src, batch_size=2)
    assert real['changed'] and real['added'] == 5 and real['targets'][0]['already_listed'] == 1
    assert _writes(emu) == 3, 'ceil(5 / 2) adds'
    again = _import(emu, src=src, batch_size=2)
    assert not again['changed'] and again['added'] == 0 and _writes(emu) == 0


def test_a_group_by_id_and_by_name_and_a_user(emu, tmp_path):
    src = _src(tmp_path, 'address\nreader@example.com\nnew-reader@group.test\n')
    assert _import(emu, src=src, group=101)['added'] == 1
    assert _import(emu, src=src, group='newsletters')['added'] == 0
    result = _import(emu, src=src, user='subuser@example.com', group='Newsletters')
    assert result['targets'][0]['group_id'] == 201 and result['added'] == 2
    emu.reset_stats()
    with pytest.raises(SendGridError, match="no unsubscribe group of user subuser@example.com is named 'Nope'"):
        _import(emu, src=src, user='subuser@example.com', group='Nope')
    assert _writes(emu) == 0


def test_spam_reports_and_delivery_rows(emu, tmp_path):
    src = _src(tmp_path, '{"list": "spam_reports", "email": "spam@rows.test"}\n{"list": "blocks", "email": '
               '"blocked@rows.test"}\n{"list": "invalid_emails", "email": "bad@rows.test"}\n', 'src.jsonl')
    emu.reset_stats()
    skipped = _import(emu, src=src)
    assert not skipped['changed'] and skipped['spam_reports_skipped'] == 1
    assert skipped['delivery_rows'] == {'blocks': 1, 'invalid_emails': 1} and skipped['targets'] == []
    assert _writes(emu) == 0
    written = _import(emu, src=src, spam_reports_as='unsubscribes', user='tenant-42')
    assert written['added'] == 1 and written['targets'][0]['list'] == 'unsubscribes' and _writes(emu) == 1


def test_bad_input_is_refused_with_its_line_before_any_request_unless_skipped(emu, tmp_path):
    src = _src(tmp_path, 'email\nok@bad.test\nbrandon\nok2@bad.test\n')
    emu.reset_stats()
    with pytest.raises(OptionError, match='src line 3 has .brandon., an address without @; nothing was added'):
        _import(emu, src=src)
    assert emu.stats()['total'] == 0
    result = _import(emu, src=src, skip_invalid=True, report_dir=str(tmp_path / 'reports'))
    assert result['added'] == 2 and result['invalid'] == 1
    assert result['invalid_lines'] == [{'line': 3, 'problem': "has 'brandon', an address without @"}]
    report, = (tmp_path / 'reports').glob('*.json')
    assert json.loads(report.read_text())['invalid_lines'] == result['invalid_lines']
    many = _src(tmp_path, 'email\n' + 'nobody\n' * 2500 + 'somebody@bad.test\n', 'many.csv')
    result = _import(emu, check_mode=True, src=many, skip_invalid=True, report_dir=str(tmp_path / 'many'))
    assert result['invalid'] == 2500 and len(result['invalid_lines']) == 10 and result['to_add'] == 1
    report, = (tmp_path / 'many').glob('*.json')
    assert [line['line'] for line in json.loads(report.read_text())['invalid_lines']] == list(range(2, 2502))
    empty = _import(emu, src=_src(tmp_path, '', 'empty.txt'))
    assert not empty['changed'] and empty['msg'] == 'src holds no address: nothing to add'


@pytest.mark.parametrize('args, message', [
    ({'api_version': 'v2'}, 'needs api_version v3'),
    ({'src': '/nonexistent/file.csv'}, 'src: no file at /nonexistent/file.csv'),
    ({'user': ' '}, 'user must be a username'),
    ({'group': ' '}, 'group must be an unsubscribe group id or name'),
])
def test_bad_options_are_refused_before_any_request(tmp_path, args, message):
    with pytest.raises((OptionError, SendGridError), match=message):
        _import('http://127.0.0.1:9', **dict({'src': _src(tmp_path, 'a@x.test\n')}, **args))


def test_a_fleet_export_restored_to_each_row_s_user_groups_by_name_created_when_asked(emu, tmp_path):
    dest = str(tmp_path / 'fleet.csv')
    params = _validated(export_spec(), emu.url, {'lists': [{'list': 'group_unsubscribes', 'group': 'Newsletters'},
                                                           {'list': 'unsubscribes'}],
                                                 'users': ['subuser@example.com'], 'dest': dest})
    count = export(Export(params))['records']
    assert count >= 2
    emu.reset_stats()
    restored = _import(emu, src=dest, each_row_user=True)
    assert restored['added'] == 0 and {t['user'] for t in restored['targets']} == {'subuser@example.com'}
    # The group found by name is read once: its listing, not the listing and then the group again.
    assert [r['url'] for r in emu.requests() if r['url'].startswith('/v3/asm/groups')].count('/v3/asm/groups') == 1
    assert not [r for r in emu.requests() if r['url'].startswith('/v3/asm/groups/') and
                not r['url'].endswith('/suppressions')]
    with pytest.raises(SendGridError, match="user customer@example.com has no unsubscribe group named 'Newsletters'; "
                                            "nothing was added"):
        _import(emu, src=dest, user='customer@example.com')
    moved = _import(emu, check_mode=True, src=dest, user='customer@example.com', create_groups=True)
    assert _writes(emu) == 0 and moved['to_add'] == count
    group = next(t for t in moved['targets'] if t['list'] == 'group_unsubscribes')
    assert group['created_group'] and group['group_id'] is None and group['group'] == 'Newsletters'
    moved = _import(emu, src=dest, user='customer@example.com', create_groups=True)
    assert moved['added'] == count and _writes(emu) == 3, 'a group made, then one add per list'
    assert next(t for t in moved['targets'] if t['list'] == 'group_unsubscribes')['group_id'] is not None
    assert not _import(emu, src=dest, user='customer@example.com', create_groups=True)['changed']
    assert _writes(emu) == 0


def test_the_progress_lines_say_what_the_import_is_doing(emu, tmp_path):
    src = _src(tmp_path, 'progress-1@example.com\nprogress-2@example.com\n', 'progress.txt')
    params = _validated(argument_spec(), emu.url, {'src': src}, mutually_exclusive=MUTUALLY_EXCLUSIVE)
    request = Import(params)
    assert request.progress.lines() == ['reading src: 0 rows']
    run(request)
    assert request.progress.lines() == ['adding: 2 of 2 missing addresses added']
    assert request.progress.rows == 2 and request.progress.listed >= 1
    request.progress.phase = 'reading targets'
    assert request.progress.lines() == ['reading the target lists: %d records read' % request.progress.listed]


def test_a_refused_batch_fails_the_run_and_the_report_still_names_what_may_have_been_added(emu, tmp_path,
                                                                                           monkeypatch):
    from ansible_collections.mailops.sendgrid.plugins.module_utils import lists_v3_unsubscribes
    real_add = lists_v3_unsubscribes.AddingList.add_many

    def add_many(self, emails):
        if 'refused-3@example.com' in emails:
            raise SendGridError('a 500 for this batch', list_name=self.name)
        return real_add(self, emails)
    monkeypatch.setattr(lists_v3_unsubscribes.AddingList, 'add_many', add_many)
    src = _src(tmp_path, ''.join('refused-%d@example.com\n' % number for number in range(6)), 'refused.txt')
    result = _import(emu, src=src, batch_size=2, concurrency=1, report_dir=str(tmp_path / 'reports'))
    assert result['failed'] and result['added'] == 2
    assert 'a 500 for this batch; 2 address(es) were added' in result['msg']
    report, = (tmp_path / 'reports').glob('*.json')
    records = json.loads(report.read_text())['lists'][0]['records']
    assert [(r['email'], r['outcome']) for r in records] == [
        ('refused-0@example.com', 'added'), ('refused-1@example.com', 'added'),
        ('refused-2@example.com', 'unknown'), ('refused-3@example.com', 'unknown'),
        ('refused-4@example.com', 'unknown'), ('refused-5@example.com', 'unknown')], 'queued, then cancelled'


def test_the_spec_and_the_documentation_name_the_same_options():
    from ansible_collections.mailops.sendgrid.plugins.modules import sendgrid_suppression_import
    documented = yaml.safe_load(sendgrid_suppression_import.DOCUMENTATION)['options']
    fragments = {'api_key', 'api_user', 'api_url', 'api_version', 'region', 'timeout', 'validate_certs', 'ca_path',
                 'max_retries', 'concurrency', 'batch_size'}
    spec = argument_spec()
    assert set(spec) == set(documented) | fragments
    assert all(spec[name].get('default') == documented[name].get('default') for name in documented)
    assert all(spec[name].get('choices') == documented[name].get('choices') for name in documented)


def test_a_stopped_import_sends_no_new_batch_and_says_how_far_it_went(emu, tmp_path, monkeypatch):
    from ansible_collections.mailops.sendgrid.plugins.module_utils import lists_v3_unsubscribes, stopping
    real_add = lists_v3_unsubscribes.AddingList.add_many

    def add_many(self, emails):
        answer = real_add(self, emails)
        stopping.request_stop('stopped by SIGINT')
        return answer
    monkeypatch.setattr(lists_v3_unsubscribes.AddingList, 'add_many', add_many)
    src = _src(tmp_path, ''.join('stopped-%d@example.com\n' % number for number in range(20)), 'stopped.txt')
    params = _validated(argument_spec(), emu.url, {'src': src, 'batch_size': 2, 'concurrency': 1},
                        mutually_exclusive=MUTUALLY_EXCLUSIVE)
    emu.reset_stats()
    with stopping.watching():
        result = run(Import(params))
    assert result['failed'] and result['interrupted'] and result['added'] == 2
    assert 'the import was stopped by SIGINT after 2 address(es) were added' in result['msg']
    assert _writes(emu) == 1
