"""What Galaxy and the README say of the release: galaxy.yml's description names every kind of list and the
collection's other parts, its tags find the event source, and the README installs the tarball of this version."""

import glob
import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GALAXY = yaml.safe_load(open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8'))


def test_the_galaxy_description_names_what_the_collection_does():
    description = GALAXY['description']
    for part in ('invalid emails', 'bounces', 'blocks', 'spam reports', 'global unsubscribes', 'unsubscribe groups',
                 'subuser', 'Web API v3', 'lookup', 'inventory', 'cleanup', 'Event-Driven Ansible'):
        assert part in description, part
    assert {'sendgrid', 'eda', 'inventory'} <= set(GALAXY['tags'])


def test_the_readme_installs_this_version():
    readme = open(os.path.join(ROOT, 'README.md'), encoding='utf-8').read()
    assert 'mailops-sendgrid-%s.tar.gz' % GALAXY['version'] in readme
    assert 'Event-Driven Ansible' in readme.split('## Install')[0]


def test_no_plugin_or_guide_names_a_release_that_never_was():
    paths = glob.glob(os.path.join(ROOT, 'plugins', '**', '*.py'), recursive=True)
    paths += glob.glob(os.path.join(ROOT, 'roles', '**', '*.yml'), recursive=True)
    paths += glob.glob(os.path.join(ROOT, 'docs', 'docsite', 'rst', '*.rst'))
    stale = [os.path.relpath(path, ROOT) for path in paths if '0.2.0' in open(path, encoding='utf-8').read()]
    assert not stale


def test_every_tarball_the_documentation_installs_is_this_version():
    paths = [os.path.join(ROOT, 'README.md')] + glob.glob(os.path.join(ROOT, 'roles', '*', 'README.md'))
    paths += glob.glob(os.path.join(ROOT, 'docs', 'docsite', 'rst', '*.rst'))
    named = {(os.path.relpath(path, ROOT), version) for path in paths
             for version in re.findall(r'mailops-sendgrid-(\d+\.\d+\.\d+)\.tar\.gz', open(path, encoding='utf-8').read())}
    assert named and all(version == GALAXY['version'] for dummy, version in named), named
