# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cleanup's summary for a person: a short Markdown file beside the JSON and CSV reports, made to be pasted into
a pull request or shown as a CI job summary. Its counts are the report's; the breakdowns (users, domains, reasons,
statuses, ages) are the selection store's answers, so it stays a page long for a million records or 2,000 users."""

from __future__ import annotations

from collections import defaultdict

TOP = 10
# (label, the oldest a record may be, in days) of the age buckets, youngest first.
AGES = (('30 days or less', 30), ('31 to 90 days', 90), ('91 days to a year', 365), ('1 to 2 years', 730),
        ('over 2 years', None))
_SELECTED = 'NOT EXISTS (SELECT 1 FROM held h WHERE h.list = r.list AND h.key = r.key)'
# The outcomes of a cleanup's selected records, in the order every line and table tells them: the first ALWAYS_TOLD
# always, the others when the run had any. Together they sum to `selected` (held-back records are counted apart).
OUTCOME_LABELS = (('deleted', 'deleted'), ('already_gone', 'already gone'), ('failed', 'failed'),
                  ('not_deleted', 'not deleted'), ('not_attempted', 'not attempted'), ('unknown', 'unknown'))
ALWAYS_TOLD = 3


def told_outcomes(totals):
    """[(name, label)] of the outcomes to tell of these totals: deleted, already gone and failed, and any other
    the run had."""
    return [(name, label) for index, (name, label) in enumerate(OUTCOME_LABELS)
            if index < ALWAYS_TOLD or totals.get(name)]


def totals_text(totals):
    """'selected 14, deleted 9, already gone 1, failed 0, not attempted 4': the report's totals, in a line."""
    return ', '.join(['selected %d' % totals['selected']] +
                     ['%s %d' % (label, totals.get(name) or 0) for name, label in told_outcomes(totals)])


def stopped_how(reason):
    """'stopped by SIGINT', or 'stopped (the controller process that ran this task is gone)'."""
    return reason if reason.startswith('stopped') else 'stopped (%s)' % reason


def deleted_of_selected(totals, unit='records'):
    """'deleted 9 of the 14 records it selected (already gone 1, failed 0, not attempted 4)'."""
    return 'deleted %d of the %d %s it selected (%s)' % (
        totals['deleted'], totals['selected'], unit,
        ', '.join('%s %d' % (label, totals.get(name) or 0) for name, label in told_outcomes(totals)[1:]))


# The outcomes of a stopped run that a run of the same selection would take up again.
LEFT_OUTCOMES = ('failed', 'not_deleted', 'not_attempted', 'unknown')


def what_next(totals, again):
    """`again` (how a new run finishes a stopped one), or that nothing is left when its every record is done: a run
    stopped after its last request was sent has nothing for the next one."""
    if totals and not any(totals.get(name) for name in LEFT_OUTCOMES):
        return 'nothing it selected is left to delete'
    return again


def _cell(value):
    """A table cell: pipes and line breaks would end it early."""
    text = '' if value is None else str(value)
    return text.replace('|', '\\|').replace('\r', ' ').replace('\n', ' ')[:100]


def _table(header, rows):
    lines = ['| %s |' % ' | '.join(header), '|%s' % ('---|' * len(header))]
    lines += ['| %s |' % ' | '.join(_cell(value) for value in row) for row in rows]
    return lines


def _top(store, expression, label, selected):
    """The TOP most frequent values of `expression`; `label` is (plural, singular)."""
    rows = list(store.rows('SELECT %s AS item, COUNT(*) AS n FROM records r WHERE %s GROUP BY item '
                           'ORDER BY n DESC, item LIMIT %d' % (expression, _SELECTED, TOP + 1)))
    lines = ['', '### Top %s' % label[0], '']
    if not rows:
        return lines + ['none selected']
    lines += _table([label[1], 'records'],
                    [(item if item not in (None, '') else '(none)', count) for item, count in rows[:TOP]])
    shown = sum(count for dummy, count in rows[:TOP])
    if len(rows) > TOP:
        lines.append('| %d more records: see the CSV | %d |' % (selected - shown, selected - shown))
    return lines


