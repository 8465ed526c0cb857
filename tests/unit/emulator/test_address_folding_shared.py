"""The address folding lives twice on purpose, once in the collection and once in the emulator (which imports none
of the collection's code); one vector of spellings holds the two copies equal."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import address_key as collection_key
from emulator.store import address_key as emulator_key

# (spelling, folded): ASCII letters fold, nothing else does (SendGrid's rule, see the emulator README).
VECTOR = [
    ('Someone@Example.COM', 'someone@example.com'),
    ('someone@example.com', 'someone@example.com'),
    ('ÄNGSTRÖM@Example.org', 'ÄngstrÖm@example.org'),
    ('İstanbul@example.net', 'İstanbul@example.net'),
    ('STRASSE@ex.de', 'strasse@ex.de'),
    ('Straße@EX.de', 'straße@ex.de'),
    ('\u212aelvin@Example.com', '\u212aelvin@example.com'),  # the Kelvin sign, which str.lower() makes a k
    ('\u212aelvin@example.com', '\u212aelvin@example.com'),
    ('Zz@[IPv6:::1]', 'zz@[ipv6:::1]'),
    ('', ''),
]


@pytest.mark.parametrize('spelling,folded', VECTOR)
def test_both_copies_fold_alike(spelling, folded):
    assert collection_key(spelling) == folded
    assert emulator_key(spelling) == folded
