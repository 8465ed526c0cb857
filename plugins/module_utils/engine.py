# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The idempotent core every module shares: current records + desired state -> plan -> apply -> result."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mailops.sendgrid.plugins.module_utils.http_core import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.filters import Filters, address_key
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists import DELETED

ABSENT = 'absent'
PRESENT = 'present'
ADDED = 'added'
# Deletes in a row that used up every retry on 429 or 5xx before the run stops sending more: the service is
# overloaded or failing, and each further address would only pay the whole retry budget again.
EXHAUSTED_IN_A_ROW = 3


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


def run_jobs(jobs, send, concurrency, what='deletes'):
    """(email, result, error) of every address of `jobs`, each job one request `send(job)` -> results, run
    `concurrency` at a time."""
    stopped = []
    exhausted = [0]

    def attempt(job):
        # Once the service is gone, refuses us, or keeps failing after every retry, every further request would
        # fail alike: the rest are reported as not attempted, so the task ends promptly and a re-run finishes.
        if stopped:
            return [(email, None, 'not attempted: %s' % stopped[0]) for email in job]
        try:
            results = send(job)
        except SendGridError as exc:
            exhausted[0] = exhausted[0] + 1 if exc.exhausted_retries else 0
            if exc.stops_run:
                stopped.append(exc.reason)
            elif exhausted[0] >= EXHAUSTED_IN_A_ROW:
                stopped.append('%d %s in a row failed after every retry, the last with: %s' % (
                    exhausted[0], what, exc.reason))
            return [(email, None, str(exc)) for email in job]
        exhausted[0] = 0
        return list(zip(job, results, [None] * len(job)))

    if not jobs:
        return
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(jobs)))) as pool:
        for done in pool.map(attempt, jobs):
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
    size = getattr(suppression_list, 'delete_batch_size', 1)

    def delete(job):
        if size > 1:
            suppression_list.delete_many(job)
            return [DELETED] * len(job)
        return [suppression_list.delete(job[0])]

    def add(job):
        suppression_list.add_many(job)
        return [ADDED] * len(job)

    for email, result, error in run_jobs(_jobs(plan.deletions, size), delete, concurrency):
        if error is not None:
            outcome.failed.append({'email': email, 'msg': error})
        elif result == DELETED:
            outcome.deleted.append(email)
        else:
            outcome.gone.append(email)
    for email, result, error in run_jobs(_jobs(plan.additions, suppression_list.batch_size if plan.additions
                                               else 1), add, concurrency, what='adds'):
        if error is not None:
            outcome.failed.append({'email': email, 'msg': error})
        else:
            outcome.added.append(email)
    return outcome


def run(suppression_list, emails=None, state=ABSENT, delete_all=False, filters=None, concurrency=8,
        check_mode=False):
    """One module run: list once, plan, apply; the module result, with `msg` when the run failed."""
    wanted = check_request(emails, state, delete_all)
    can_add = hasattr(suppression_list, 'add_many')
    if not delete_all and not wanted:
        # Nothing selected: no record is read (a group is still looked up, so an unknown one is an error).
        filters = Filters(limit=0)
    plan = make_plan(suppression_list.list(filters), emails=emails, state=state, delete_all=delete_all,
                     supports_delete_all=suppression_list.supports_delete_all, can_add=can_add)
    outcome = apply_plan(plan, suppression_list, concurrency=concurrency, check_mode=check_mode)
    deleted_keys = {address_key(e) for e in outcome.deleted + outcome.gone}
    scope = {'list': suppression_list.name, 'user': suppression_list.user}
    group_id = getattr(suppression_list, 'group_id', None)
    if group_id is not None:
        scope['group'] = {'id': group_id, 'name': suppression_list.group_name}
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
    if can_add:
        result['added'] = outcome.added
        result['counts']['added'] = len(outcome.added)
    where = '%s%s%s' % (suppression_list.name, ' %s' % scope['group']['name'] if 'group' in scope else '',
                        ' of user %s' % suppression_list.user if suppression_list.user else '')
    if state == PRESENT and plan.missing and not can_add:
        result['msg'] = '%d address(es) not listed in %s: %s' % (len(plan.missing), where, ', '.join(plan.missing))
    elif outcome.failed:
        verb, done, planned = ('add', 'added', plan.additions) if plan.additions else \
            ('delete', 'deleted', plan.deletions)
        result['msg'] = ('%d of %d %s(s) failed in %s; %d %s (see %s), %d not %s (see failed_emails, first: %s); '
                         'run again to finish: %s' % (
                             len(outcome.failed), len(planned), verb, where, len(result[done]), done, done,
                             len(outcome.failed), done,
                             ', '.join(f['email'] for f in outcome.failed[:5]),
                             '; '.join(sorted({f['msg'] for f in outcome.failed}, key=len)[:3])))
    return result
