"""make_unsafe: text an outsider chose is never templated, however deep it sits."""

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.mailops.sendgrid.plugins.plugin_utils.unsafe import make_unsafe

pytestmark = pytest.mark.compat

HOSTILE = "{{ 6 * 7 }}@example.com"


def test_every_string_is_left_as_it_is_by_the_templar():
    value = make_unsafe([{'email': HOSTILE, 'tags': [HOSTILE]}])
    templated = Templar(loader=DataLoader()).template(value)
    assert templated == [{'email': HOSTILE, 'tags': [HOSTILE]}]


def test_plain_values_are_kept():
    assert make_unsafe({'count': 3, 'ok': True, 'none': None}) == {'count': 3, 'ok': True, 'none': None}
