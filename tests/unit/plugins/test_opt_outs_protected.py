"""Opt-outs (spam reports, global and group unsubscribes) are people's consent: removed by rule only with
remove_opt_outs. Real runs refused before any write for each opt-out list, alone and mixed with bounces, for one
user, many users, every subuser and a plan; delete_all on both modules; an empty opt-out selection not refused; the
dry run and the plan say what a real run needs; a plan is applied only with the option it was made with."""

import json

import pytest
from cleanup_play import DEMO, _cleanup, _emails, _group_emails, _play

REFUSED = 'would remove opt-outs'


@pytest.fixture(scope='module')
def demo(tmp_path_factory):
    """One emulator for the refusals (they write nothing); tests that delete reset it to the demo data."""
    from emulator.process import Emulator
    emu = Emulator('--data', DEMO).start()
    yield emu
    emu.stop()


def _refused(result, *scopes):
    assert result['failed'] and result.get('opt_outs_refused'), result
    message = result['msg']
    assert REFUSED in message and 'nothing was deleted' in message and 'remove_opt_outs: true' in message
    for name in ('bypass_list_management', 'bypass_unsubscribe_management', 'bypass_spam_management'):
        assert name in message
    assert 'spam reports cannot be added back through the API' in message
    for scope in scopes:
        assert scope in message, (scope, message)


@pytest.mark.parametrize('lists, scopes', [
    pytest.param([{'list': 'spam_reports'}], ['spam_reports: 1'], marks=pytest.mark.compat),
    ([{'list': 'unsubscribes'}], ['unsubscribes: 1']),
    ([{'list': 'group_unsubscribes', 'group': 'Newsletters'}], ['group_unsubscribes (group Newsletters): 2']),
    ([{'list': 'subuser_bounces'}, {'list': 'spam_reports'}], ['spam_reports: 1']),
    ([{'list': 'spam_reports', 'user': 'tenant-42'}, {'list': 'unsubscribes', 'user': 'subuser@example.com'}],
     ['spam_reports of tenant-42: 1', 'unsubscribes of subuser@example.com: 1']),
    ([{'list': 'group_unsubscribes', 'group': 'Newsletters', 'subusers': {'username': 'tenant-'}}],
     ['group_unsubscribes (group Newsletters) of tenant-42: 1']),
], ids=['spam', 'global', 'group', 'mixed-with-bounces', 'many-users', 'every-subuser'])
@pytest.mark.slow
def test_a_real_run_selecting_opt_outs_is_refused_before_any_write(demo, tmp_path, lists, scopes):
    demo.reset_stats()
    rc, output, results = _play(tmp_path, demo, _cleanup(lists=lists, select_all=True, report_dir=str(tmp_path)))
    _refused(results[0], *scopes)
    assert demo.stats()['writes'] == 0
    assert not list(tmp_path.glob('*.journal')), 'a refused run journals nothing'


@pytest.mark.slow
def test_an_opt_out_list_with_nothing_selected_is_no_refusal(demo, tmp_path):
    demo.reset_stats()
    rc, output, results = _play(tmp_path, demo, _cleanup(
        lists=[{'list': 'spam_reports'}, {'list': 'subuser_bounces'}], domains=['nowhere.test']))
    assert rc == 0 and not results[0].get('failed') and results[0]['opt_outs'] == {}, results[0]


@pytest.mark.slow
@pytest.mark.compat
def test_the_dry_run_counts_opt_outs_and_says_what_a_real_run_needs(demo, tmp_path):
    plan = str(tmp_path / 'plan.json')
    rc, output, results = _play(tmp_path, demo, _cleanup(
        check_mode=True, lists=[{'list': 'spam_reports'}, {'list': 'subuser_bounces'}], select_all=True,
        plan_file=plan))
    dry = results[0]
    assert rc == 0 and dry['opt_outs'] == {'spam_reports': 1}, dry
    assert dry['warnings'] == ['the selection holds opt-outs (spam_reports: 1): a real run needs remove_opt_outs: '
                               'true; make the plan with it']
    assert json.load(open(plan, encoding='utf-8'))['remove_opt_outs'] is False


