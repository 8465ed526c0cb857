"""lists_base.py: the declared interface; bulk operations default to the single ones, what cannot be done says
so, and the paging guards."""

import inspect

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import (
    DELETED, NOT_LISTED, SuppressionListBase, check_advance, check_paging_depth, records_problem)


class Listed(SuppressionListBase):
    name = 'listed'

    def __init__(self, emails):
        super().__init__(client=Client(), user=None)
        self.emails = list(emails)

    def list(self, filters=None):
        return iter({'email': e} for e in self.emails)

    def delete(self, email):
        if email in self.emails:
            self.emails.remove(email)
            return DELETED
        return NOT_LISTED


class Client:
    @staticmethod
    def error(message, **context):
        return SendGridError(message, **context)


def test_the_interface_declares_what_every_list_must_do():
    assert SuppressionListBase.__abstractmethods__ == frozenset({'list', 'delete'})
    assert inspect.isabstract(type('Half', (SuppressionListBase,), {'list': lambda self, filters=None: iter(())}))
    assert not inspect.isabstract(Listed)


def test_bulk_defaults_to_single():
    listed = Listed(['a', 'b'])
    assert listed.delete_many(['a', 'c']) == [DELETED, NOT_LISTED]
    assert listed.count() == 1 and listed.delete_batch_size == 1


def test_capabilities_are_declared():
    listed = Listed([])
    assert (listed.can_add, listed.supports_delete_all, listed.group_id) == (False, False, None)
    with pytest.raises(SendGridError, match='no delete-all'):
        listed.delete_all()
    with pytest.raises(SendGridError, match='cannot add to this list'):
        listed.add_many(['a'])


def test_paging_guards():
    listed = Listed([])
    listed.max_records = 1000
    check_paging_depth(listed, 999, 'GET x')
    with pytest.raises(SendGridError, match='paging went past 1000 records'):
        check_paging_depth(listed, 1000, 'GET x')
    assert check_advance(listed, [{'email': 'a'}], [{'email': 'b'}], 500, 'GET x') == [{'email': 'b'}]
    with pytest.raises(SendGridError, match='paging does not advance: offset 500'):
        check_advance(listed, [{'email': 'a'}], [{'email': 'a'}], 500, 'GET x')


@pytest.mark.parametrize('body,problem', [([], None), ([{'email': 'a'}], None), ({}, 'a list of records'),
                                          ([{'email': ' '}], 'record 0 has no address')])
def test_records_problem(body, problem):
    found = records_problem(body)
    assert found == problem if problem is None else problem in found
