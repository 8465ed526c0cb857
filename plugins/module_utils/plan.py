# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The idempotent core every module shares: current records + desired state -> plan -> apply -> result."""

from __future__ import annotations

from ansible_collections.mailops.sendgrid.plugins.module_utils.consent import ConsentError, check_removal, opt_out_counts
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.parallel import in_order
from ansible_collections.mailops.sendgrid.plugins.module_utils.stopping import RunStopped
from ansible_collections.mailops.sendgrid.plugins.module_utils.pacing import StopRule
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters, address_key
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import DELETED

ABSENT = 'absent'
PRESENT = 'present'


class PlanError(ValueError):
    """Desired state that cannot be planned: names the option and the rule."""


def normalise_emails(emails, option='emails'):
    """The wanted addresses in the order given, without case-insensitive repeats; no syntax check."""
    wanted = {}
    for index, email in enumerate(emails or []):
        if not isinstance(email, str) or not email.strip():
            raise PlanError('%s[%d] must be a non-empty string, got %r' % (option, index, email))
        wanted.setdefault(address_key(email.strip()), email.strip())
    return wanted


class Plan:
    """What a run will do, computed without any write: pure, so check mode is exactly the real run."""

    def __init__(self, state, wanted, delete_all, records, deletions, missing, use_delete_all_call, additions=()):
        self.state = state
        self.wanted = wanted
        self.delete_all = delete_all
        self.records = records                    # the listed records the run concerns
        self.deletions = deletions                # one address per delete, as SendGrid lists it
        self.missing = missing                    # wanted addresses that are not listed
        self.use_delete_all_call = use_delete_all_call
        self.additions = list(additions)          # addresses to add, on the lists the API can add to

    @property
    def before(self):
        return sorted({r['email'] for r in self.records}, key=lambda email: (address_key(email), email))


def check_request(emails=None, state=ABSENT, delete_all=False):
    """Validate the desired state before any request; the wanted addresses keyed by lower case."""
    if state not in (ABSENT, PRESENT):
        raise PlanError('state must be absent or present, got %r' % (state,))
    if delete_all and emails:
        raise PlanError('delete_all cannot be combined with email or emails: it selects every record')
    if delete_all and state == PRESENT:
        raise PlanError('delete_all requires state=absent')
    if not delete_all and emails is None:
        raise PlanError('one of email, emails or delete_all is required')
    # An empty `emails` (a lookup that matched nothing) is a run with nothing to do, never a whole list.
    return {} if delete_all else normalise_emails(emails)


def make_plan(records, emails=None, state=ABSENT, delete_all=False, supports_delete_all=False, can_add=False):
    """Match the listing against the wanted addresses (case-insensitively) and decide the deletes, or on a list
    the API can add to, the adds."""
    wanted = check_request(emails, state, delete_all)
    selected, first_spelling = [], {}
    for record in records:
        key = address_key(record['email'])
        if delete_all or key in wanted:
            selected.append(record)
            first_spelling.setdefault(key, record['email'])
    missing = [email for key, email in wanted.items() if key not in first_spelling]
    deletions = list(first_spelling.values()) if state == ABSENT else []
    additions = missing if state == PRESENT and can_add else []
    use_delete_all_call = bool(delete_all and supports_delete_all and deletions)
    return Plan(state, wanted, delete_all, selected, deletions, missing, use_delete_all_call, additions)


class Outcome:
    def __init__(self, deleted=None, gone=None, failed=None, added=None):
        self.deleted = deleted or []              # removed by this run (or that would be, in check mode)
        self.gone = gone or []                    # listed when read, already gone when deleted
        self.failed = failed or []                # {'email': ..., 'msg': ...}
        self.added = added or []                  # added by this run (or that would be, in check mode)


def run_jobs(jobs, send, concurrency, what='deletes', on_skipped=None):
    """(email, result, error) of every address of `jobs` (any iterable of lists), each job one request
    `send(job)` -> results, run `concurrency` at a time, until pacing's StopRule says the run must stop or the run
    is stopped; on_skipped(job, why) is told of each job never sent."""
    rule = StopRule(what)

    def not_attempted(job, why):
        if on_skipped is not None:
            on_skipped(job, why)
        return [(email, None, 'not attempted: %s' % why) for email in job]

    def attempt(job):
        if rule.reason:
            return not_attempted(job, rule.reason)
        try:
            results = send(job)
        except RunStopped as exc:
            return [(email, None, 'not attempted: %s' % exc) for email in job]
        except SendGridError as exc:
            rule.failed(exc)
            return [(email, None, str(exc)) for email in job]
        rule.succeeded()
        return list(zip(job, results, [None] * len(job)))

    for done in in_order(attempt, jobs, concurrency, lambda job: not_attempted(job, 'the run was stopped')):
        yield from done


def _jobs(addresses, size):
    return [addresses[start:start + size] for start in range(0, len(addresses), size)]


