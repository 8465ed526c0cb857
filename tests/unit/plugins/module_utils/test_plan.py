"""engine.py: the plan is pure (no HTTP); apply_plan against an in-memory list of the same interface."""

import threading

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.plan import (
    PlanError, make_plan, run)
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import (
    DELETED, NOT_LISTED, SuppressionListBase)

LISTED = [
    {'email': 'Brandon', 'reason': 'Invalid address', 'created': '2012-08-17 11:04:38'},
    {'email': 'isaac@hotmail', 'reason': 'Bad Syntax', 'created': '2009-06-01 19:41:39'},
    {'email': 'example@example.com', 'reason': 'Known bad domain', 'created': '2009-06-01 19:41:39'},
    {'email': 'EXAMPLE@example.com', 'reason': 'Bad Syntax', 'created': '2009-06-02 19:41:39'},
]


class MemoryList(SuppressionListBase):
    """The declared list interface over a Python list; `fail` maps lower-case emails to an error text."""

    name = 'memory'
    user = None

    def __init__(self, records, supports_delete_all=False, fail=None, gone=()):
        self.records = [dict(r) for r in records]
        self.supports_delete_all = supports_delete_all
        self.fail = fail or {}
        self.gone = {g.lower() for g in gone}
        self.calls = []
        self.lock = threading.Lock()

    def list(self, filters=None):
        self.calls.append(('list', None))
        self.filters = filters
        if filters is not None and filters.limit == 0:
            return iter([])
        return iter([dict(r) for r in self.records])

    def delete(self, email):
        with self.lock:
            self.calls.append(('delete', email))
        if email.lower() in self.fail:
            raise SendGridError(self.fail[email.lower()], list_name=self.name, email=email)
        if email.lower() in self.gone:
            return NOT_LISTED
        self.records = [r for r in self.records if r['email'].lower() != email.lower()]
        return DELETED

    def delete_all(self):
        self.calls.append(('delete_all', None))
        self.records = []


def test_matching_is_case_insensitive_and_deletes_once_per_address():
    plan = make_plan(iter(LISTED), emails=['brandon', 'Example@Example.com', 'nobody@example.com', 'BRANDON'])
    assert plan.deletions == ['Brandon', 'example@example.com']
    assert plan.missing == ['nobody@example.com']
    assert [r['email'] for r in plan.records] == ['Brandon', 'example@example.com', 'EXAMPLE@example.com']
    assert plan.before == ['Brandon', 'EXAMPLE@example.com', 'example@example.com']


def test_addresses_are_never_syntax_checked():
    plan = make_plan(iter(LISTED), emails=['isaac@hotmail'])
    assert plan.deletions == ['isaac@hotmail']


def test_present_deletes_nothing_and_reports_missing():
    plan = make_plan(iter(LISTED), emails=['isaac@hotmail', 'gone@example.com'], state='present')
    assert (plan.deletions, plan.missing) == ([], ['gone@example.com'])


def test_delete_all_selects_every_record():
    plan = make_plan(iter(LISTED), delete_all=True, supports_delete_all=True)
    assert plan.deletions == ['Brandon', 'isaac@hotmail', 'example@example.com']
    assert plan.use_delete_all_call
    assert not make_plan(iter(LISTED), delete_all=True).use_delete_all_call
    assert not make_plan(iter([]), delete_all=True, supports_delete_all=True).use_delete_all_call


@pytest.mark.parametrize('kwargs,message', [
    ({'emails': ['a', '']}, r"emails\[1\] must be a non-empty string, got ''"),
    ({'emails': ['a', None]}, r'emails\[1\] must be a non-empty string, got None'),
    ({'emails': ['a', 3]}, r'emails\[1\] must be a non-empty string, got 3'),
    ({}, 'one of email, emails or delete_all is required'),
    ({'emails': ['a'], 'delete_all': True}, 'delete_all cannot be combined with email or emails'),
    ({'delete_all': True, 'state': 'present'}, 'delete_all requires state=absent'),
    ({'emails': ['a'], 'state': 'gone'}, "state must be absent or present, got 'gone'"),
])
def test_bad_requests_are_refused(kwargs, message):
    with pytest.raises(PlanError, match=message):
        make_plan(iter(LISTED), **kwargs)


def test_bad_requests_are_refused_before_listing():
    memory = MemoryList(LISTED)
    with pytest.raises(PlanError):
        run(memory, emails=['ok', ''])
    assert memory.calls == []


@pytest.mark.parametrize('state', ['absent', 'present'])
def test_an_empty_selection_is_nothing_to_do(state):
    memory = MemoryList(LISTED)
    result = run(memory, emails=[], state=state)
    assert result['changed'] is False and 'msg' not in result
    assert (result['deleted'], result['missing'], result['records']) == ([], [], [])
    assert result['counts'] == {'matched': 0, 'deleted': 0, 'missing': 0, 'failed': 0}
    assert memory.filters.limit == 0, 'no record is read for an empty selection'
    assert memory.calls == [('list', None)]


