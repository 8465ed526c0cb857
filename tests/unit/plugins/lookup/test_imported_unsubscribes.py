"""The imported_unsubscribes lookup: the addresses an import's report says were added, per list, user and group id,
in the shape sendgrid_unsubscribe takes; check-mode reports and other files refused with their path."""

import json

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

REPORT = {'kind': 'suppression_import', 'dry_run': False, 'lists': [
    {'list': 'unsubscribes', 'user': None, 'group': None, 'group_id': None,
     'records': [{'email': 'a@x.test', 'outcome': 'added'}, {'email': 'a@x.test', 'outcome': 'added'}]},
    {'list': 'group_unsubscribes', 'user': 'tenant-42', 'group': 'Newsletters', 'group_id': 301,
     'records': [{'email': 'b@x.test', 'outcome': 'added'}, {'email': 'c@x.test', 'outcome': 'unknown'},
                 {'email': 'd@x.test', 'outcome': 'to_add'}]},
    {'list': 'unsubscribes', 'user': 'tenant-7', 'group': None, 'group_id': None, 'records': []}]}


def _lookup():
    """The lookup as a play finds it, through ansible-core's loader (which names it, as every core version needs)."""
    return lookup_loader.get('mailops.sendgrid.imported_unsubscribes')


def _write(tmp_path, content, name='report.json'):
    path = tmp_path / name
    path.write_text(json.dumps(content))
    return str(path)


@pytest.mark.compat
def test_the_added_addresses_per_list_user_and_group_id(tmp_path):
    assert _lookup().run([_write(tmp_path, REPORT)]) == [
        {'list': 'unsubscribes', 'user': None, 'group': None, 'emails': ['a@x.test']},
        {'list': 'group_unsubscribes', 'user': 'tenant-42', 'group': 301, 'emails': ['b@x.test', 'c@x.test']}]


@pytest.mark.parametrize('content, message', [
    (dict(REPORT, dry_run=True), 'check-mode import, which added nothing'),
    ({'lists': []}, 'is not the JSON report of a sendgrid_suppression_import run'),
    ([1], 'is not the JSON report'),
])
def test_other_files_are_refused_with_their_path(tmp_path, content, message):
    path = _write(tmp_path, content)
    with pytest.raises(AnsibleLookupError, match=message):
        _lookup().run([path])
    with pytest.raises(AnsibleLookupError, match='no report at'):
        _lookup().run([str(tmp_path / 'none.json')])