@pytest.mark.slow
def test_a_plan_is_applied_only_with_the_option_it_was_made_with(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    without, with_option = str(tmp_path / 'without.json'), str(tmp_path / 'with.json')
    lists = [{'list': 'unsubscribes'}, {'list': 'subuser_bounces'}]
    rc, output, results = _play(
        tmp_path, emu,
        _cleanup(check_mode=True, lists=lists, select_all=True, plan_file=without),
        _cleanup(check_mode=True, lists=lists, select_all=True, plan_file=with_option, remove_opt_outs=True),
        _cleanup(apply_plan=without, remove_opt_outs=True),
        _cleanup(apply_plan=without),
        _cleanup(apply_plan=with_option))
    assert rc == 0, output
    assert 'was made without remove_opt_outs' in results[2]['msg'] and REFUSED in results[2]['msg']
    assert 'was made without remove_opt_outs' in results[3]['msg']
    assert 'apply it with remove_opt_outs: true' in results[4]['msg']
    assert emu.stats()['writes'] == 0
    rc, output, results = _play(tmp_path, emu, _cleanup(apply_plan=with_option, remove_opt_outs=True,
                                                        report_dir=str(tmp_path / 'reports')))
    applied = results[0]
    assert applied['totals']['deleted'] == 2 and applied['opt_outs'] == {'unsubscribes': 1}, applied
    assert _emails(emu, 'suppression/unsubscribes') == []
    report = json.load(open(applied['report']['json'], encoding='utf-8'))
    assert report['remove_opt_outs'] is True
    journal_head = json.loads(open(applied['journal'], encoding='utf-8').readline())
    assert journal_head['remove_opt_outs'] is True


@pytest.mark.slow
def test_a_real_run_with_the_option_removes_them(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, output, results = _play(tmp_path, emu, _cleanup(
        lists=[{'list': 'group_unsubscribes', 'group': 101}], select_all=True, remove_opt_outs=True))
    assert rc == 0 and results[0]['totals']['deleted'] == 2, results[0]
    assert _group_emails(emu, 101) == []


def _module(name, **options):
    return {'mailops.sendgrid.%s' % name: options}


@pytest.mark.parametrize('task, scope', [
    (_module('sendgrid_spam_report', delete_all=True), 'spam_reports: 1'),
    (_module('sendgrid_unsubscribe', delete_all=True), 'unsubscribes: 1'),
    (_module('sendgrid_unsubscribe', delete_all=True, group='Newsletters'), 'group_unsubscribes (group Newsletters): 2'),
], ids=['spam', 'global', 'group'])
@pytest.mark.slow
def test_delete_all_of_opt_outs_needs_the_option(demo, tmp_path, task, scope):
    demo.reset_stats()
    checked = dict(task, check_mode=True)
    rc, output, results = _play(tmp_path, demo, task, checked)
    for result in results:
        assert result['failed'] and REFUSED in result['msg'] and scope in result['msg'], result
        assert 'bypass_unsubscribe_management' in result['msg']
    assert demo.stats()['writes'] == 0


@pytest.mark.slow
def test_delete_all_with_the_option_and_named_addresses_without_it(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    rc, output, results = _play(
        tmp_path, emu,
        _module('sendgrid_unsubscribe', group=101, email='reader@example.com', state='absent'),
        _module('sendgrid_spam_report', delete_all=True, remove_opt_outs=True),
        _module('sendgrid_spam_report', delete_all=True))
    assert rc == 0, output
    assert results[0]['changed'] and results[0]['deleted'] == ['reader@example.com']
    assert results[1]['changed'] and results[1]['deleted'] == ['complainer@example.com']
    # An empty list: delete_all has nothing to remove, so nothing to refuse.
    assert not results[2].get('failed') and not results[2]['changed'], results[2]


def test_the_catalogue_is_the_one_place_that_says_which_lists_are_consent():
    from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue
    assert catalogue.opt_out_lists() == ['group_unsubscribes', 'spam_reports', 'unsubscribes']


def _summary_numbers(text):
    """The first table's numbers by its headers (read, selected, held back, opt-outs, deleted, already gone, failed,
    and any other outcome the run had)."""
    header, dummy, row = [line for line in text.splitlines() if line.startswith('|')][:3]
    return dict(zip(header.strip('| ').split(' | '), [int(cell) for cell in row.strip('| ').split(' | ')]))


@pytest.mark.slow
def test_the_summary_a_reviewer_reads_has_the_report_counts(emulator_factory, tmp_path):
    emu = emulator_factory(data=DEMO)
    reports = tmp_path / 'reports'
    plan = str(tmp_path / 'plan.json')
    lists = [{'list': 'subuser_bounces', 'subusers': {'username': 'tenant-'}}, {'list': 'subuser_bounces'},
             {'list': 'spam_reports', 'user': 'tenant-42'}, {'list': 'invalid_emails'}]
    rc, output, results = _play(
        tmp_path, emu,
        _cleanup(check_mode=True, lists=lists, select_all=True, report_dir=str(reports), plan_file=plan,
                 remove_opt_outs=True),
        _cleanup(apply_plan=plan, remove_opt_outs=True, report_dir=str(reports)))
    assert rc == 0, output
    for result in results:
        report = json.load(open(result['report']['json'], encoding='utf-8'))
        text = open(result['report']['summary'], encoding='utf-8').read()
        totals = report['totals']
        numbers = _summary_numbers(text)
        assert numbers.pop('read') >= totals['selected'] and numbers.pop('opt-outs') == 1
        assert numbers == {name.replace('_', ' '): count for name, count in totals.items() if name != 'left_alone'
                           and (name in ('selected', 'held_back', 'deleted', 'already_gone', 'failed') or count)}, \
            'the same numbers as the JSON, and every outcome the run had'
        outcomes = sum(count for name, count in totals.items() if name not in ('selected', 'held_back', 'left_alone'))
        assert outcomes == (0 if result['dry_run'] else totals['selected'])
        assert '| spam_reports | 1 |' in text and '### Top domains' in text and '### Age of the selected records' in text
        assert '| tenant-42 | 3 |' in text, text
        if not result['dry_run']:
            assert 'plan digest: `%s`' % report['plan_digest'] in text
    assert '## SendGrid suppression cleanup: dry run' in open(results[0]['report']['summary'], encoding='utf-8').read()


def test_the_summary_of_many_users_stays_short(tmp_path):
    from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_summary import summary_markdown
    lists = [{'list': 'subuser_bounces', 'user': 'tenant-%04d' % number, 'group': None, 'selected': 5,
              'held_back': 0, 'deleted': 5, 'already_gone': 0, 'failed': 0} for number in range(2000)]
    report = {'dry_run': False, 'run': 'r', 'seconds': 1.0, 'lists': lists, 'selectors': {'days': 30},
              'totals': {'selected': 10000, 'held_back': 0, 'deleted': 10000, 'already_gone': 0, 'failed': 0}}
    text = summary_markdown(report, [], [], 10000)
    assert len(text.splitlines()) < 60
    assert '| 1990 more users: see the CSV | 9950 |' in text and '| subuser_bounces | 10000 | 0 | 10000 | 0 | 0 |' in text