def test_check_mode_writes_nothing_and_reports_the_same():
    real, check = MemoryList(LISTED), MemoryList(LISTED)
    real_result = run(real, emails=['brandon', 'isaac@hotmail'])
    check_result = run(check, emails=['brandon', 'isaac@hotmail'], check_mode=True)
    assert check.calls == [('list', None)]
    assert check_result == real_result
    assert real_result['changed'] and real_result['deleted'] == ['Brandon', 'isaac@hotmail']


def test_second_run_changes_nothing():
    memory = MemoryList(LISTED)
    run(memory, emails=['brandon'])
    memory.calls.clear()
    result = run(memory, emails=['brandon'])
    assert memory.calls == [('list', None)]
    assert (result['changed'], result['deleted'], result['missing']) == (False, [], ['brandon'])


def test_delete_all_uses_one_call_where_the_api_has_it():
    memory = MemoryList(LISTED, supports_delete_all=True)
    result = run(memory, delete_all=True)
    assert memory.calls == [('list', None), ('delete_all', None)]
    assert result['counts'] == {'matched': 4, 'deleted': 3, 'missing': 0, 'failed': 0}
    assert result['diff']['after']['emails'] == []


def test_partial_failure_reports_what_was_deleted_and_what_failed():
    memory = MemoryList(LISTED, fail={'isaac@hotmail': 'still HTTP 503 after max_retries=5 retries'})
    result = run(memory, emails=['brandon', 'isaac@hotmail', 'example@example.com'])
    assert result['deleted'] == ['Brandon', 'example@example.com']
    assert result['failed_emails'] == [{'email': 'isaac@hotmail',
                                        'msg': 'memory, email isaac@hotmail: still HTTP 503 after max_retries=5 '
                                               'retries'}]
    assert result['msg'] == ('1 of 3 delete(s) failed in memory; 2 deleted (see deleted), 1 not deleted (see '
                             'failed_emails, first: isaac@hotmail); run again to finish: memory, email '
                             'isaac@hotmail: still HTTP 503 after max_retries=5 retries')
    memory.fail.clear()
    again = run(memory, emails=['brandon', 'isaac@hotmail', 'example@example.com'])
    assert (again['deleted'], again['failed_emails'], 'msg' in again) == (['isaac@hotmail'], [], False)


def test_record_gone_between_listing_and_delete_counts_as_missing():
    memory = MemoryList(LISTED, gone=['brandon'])
    result = run(memory, emails=['brandon'])
    assert (result['changed'], result['deleted'], result['missing']) == (False, [], ['Brandon'])


def test_present_failure_names_the_missing():
    result = run(MemoryList(LISTED), emails=['brandon', 'x@example.com', 'y'], state='present')
    assert result['msg'] == '2 address(es) not listed in memory: x@example.com, y'
    assert result['changed'] is False


def test_deletes_run_in_parallel_up_to_concurrency():
    active, peak = [0], [0]
    lock = threading.Lock()
    barrier = threading.Barrier(4, timeout=5)

    class Slow(MemoryList):
        def delete(self, email):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            barrier.wait()
            with lock:
                active[0] -= 1
            return DELETED

    records = [{'email': 'a%d@example.com' % i, 'reason': '', 'created': ''} for i in range(8)]
    run(Slow(records), emails=[r['email'] for r in records], concurrency=4)
    assert peak[0] == 4


def test_a_lost_service_stops_the_run_and_lists_what_was_not_attempted():
    class Lost(MemoryList):
        def delete(self, email):
            with self.lock:
                self.calls.append(('delete', email))
            if email.startswith('a1'):
                raise SendGridError('connection refused by http://127.0.0.1:9: is the service running there?',
                                    list_name='memory', email=email, unreachable=True)
            return DELETED

    records = [{'email': 'a%d@example.com' % i, 'reason': '', 'created': ''} for i in range(40)]
    memory = Lost(records)
    result = run(memory, emails=[r['email'] for r in records], concurrency=1)
    deletes = [c for c in memory.calls if c[0] == 'delete']
    assert len(deletes) == 2, 'a0 deleted, a1 refused, nothing attempted after'
    assert result['deleted'] == ['a0@example.com']
    assert len(result['failed_emails']) == 39
    assert result['failed_emails'][1] == {
        'email': 'a2@example.com',
        'msg': 'not attempted: connection refused by http://127.0.0.1:9: is the service running there?'}
    assert result['msg'].startswith('39 of 40 delete(s) failed in memory; 1 deleted (see deleted), 39 not deleted')
