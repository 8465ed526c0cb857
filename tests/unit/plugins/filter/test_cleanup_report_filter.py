"""The deprecated suppression_report filter: it still builds the report, and a shape it cannot read is a filter
error. That a play using it, and only such a play, is warned of the removal: test_filter_deprecations.py."""

import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.mailops.sendgrid.plugins.filter.cleanup_report_filter import FilterModule, suppression_report

pytestmark = pytest.mark.compat

SELECTION = [{'list': 'blocks', 'user': None, 'records': [
    {'email': 'a@example.com', 'status': '4.0.0', 'reason': 'outage', 'created': '2025-03-01 08:00:00'},
    {'email': 'b@example.com', 'status': '4.0.0', 'reason': '=cmd', 'created': '2025-03-02 08:00:00'}]}]
RESULTS = [{'index': 0, 'deleted': ['a@example.com'], 'missing': ['B@example.com'], 'failed_emails': []}]


def test_builds_the_counts_and_the_files():
    report = suppression_report(SELECTION, RESULTS, dry_run=False, started=1, finished=3)
    assert report['totals']['deleted'] == 1 and report['totals']['already_gone'] == 1
    records = json.loads(report['json'])['lists'][0]['records']
    assert [record['outcome'] for record in records] == ['deleted', 'already_gone']
    assert "'=cmd" in report['csv']


def test_a_dry_run_selects_only():
    report = suppression_report(SELECTION, dry_run=True, started=1, finished=2)
    assert report['totals']['selected'] == 2 and report['totals']['deleted'] == 0


def test_a_foreign_shape_is_a_filter_error():
    with pytest.raises(AnsibleFilterError, match='not shaped as the suppression_cleanup role makes them'):
        suppression_report([{'records': [{}]}], dry_run=False, started=0, finished=0)
    assert FilterModule().filters() == {'suppression_report': suppression_report}
