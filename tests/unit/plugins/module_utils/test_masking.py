"""masking.py: a secret is masked in every form a server may echo it, and a cut never leaves part of it."""

from ansible_collections.mailops.sendgrid.plugins.module_utils.masking import MASK, Masker, excerpt, mask

SECRET = 'SG.a/b+c"<d>'


def test_every_form_is_masked():
    for form in ('SG.a/b+c"<d>', 'SG.a%2Fb%2Bc%22%3Cd%3E', 'SG.a%2Fb%2Bc%22%3Cd%3E', 'SG.a/b+c\\"<d>',
                 'SG.a/b+c&quot;&lt;d&gt;'):
        assert mask('key=%s!' % form, [SECRET]) == 'key=%s!' % MASK


def test_a_masker_leaves_other_values_alone():
    masker = Masker([SECRET, None, ''])
    assert masker(5) == 5 and masker('nothing here') == 'nothing here'


def test_an_excerpt_is_masked_before_it_is_cut():
    text = 'x' * 195 + SECRET + 'y' * 50
    cut = excerpt(text, [SECRET], size=200)
    assert 'SG.a' not in cut and cut.endswith('...') and len(cut) == 203