def _ages(store):
    """(bucket, records) of the selected records by the age of their `created`, and those without one."""
    age = "julianday('now') - julianday(r.created)"
    counts = dict(store.rows("SELECT CASE WHEN r.created IS NULL OR %s IS NULL THEN 'unknown' %s ELSE '%s' END "
                             'AS bucket, COUNT(*) FROM records r WHERE %s GROUP BY bucket' % (
                                 age, ' '.join("WHEN %s <= %d THEN '%s'" % (age, days, label)
                                               for label, days in AGES if days is not None),
                                 AGES[-1][0], _SELECTED)))
    return [(label, counts.get(label, 0)) for label, dummy in AGES] + (
        [('unknown', counts['unknown'])] if counts.get('unknown') else [])


def summary_markdown(report, selection, opt_outs, read):
    """The Markdown text of a run: `report` is the report without its records (head, lists, totals), `selection`
    the ListSelections (their store answers the breakdowns), `opt_outs` [(scope, count)], `read` records read."""
    lines = _markdown_head(report, opt_outs, read) + _per_list_and_user(report['lists'], report['totals'])
    if selection:
        lines += _breakdowns(selection[0].store, report['totals']['selected'])
    return '\n'.join(lines + _selection_lines(report)) + '\n'


def _markdown_head(report, opt_outs, read):
    totals = report['totals']
    kind = 'Dry run' if report['dry_run'] else 'Interrupted run' if report.get('interrupted') else 'Run'
    told = '%s %s, %s seconds.' % (kind, report.get('run', ''), report['seconds'])
    lines = ['## SendGrid suppression cleanup: %s' % kind.lower(), '',
             told + (' Nothing was deleted.' if report['dry_run'] else ''), '']
    told = told_outcomes(totals)
    lines += _table(['read', 'selected', 'held back', 'opt-outs'] + [label for dummy, label in told],
                    [(read, totals['selected'], totals['held_back'], sum(count for dummy, count in opt_outs))
                     + tuple(totals.get(name) or 0 for name, dummy in told)])
    if opt_outs:
        lines += ['', '**Opt-outs** (people who asked not to be mailed): %s; remove_opt_outs: %s.' % (
            ', '.join('%s: %d' % pair for pair in opt_outs), 'true' if report.get('remove_opt_outs') else 'false')]
    return lines


def _per_list_and_user(lists, totals):
    told = told_outcomes(totals)
    names = ['selected', 'held_back'] + [name for name, dummy in told]
    by_list, users = defaultdict(lambda: [0] * len(names)), defaultdict(int)
    for entry in lists:
        key = entry['list'] + (' (group %s)' % entry['group'] if entry.get('group') is not None else '')
        for index, name in enumerate(names):
            by_list[key][index] += entry.get(name) or 0
        users[entry.get('user') or '(the account)'] += entry.get('selected') or 0
    lines = ['', '### Per list', '']
    lines += _table(['list', 'selected', 'held back'] + [label for dummy, label in told],
                    [(name,) + tuple(counts) for name, counts in sorted(by_list.items())])
    ranked = sorted(users.items(), key=lambda pair: (-pair[1], pair[0]))
    lines += ['', '### Top users', '']
    lines += _table(['user', 'selected'], ranked[:TOP])
    if len(ranked) > TOP:
        lines.append('| %d more users: see the CSV | %d |' % (len(ranked) - TOP,
                                                              sum(count for dummy, count in ranked[TOP:])))
    return lines


def _breakdowns(store, selected):
    domain = ("CASE WHEN instr(r.email, '@') = 0 THEN '(no domain)' "
              "ELSE lower(substr(r.email, instr(r.email, '@') + 1)) END")
    lines = _top(store, domain, ('domains', 'domain'), selected)
    lines += _top(store, 'r.reason', ('reasons', 'reason'), selected)
    lines += _top(store, 'r.status', ('statuses', 'status'), selected)
    lines += ['', '### Age of the selected records', '']
    return lines + _table(['created', 'records'], _ages(store))


