"""cleanup_delete.py: every delete request journalled before it is sent and answered after; a stop journals what
was not sent, and nothing is sent after it."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_delete import _chunks, _journalled
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError


class Journal:
    def __init__(self):
        self.lines = []

    def before(self, scope, addresses):
        self.lines.append(('before', scope, list(addresses)))
        return len(self.lines)

    def answered(self, seq, gone):
        self.lines.append(('answered', seq, gone))

    def failed(self, seq, why):
        self.lines.append(('failed', seq, why))

    def not_sent(self, seq, why):
        self.lines.append(('not_sent', seq, why))

    def skipped(self, scope, addresses, why):
        self.lines.append(('skipped', scope, list(addresses), why))


class Progress:
    deleted = 0

    def records_deleted(self, count):
        self.deleted += count


def test_a_request_is_journalled_before_it_is_sent_and_its_answer_after():
    journal, sent = Journal(), []

    def delete_many(addresses):
        assert journal.lines[-1] == ('before', 'scope', addresses), 'sent before it was journalled'
        sent.append(addresses)
        return ['deleted', 'not_found']
    send = _journalled(journal, 'scope', delete_many, Progress())
    assert send(['a@x.test', 'b@x.test']) == ['deleted', 'not_found']
    assert journal.lines[-1] == ('answered', 1, ['b@x.test'])


def test_a_failed_request_is_journalled_as_failed():
    journal = Journal()

    def delete_many(addresses):
        raise SendGridError('HTTP 500')
    with pytest.raises(SendGridError):
        _journalled(journal, 'scope', delete_many, Progress())(['a@x.test'])
    assert journal.lines[-1] == ('failed', 1, 'HTTP 500')


def test_after_a_stop_nothing_is_sent_and_the_addresses_are_journalled_as_skipped(monkeypatch):
    journal = Journal()
    monkeypatch.setattr(stopping, 'requested', lambda: True)
    monkeypatch.setattr(stopping, 'reason', lambda: 'stopped by SIGINT')
    with pytest.raises(stopping.RunStopped):
        _journalled(journal, 'scope', lambda addresses: pytest.fail('sent after the stop'), Progress())(['a@x.test'])
    assert journal.lines == [('skipped', 'scope', ['a@x.test'], 'stopped by SIGINT')]


def test_chunks_are_made_as_they_are_used():
    assert list(_chunks(iter(['a', 'b', 'c']), 2)) == [['a', 'b'], ['c']]
    assert list(_chunks(iter([]), 2)) == []
