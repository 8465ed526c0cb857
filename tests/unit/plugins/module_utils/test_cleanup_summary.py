"""cleanup_summary.py: the lines a run is told in (the role prints them as they are), in the caller's option names,
with the report's numbers; the Markdown summary's tables, with the same numbers (it is also read back from real
runs in test_opt_outs_protected.py and the documented examples)."""

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import Request
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_summary import (
    deleted_of_selected, summary_lines, summary_markdown, totals_text, what_next)
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options

OPTIONS = Options.read({'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9'}.get)
TOTALS = {'selected': 3, 'deleted': 0, 'already_gone': 0, 'failed': 0, 'held_back': 1}
LISTS = [{'list': 'invalid_emails', 'group': None, 'user': None, 'selected': 1, 'held_back_addresses': []},
         {'list': 'group_unsubscribes', 'group': 'Newsletters', 'user': 'tenant-42', 'selected': 2,
          'held_back_addresses': ['both@example.com']}]
REPORT = {'json': '/r/run.json', 'summary': '/r/run.md'}


def _result(**extra):
    return dict({'dry_run': True, 'seconds': 0.5, 'totals': TOTALS, 'lists': LISTS, 'report': REPORT,
                 'opt_outs': {'group_unsubscribes (group Newsletters) of tenant-42': 2}}, **extra)


def test_a_dry_run_in_the_roles_words():
    request = Request(OPTIONS, [], None, None, max_delete=2, option_prefix='suppression_cleanup_')
    assert summary_lines(_result(), request) == [
        'DRY RUN - nothing was deleted in 0.5 s',
        'selected 3, deleted 0, already gone 0, failed 0',
        'invalid_emails: 1 selected, group_unsubscribes Newsletters of tenant-42: 2 selected',
        'held back 1 selected record(s) whose address also has unselected records, which deleting the address '
        'would remove too: both@example.com',
        'opt-outs selected: group_unsubscribes (group Newsletters) of tenant-42: 2; a real run needs '
        'suppression_cleanup_remove_opt_outs: true (only if these people asked to be mailed again)',
        'report: /r/run.json and .csv; summary for a reviewer: /r/run.md',
        'a real run of this selection needs suppression_cleanup_dry_run: false and '
        'suppression_cleanup_remove_opt_outs: true and suppression_cleanup_confirm_count: 3']


def test_a_task_is_told_in_its_option_names_and_a_plan_is_confirmed_by_its_addresses():
    request = Request(OPTIONS, [], None, None, max_delete=5, remove_opt_outs=True, dry_run_option=True)
    plan = {'path': '/p/plan.json', 'addresses': 6, 'digest': 'ab12'}
    lines = summary_lines(_result(plan=plan), request)
    assert lines[4] == 'opt-outs selected: group_unsubscribes (group Newsletters) of tenant-42: 2'
    assert lines[-2] == 'plan: /p/plan.json (6 addresses, digest ab12); a real run applies it with apply_plan'
    assert lines[-1] == 'a real run of this selection needs dry_run: false and confirm_count: 6'


def test_in_check_mode_the_line_says_check_mode_made_the_dry_run_not_dry_run():
    role = {'max_delete': 2, 'option_prefix': 'suppression_cleanup_', 'check_mode': True}
    asked_real = Request(OPTIONS, [], None, None, dry_run_option=False, **role)
    assert summary_lines(_result(), asked_real)[-1] == (
        'a real run of this selection needs a run without check mode (no --check, no check_mode: true) and '
        'suppression_cleanup_remove_opt_outs: true and suppression_cleanup_confirm_count: 3; check mode made this a '
        'dry run, though suppression_cleanup_dry_run is false')
    both = Request(OPTIONS, [], None, None, dry_run_option=True, **role)
    assert summary_lines(_result(), both)[-1] == (
        'a real run of this selection needs suppression_cleanup_dry_run: false and a run without check mode (no '
        '--check, no check_mode: true) and suppression_cleanup_remove_opt_outs: true and '
        'suppression_cleanup_confirm_count: 3')
    task = Request(OPTIONS, [], None, None, max_delete=5, check_mode=True, dry_run_option=False,
                   remove_opt_outs=True)
    assert summary_lines(_result(), task)[-1] == (
        'a real run of this selection needs a run without check mode (no --check, no check_mode: true); check mode '
        'made this a dry run, though dry_run is false')