def _selection_lines(report):
    selectors = report.get('selectors') or {}
    lines = ['', '### Selection', '']
    lines += ['- %s: `%s`' % (name, selectors[name]) for name in sorted(selectors)]
    if report.get('select_all'):
        lines.append('- select_all: `true`')
    if report.get('plan_digest'):
        lines.append('- plan digest: `%s`' % report['plan_digest'])
    return lines


def summary_lines(result, request):
    """The run told in a few lines, as ansible-playbook shows them: what happened, the counts, each list, what was
    held back, the opt-outs, the report, and what a real run needs. The request's `option_prefix` spells the
    options as the caller names them (the role: its variables, `suppression_cleanup_max_delete`)."""
    totals, dry_run, prefix = result['totals'], result['dry_run'], request.option_prefix
    state = 'DRY RUN - nothing was deleted' if dry_run else (
        'Cleanup interrupted' if result.get('interrupted') else 'Cleanup finished')
    lines = ['%s in %s s' % (state, result['seconds']),
             totals_text(totals),
             ', '.join('%s: %d selected' % (_scope_name(entry), entry['selected']) for entry in result['lists'])]
    if totals['held_back']:
        lines.append('held back %d selected record(s) whose address also has unselected records, which deleting the '
                     'address would remove too: %s' % (totals['held_back'], ', '.join(
                         email for entry in result['lists'] for email in entry.get('held_back_addresses') or [])))
    if result.get('opt_outs'):
        lines.append('opt-outs selected: %s%s' % (
            ', '.join('%s: %d' % pair for pair in result['opt_outs'].items()),
            '' if request.remove_opt_outs else '; a real run needs %sremove_opt_outs: true (only if these '
            'people asked to be mailed again)' % prefix))
    if result.get('report'):
        lines.append('report: %s and .csv; summary for a reviewer: %s' % (result['report']['json'],
                                                                          result['report']['summary']))
    if result.get('plan'):
        lines.append(plan_line(result['plan'], prefix))
    if dry_run:
        lines.append(_real_run_needs(result, request))
    return [line for line in lines if line]


def plan_line(plan, prefix):
    """Where the plan was written, and how a real run applies it."""
    return 'plan: %s (%d addresses, digest %s); a real run applies it with %sapply_plan' % (
        plan['path'], plan['addresses'], plan['digest'], prefix)


def _scope_name(entry):
    group = '' if entry.get('group') is None else ' %s' % entry['group']
    return '%s%s%s' % (entry['list'], group, ' of %s' % entry['user'] if entry.get('user') else '')


def _real_run_needs(result, request):
    """Everything a real run needs, in the caller's option names: check mode (--check, or a task's check_mode:
    true) makes a dry run whatever dry_run says, so the line names it as the cause, not dry_run; selected opt-outs
    need remove_opt_outs."""
    prefix = request.option_prefix
    confirm = result['plan']['addresses'] if result.get('plan') else result['totals']['selected']
    needs = []
    if not request.check_mode or request.dry_run_option is not False:
        needs.append('%sdry_run: false' % prefix)
    if request.check_mode:
        needs.append('a run without check mode (no --check, no check_mode: true)')
    if result.get('opt_outs') and not request.remove_opt_outs:
        # Every requirement in the one line a person copies from, not only in the opt-outs line above it. A plan
        # keeps the remove_opt_outs it was made with (the reviewer approved it), so this one can never remove them.
        needs.append('a plan made again by a dry run with %sremove_opt_outs: true' % prefix if result.get('plan')
                     else '%sremove_opt_outs: true' % prefix)
    if confirm > request.max_delete:
        needs.append('%sconfirm_count: %d' % (prefix, confirm))
    why = ''
    if request.check_mode and request.dry_run_option is False:
        why = '; check mode made this a dry run, though %sdry_run is false' % prefix
    return 'a real run of this selection needs %s%s' % (' and '.join(needs), why)