def apply_plan(plan, suppression_list, concurrency=8, check_mode=False):
    """Carry out the plan: nothing in check mode, one delete-all call where the API has it, else in parallel."""
    if check_mode:
        return Outcome(deleted=list(plan.deletions), added=list(plan.additions))
    if plan.use_delete_all_call:
        suppression_list.delete_all()
        return Outcome(deleted=list(plan.deletions))
    outcome = Outcome()
    # A list with bulk deletes (v3) takes the addresses batch_size at a time, one request a batch; a v2 list, or
    # a v3 list without bulk deletes, one address a request.
    size = suppression_list.delete_batch_size

    for email, result, error in run_jobs(_jobs(plan.deletions, size), suppression_list.delete_many, concurrency):
        if error is not None:
            outcome.failed.append({'email': email, 'msg': error})
        elif result == DELETED:
            outcome.deleted.append(email)
        else:
            outcome.gone.append(email)
    for email, result, error in run_jobs(_jobs(plan.additions, suppression_list.batch_size),
                                         suppression_list.add_many, concurrency, what='adds'):
        if error is not None:
            outcome.failed.append({'email': email, 'msg': error})
        else:
            outcome.added.append(email)
    return outcome


def run(suppression_list, emails=None, state=ABSENT, delete_all=False, filters=None, concurrency=8,
        check_mode=False, remove_opt_outs=False):
    """One module run: list once, plan, apply; the module result, with `msg` when the run failed."""
    wanted = check_request(emails, state, delete_all)
    if not delete_all and not wanted:
        # Nothing selected: no record is read (a group is still looked up, so an unknown one is an error).
        filters = Filters(limit=0)
    return run_on_records(suppression_list, suppression_list.list(filters), emails=emails, state=state,
                          delete_all=delete_all, concurrency=concurrency, check_mode=check_mode,
                          remove_opt_outs=remove_opt_outs)


def run_on_records(suppression_list, records, emails=None, state=ABSENT, delete_all=False, concurrency=8,
                   check_mode=False, remove_opt_outs=False):
    """run() on records the caller has just read from the list (the one-step cleanup reads each list once)."""
    plan = make_plan(records, emails=emails, state=state, delete_all=delete_all,
                     supports_delete_all=suppression_list.supports_delete_all, can_add=suppression_list.can_add)
    if delete_all:
        # Named addresses are the deliberate removal SendGrid allows; a whole list of opt-outs needs the words.
        counts = opt_out_counts([(suppression_list.name, suppression_list.user, suppression_list.group,
                                  len(plan.deletions))])
        try:
            check_removal(counts, remove_opt_outs, what='delete_all')
        except ConsentError as exc:
            raise PlanError(str(exc)) from None
    outcome = apply_plan(plan, suppression_list, concurrency=concurrency, check_mode=check_mode)
    result = _result(suppression_list, plan, outcome)
    problem = _problem(suppression_list, plan, outcome, result)
    if problem:
        result['msg'] = problem
    return result


def _scope(suppression_list):
    scope = {'list': suppression_list.name, 'user': suppression_list.user}
    if suppression_list.group_id is not None:
        scope['group'] = {'id': suppression_list.group_id, 'name': suppression_list.group_name}
    return scope


def _result(suppression_list, plan, outcome):
    """The module result of a plan and its outcome, with the diff of the listed addresses before and after."""
    scope = _scope(suppression_list)
    deleted_keys = {address_key(e) for e in outcome.deleted + outcome.gone}
    after = [e for e in plan.before if address_key(e) not in deleted_keys] + outcome.added
    result = dict(scope, **{
        'changed': bool(outcome.deleted or outcome.added),
        'deleted': outcome.deleted,
        'missing': plan.missing + outcome.gone,
        'failed_emails': outcome.failed,
        'records': plan.records,
        'counts': {'matched': len(plan.records), 'deleted': len(outcome.deleted),
                   'missing': len(plan.missing) + len(outcome.gone), 'failed': len(outcome.failed)},
        'diff': {
            'before': dict(scope, emails=plan.before),
            'after': dict(scope, emails=sorted(after, key=lambda email: (address_key(email), email))),
        },
    })
    if suppression_list.can_add:
        result['added'] = outcome.added
        result['counts']['added'] = len(outcome.added)
    return result


def _problem(suppression_list, plan, outcome, result):
    """Why the run failed, naming the list, its group and user; None when it did not."""
    where = '%s%s%s' % (suppression_list.name,
                        ' %s' % suppression_list.group_name if suppression_list.group_id is not None else '',
                        ' of user %s' % suppression_list.user if suppression_list.user else '')
    if plan.state == PRESENT and plan.missing and not suppression_list.can_add:
        return '%d address(es) not listed in %s: %s' % (len(plan.missing), where, ', '.join(plan.missing))
    if not outcome.failed:
        return None
    verb, done, planned = ('add', 'added', plan.additions) if plan.additions else ('delete', 'deleted', plan.deletions)
    return ('%d of %d %s(s) failed in %s; %d %s (see %s), %d not %s (see failed_emails, first: %s); '
            'run again to finish: %s' % (
                len(outcome.failed), len(planned), verb, where, len(result[done]), done, done,
                len(outcome.failed), done, ', '.join(f['email'] for f in outcome.failed[:5]),
                '; '.join(sorted({f['msg'] for f in outcome.failed}, key=len)[:3])))
