# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The idempotent core every module shares: current records + desired state -> plan -> apply -> result."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mailops.sendgrid.plugins.module_utils.http_core import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.filters import address_key
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists import DELETED

ABSENT = 'absent'
PRESENT = 'present'
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

    def __init__(self, state, wanted, delete_all, records, deletions, missing, use_delete_all_call):
        self.state = state
        self.wanted = wanted
        self.delete_all = delete_all
        self.records = records                    # the listed records the run concerns
        self.deletions = deletions                # one address per delete request, as SendGrid lists it
        self.missing = missing                    # wanted addresses that are not listed
        self.use_delete_all_call = use_delete_all_call

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
    wanted = {} if delete_all else normalise_emails(emails)
    if not delete_all and not wanted:
        raise PlanError('one of email, emails or delete_all is required')
    return wanted


def make_plan(records, emails=None, state=ABSENT, delete_all=False, supports_delete_all=False):
    """Match the listing against the wanted addresses (case-insensitively) and decide the deletes."""
    wanted = check_request(emails, state, delete_all)
    selected, first_spelling = [], {}
    for record in records:
        key = address_key(record['email'])
        if delete_all or key in wanted:
            selected.append(record)
            first_spelling.setdefault(key, record['email'])
    missing = [email for key, email in wanted.items() if key not in first_spelling]
    deletions = list(first_spelling.values()) if state == ABSENT else []
    use_delete_all_call = bool(delete_all and supports_delete_all and deletions)
    return Plan(state, wanted, delete_all, selected, deletions, missing, use_delete_all_call)


class Outcome:
    def __init__(self, deleted=None, gone=None, failed=None):
        self.deleted = deleted or []              # removed by this run (or that would be, in check mode)
        self.gone = gone or []                    # listed when read, already gone when deleted
        self.failed = failed or []                # {'email': ..., 'msg': ...}


def apply_plan(plan, suppression_list, concurrency=8, check_mode=False):
    """Carry out the deletes: none in check mode, one delete-all call where the API has it, else in parallel."""
    if check_mode or not plan.deletions:
        return Outcome(deleted=list(plan.deletions))
    if plan.use_delete_all_call:
        suppression_list.delete_all()
        return Outcome(deleted=list(plan.deletions))
    outcome = Outcome()
    stopped = []
    exhausted = [0]
    # A list with bulk deletes (v3) takes the addresses batch_size at a time, one request a batch; a v2 list one
    # address a request. Either way the jobs run `concurrency` at a time.
    size = getattr(suppression_list, 'batch_size', 1)
    jobs = [plan.deletions[start:start + size] for start in range(0, len(plan.deletions), size)]

    def delete(job):
        # Once the service is gone, refuses us, or keeps failing after every retry, every further delete would fail
        # alike: the rest are reported as not attempted, so the task ends promptly and a re-run finishes the job.
        if stopped:
            return [(email, None, 'not attempted: %s' % stopped[0]) for email in job]
        try:
            if size > 1:
                suppression_list.delete_many(job)
                results = [DELETED] * len(job)
            else:
                results = [suppression_list.delete(job[0])]
        except SendGridError as exc:
            exhausted[0] = exhausted[0] + 1 if exc.exhausted_retries else 0
            if exc.stops_run:
                stopped.append(exc.reason)
            elif exhausted[0] >= EXHAUSTED_IN_A_ROW:
                stopped.append('%d deletes in a row failed after every retry, the last with: %s' % (
                    exhausted[0], exc.reason))
            return [(email, None, str(exc)) for email in job]
        exhausted[0] = 0
        return list(zip(job, results, [None] * len(job)))

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(jobs)))) as pool:
        for done in pool.map(delete, jobs):
            for email, result, error in done:
                if error is not None:
                    outcome.failed.append({'email': email, 'msg': error})
                elif result == DELETED:
                    outcome.deleted.append(email)
                else:
                    outcome.gone.append(email)
    return outcome


def run(suppression_list, emails=None, state=ABSENT, delete_all=False, filters=None, concurrency=8,
        check_mode=False):
    """One module run: list once, plan, apply; the module result, with `msg` when the run failed."""
    check_request(emails, state, delete_all)
    plan = make_plan(suppression_list.list(filters), emails=emails, state=state, delete_all=delete_all,
                     supports_delete_all=suppression_list.supports_delete_all)
    outcome = apply_plan(plan, suppression_list, concurrency=concurrency, check_mode=check_mode)
    deleted_keys = {address_key(e) for e in outcome.deleted + outcome.gone}
    result = {
        'changed': bool(outcome.deleted),
        'list': suppression_list.name,
        'user': suppression_list.user,
        'deleted': outcome.deleted,
        'missing': plan.missing + outcome.gone,
        'failed_emails': outcome.failed,
        'records': plan.records,
        'counts': {'matched': len(plan.records), 'deleted': len(outcome.deleted),
                   'missing': len(plan.missing) + len(outcome.gone), 'failed': len(outcome.failed)},
        'diff': {
            'before': {'list': suppression_list.name, 'user': suppression_list.user, 'emails': plan.before},
            'after': {'list': suppression_list.name, 'user': suppression_list.user,
                      'emails': [e for e in plan.before if address_key(e) not in deleted_keys]},
        },
    }
    where = '%s%s' % (suppression_list.name, ' of user %s' % suppression_list.user if suppression_list.user else '')
    if state == PRESENT and plan.missing:
        result['msg'] = '%d address(es) not listed in %s: %s' % (len(plan.missing), where, ', '.join(plan.missing))
    elif outcome.failed:
        result['msg'] = ('%d of %d delete(s) failed in %s; %d deleted (see deleted), %d not deleted (see '
                         'failed_emails, first: %s); run again to finish: %s' % (
                             len(outcome.failed), len(plan.deletions), where, len(outcome.deleted),
                             len(outcome.failed), ', '.join(f['email'] for f in outcome.failed[:5]),
                             '; '.join(sorted({f['msg'] for f in outcome.failed}, key=len)[:3])))
    return result