def test_a_real_run_leaves_out_what_it_has_not():
    request = Request(OPTIONS, [], None, None, dry_run=False)
    totals = dict(TOTALS, deleted=3, held_back=0)
    lines = summary_lines(_result(dry_run=False, totals=totals, opt_outs={}, report=None, lists=LISTS[:1]), request)
    assert lines == ['Cleanup finished in 0.5 s', 'selected 3, deleted 3, already gone 0, failed 0',
                     'invalid_emails: 1 selected']
    assert summary_lines(_result(dry_run=False, interrupted=True, totals=totals), request)[0] == \
        'Cleanup interrupted in 0.5 s'


def test_every_outcome_a_run_had_is_told_so_that_the_line_adds_up():
    totals = dict(TOTALS, selected=10, deleted=4, failed=1, not_attempted=5, not_deleted=0, unknown=0)
    assert totals_text(totals) == 'selected 10, deleted 4, already gone 0, failed 1, not attempted 5'
    assert deleted_of_selected(totals) == 'deleted 4 of the 10 records it selected (already gone 0, failed 1, ' \
                                          'not attempted 5)'
    stopped = summary_lines(_result(dry_run=False, interrupted=True, totals=totals),
                            Request(OPTIONS, [], None, None, dry_run=False))
    assert stopped[1] == 'selected 10, deleted 4, already gone 0, failed 1, not attempted 5'


def _markdown(tmp_path, outcomes):
    """The Markdown of a run over one list of four records: the report made from it as a run makes it."""
    from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_record import report_parts
    from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_report import (
        CLEANUP_TOTALS, report_head, write_report)
    from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_selection import read_selection
    from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import Filters, Selectors

    class Listed:
        name, user, group, group_id = 'blocks', None, None, None

        def list(self, dummy_filters):
            return iter([{'email': 'p%d@x.test' % number, 'status': '5.1.1', 'reason': 'gone',
                          'created': '2026-01-01 00:00:00'} for number in range(4)])
    selection = [read_selection(Listed(), Filters(times=True), Selectors())]
    report = write_report(report_head(False, 0, 1, run='20260101T000000Z-ab12cd34'),
                          report_parts(selection, [lambda record: outcomes[record[0]]], None), names=CLEANUP_TOTALS)
    text = summary_markdown(report, selection, [], 4)
    selection[0].close()
    return report, text.splitlines()


def test_the_markdown_says_the_reports_numbers_under_the_right_headers(tmp_path):
    outcomes = {'p0@x.test': ('deleted', None), 'p1@x.test': ('failed', 'HTTP 400'),
                'p2@x.test': ('not_attempted', 'stopped'), 'p3@x.test': ('not_attempted', 'stopped')}
    report, lines = _markdown(tmp_path, outcomes)
    assert report['totals']['selected'] == 4 and report['totals']['not_attempted'] == 2
    assert 'Run 20260101T000000Z-ab12cd34, 1.0 seconds.' in lines
    head = lines.index('| read | selected | held back | opt-outs | deleted | already gone | failed | not attempted |')
    assert lines[head + 2] == '| 4 | 4 | 0 | 0 | 1 | 0 | 1 | 2 |'
    per_list = lines.index('| list | selected | held back | deleted | already gone | failed | not attempted |')
    assert lines[per_list + 2] == '| blocks | 4 | 0 | 1 | 0 | 1 | 2 |'
    assert '| status | records |' in lines and '| domain | records |' in lines and '| reason | records |' in lines


def test_a_plan_holding_opt_outs_made_without_remove_opt_outs_is_said_to_need_making_again():
    request = Request(OPTIONS, [], None, None, max_delete=5, option_prefix='suppression_cleanup_')
    plan = {'path': '/p/plan.json', 'addresses': 3, 'digest': 'ab12'}
    assert summary_lines(_result(plan=plan), request)[-1] == (
        'a real run of this selection needs suppression_cleanup_dry_run: false and a plan made again by a dry run '
        'with suppression_cleanup_remove_opt_outs: true')


def test_what_next_after_a_stop_depends_on_what_is_left():
    done = {'selected': 2, 'deleted': 1, 'already_gone': 1, 'failed': 0, 'not_attempted': 0}
    assert what_next(done, 'run again') == 'nothing it selected is left to delete'
    assert what_next(dict(done, not_attempted=1), 'run again') == 'run again'
    assert what_next(None, 'run again') == 'run again'
