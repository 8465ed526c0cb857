"""catalogue.py: the one table of lists, and the docs, the role and the modules checked against it."""

import ast
import os
import re

import pytest
import yaml

from ansible_collections.mailops.sendgrid.plugins.module_utils import catalogue
from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_arguments import lists_option
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
NAMES = ['blocks', 'customer_bounces', 'customer_invalid_emails', 'group_unsubscribes', 'invalid_emails',
         'spam_reports', 'subuser_bounces', 'unsubscribes']


def _read(path):
    with open(os.path.join(ROOT, path), encoding='utf-8') as handle:
        return handle.read()


def _documentation(path):
    for node in ast.parse(_read(path)).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION':
            return node.value.value
    raise AssertionError('no DOCUMENTATION in %s' % path)


def test_the_lists():
    assert catalogue.list_names() == NAMES
    assert [kind.name for kind in catalogue.CATALOGUE if not kind.available_on('v2')] == [
        'blocks', 'spam_reports', 'unsubscribes', 'group_unsubscribes']
    assert [kind.name for kind in catalogue.CATALOGUE if kind.groups] == ['group_unsubscribes']


@pytest.mark.parametrize('name,v2,v3', [('invalid_emails', False, False), ('customer_invalid_emails', True, True),
                                        ('customer_bounces', True, True), ('subuser_bounces', True, False),
                                        ('blocks', None, False)])
def test_who_needs_a_user(name, v2, v3):
    kind = catalogue.find(name)
    assert kind.needs_user('v3') is v3
    if v2 is not None:
        assert kind.needs_user('v2') is v2


@pytest.mark.parametrize('module,params,name', [
    ('sendgrid_invalid_email', {}, 'invalid_emails'), ('sendgrid_invalid_email', {'user': 'c'}, 'customer_invalid_emails'),
    ('sendgrid_subuser_bounce', {'bounce_list': 'customer'}, 'customer_bounces'),
    ('sendgrid_subuser_bounce', {'bounce_list': 'subuser'}, 'subuser_bounces'),
    ('sendgrid_block', {}, 'blocks'), ('sendgrid_spam_report', {}, 'spam_reports'),
    ('sendgrid_unsubscribe', {'group': None}, 'unsubscribes'), ('sendgrid_unsubscribe', {'group': 0}, 'group_unsubscribes'),
])
def test_each_module_manages_its_lists(module, params, name):
    assert catalogue.for_module(module, params).name == name


@pytest.mark.parametrize('name,version,user,group,message', [
    ('blocks', 'v2', None, None, 'the list blocks needs api_version v3'),
    ('customer_bounces', 'v3', None, None, 'user is required for the list customer_bounces'),
    ('group_unsubscribes', 'v3', None, ' ', 'the list group_unsubscribes needs group'),
    ('group_unsubscribes', 'v3', None, -1, 'the list group_unsubscribes needs group'),
    ('blocks', 'v3', None, 'Newsletters', 'group applies only to the list group_unsubscribes, not to blocks'),
])
def test_the_rules_of_a_list(name, version, user, group, message):
    with pytest.raises(SendGridError, match=message):
        catalogue.check(catalogue.find(name), version, user, group)


def test_an_unknown_list_names_every_list():
    with pytest.raises(SendGridError, match="unknown list 'bounces': choose one of %s" % ', '.join(NAMES)):
        catalogue.find('bounces')


def test_the_role_offers_exactly_the_catalogue():
    # The role's entries are checked by the cleanup's own spec (their keys documented in the description).
    specs = yaml.safe_load(_read('roles/suppression_cleanup/meta/argument_specs.yml'))
    description = ' '.join(specs['argument_specs']['main']['options']['suppression_cleanup_lists']['description'])
    assert sorted(set(re.findall(r'V\((\w+)\)', description)) & set(NAMES)) == NAMES
    assert sorted(lists_option()['options']['list']['choices']) == NAMES


def test_the_docs_name_every_list():
    lookup = _documentation('plugins/lookup/suppressions.py')
    role_readme = _read('roles/suppression_cleanup/README.md')
    for name in NAMES:
        assert 'V(%s)' % name in lookup, name
        assert '`%s`' % name in role_readme, name


def test_every_module_of_the_catalogue_exists_and_asks_it():
    for module in {kind.module for kind in catalogue.CATALOGUE}:
        source = _read('plugins/modules/%s.py' % module)
        assert "run_module(module, '%s')" % module in source
        assert 'module: %s' % module in _documentation('plugins/modules/%s.py' % module)
