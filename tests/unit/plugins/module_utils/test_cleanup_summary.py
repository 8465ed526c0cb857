"""cleanup_summary.py: the lines a run is told in (the role prints them as they are), in the caller's option names;
the Markdown summary is read back from real runs in test_opt_outs_protected.py and the documented examples."""

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import Request
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_summary import summary_lines
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
        'suppression_cleanup_confirm_count: 3']


def test_a_task_is_told_in_its_option_names_and_a_plan_is_confirmed_by_its_addresses():
    request = Request(OPTIONS, [], None, None, max_delete=5, remove_opt_outs=True)
    lines = summary_lines(_result(plan={'addresses': 6}), request)
    assert lines[4] == 'opt-outs selected: group_unsubscribes (group Newsletters) of tenant-42: 2'
    assert lines[-1] == 'a real run of this selection needs check mode off and confirm_count: 6'


def test_a_real_run_leaves_out_what_it_has_not():
    request = Request(OPTIONS, [], None, None, dry_run=False)
    totals = dict(TOTALS, deleted=3, held_back=0)
    lines = summary_lines(_result(dry_run=False, totals=totals, opt_outs={}, report=None, lists=LISTS[:1]), request)
    assert lines == ['Cleanup finished in 0.5 s', 'selected 3, deleted 3, already gone 0, failed 0',
                     'invalid_emails: 1 selected']
    assert summary_lines(_result(dry_run=False, interrupted=True, totals=totals), request)[0] == \
        'Cleanup interrupted in 0.5 s'
