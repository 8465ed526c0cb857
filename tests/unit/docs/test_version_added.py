"""`version_added` tells the truth: a plugin says the release that brought it, which is the release the changelog
lists it under; an option of a plugin that came earlier says when it came (2.0.0 for an option 1.0.0 did not have,
nothing for one it had); and the version being made is galaxy.yml's."""

import json
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
RELEASED = yaml.safe_load(open(os.path.join(ROOT, 'tests', 'unit', 'docs', 'released.yml'), encoding='utf-8'))
CHANGELOG = yaml.safe_load(open(os.path.join(ROOT, 'changelogs', 'changelog.yaml'), encoding='utf-8'))
VERSION = yaml.safe_load(open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8'))['version']
KINDS = ('module', 'lookup', 'inventory', 'filter', 'role')


def _dump():
    ansible_doc = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    output = subprocess.run([ansible_doc, '--metadata-dump', '--no-fail-on-errors', 'mailops.sendgrid'],
                            capture_output=True, text=True, check=True).stdout
    return json.loads(output)['all']


DUMP = _dump()


def _options(options, prefix=''):
    """(dotted path, version_added or None) of every option and suboption; ansible-core's own options (from its
    doc fragments, version_added_collection ansible.builtin) are its business."""
    for name, spec in (options or {}).items():
        if spec.get('version_added_collection', 'mailops.sendgrid') != 'mailops.sendgrid':
            continue
        yield prefix + name, spec.get('version_added')
        nested = spec.get('suboptions') or spec.get('options')
        if isinstance(nested, dict):
            yield from _options(nested, prefix + name + '.')


def plugins():
    """(kind, short name, version_added of the plugin, {entry point: [(option, version_added)]})."""
    found = []
    for kind in KINDS:
        for full_name, entry in sorted(DUMP[kind].items()):
            name = full_name.split('.')[-1]
            if kind == 'role':
                points = {point: list(_options(spec.get('options'))) for point, spec in entry['entry_points'].items()}
                added = {spec.get('version_added') for spec in entry['entry_points'].values()} - {None}
                found.append((kind, name, added.pop() if len(added) == 1 else sorted(added), points))
            else:
                found.append((kind, name, entry['doc'].get('version_added'), {'': list(_options(entry['doc'].get('options')))}))
    return found


PLUGINS = plugins()


def _releases(kind, name, point):
    """[(release, the options `kind` `name` had then)], oldest first, of the releases that had it."""
    found = []
    for release in sorted(RELEASED, key=lambda v: tuple(int(p) for p in v.split('.'))):
        entry = RELEASED[release].get(kind, {}).get(name)
        if entry is not None:
            found.append((release, set(entry.get(point, []) if isinstance(entry, dict) else entry)))
    return found


def _released(kind, name, point):
    """The first release that had `kind` `name`, and its options then; (None, None) if new."""
    found = _releases(kind, name, point)
    return found[0] if found else (None, None)


def _allowed(came, first, parent_came):
    """The version_added an option may say that came in `came`: nothing or `came` when it came with its plugin or
    parent option; with its plugin, also an earlier release (a shared doc fragment's own version_added)."""
    if came == first:
        return (None, came) + tuple(release for release in RELEASED if _order(release) < _order(came))
    return (None, came) if came == parent_came else (came,)


def _order(release):
    return tuple(int(part) for part in release.split('.'))


def _option_came(releases, option):
    """The release that first had the option, or None if it is new."""
    return next((release for release, had in releases if option in had), None)


def test_the_version_being_made_is_2_1_0():
    # 2.0.0 is released; what lands after it comes in 2.1.0 (new modules, the API key scopes, moving opt-outs).
    assert VERSION == '2.1.0'


def test_every_released_version_has_its_changelog_section():
    releases = set(CHANGELOG['releases'])
    markdown = open(os.path.join(ROOT, 'CHANGELOG.md'), encoding='utf-8').read()
    for release in RELEASED:
        assert release in releases, 'released %s has no section in changelogs/changelog.yaml' % release
        anchor = '<a id="v%s"></a>' % release.replace('.', '-')
        assert anchor in markdown, 'released %s has no section in CHANGELOG.md (make changelog)' % release
    assert releases <= set(RELEASED), 'a changelog release missing from released.yml: %s' % (releases - set(RELEASED))
    assert all(_order(release) < _order(VERSION) for release in releases), \
        'galaxy.yml %s must be newer than every release in the changelog' % VERSION


def test_every_plugin_kind_was_read():
    assert {kind for kind, dummy, dummy2, dummy3 in PLUGINS} == set(KINDS) and len(PLUGINS) >= 14


@pytest.mark.parametrize('kind, name, added, points', PLUGINS, ids=['%s:%s' % (p[0], p[1]) for p in PLUGINS])
def test_version_added(kind, name, added, points):
    first, dummy = _released(kind, name, '')
    expected = first or VERSION
    if kind != 'role':                       # a role's entry points may leave it out: the changelog says it
        assert added == expected, '%s %s says version_added %s; it came in %s' % (kind, name, added, expected)
    wrong = []
    for point, options in points.items():
        releases = _releases(kind, name, point if kind == 'role' else '')
        first = releases[0][0] if releases else None
        new = set()
        for option, option_added in options:
            parent = next((parent for parent in new if option.startswith(parent + '.')), None)
            if parent is not None:
                if option_added not in (None, VERSION):         # a new option's suboptions came with it
                    wrong.append('%s: %s or nothing, not %s' % (option, VERSION, option_added))
                continue
            came = _option_came(releases, option)
            # An option that came with its plugin, or with its parent option, may leave version_added out.
            parent_came = _option_came(releases, option.rsplit('.', 1)[0]) if '.' in option else None
            if came is None:
                if releases:
                    new.add(option)
                # A new plugin's options from a shared doc fragment keep the fragment's own version_added.
                if option_added not in ((VERSION,) if releases else (None, VERSION) + tuple(RELEASED)):
                    wrong.append('%s: %s (new), not %s' % (option, VERSION, option_added))
            elif option_added not in _allowed(came, first, parent_came):
                wrong.append('%s: %s, not %s' % (option, came, option_added))
    assert not wrong, '%s %s, options whose version_added is wrong: %s' % (kind, name, '; '.join(wrong))


def test_the_changelog_lists_each_plugin_under_the_release_that_brought_it():
    listed = {}
    for release, content in CHANGELOG['releases'].items():
        for kind, entries in (content.get('plugins') or {}).items():
            listed.update({(kind, entry['name']): release for entry in entries})
        listed.update({('module', entry['name']): release for entry in content.get('modules') or []})
        for kind, entries in (content.get('objects') or {}).items():
            listed.update({(kind, entry['name']): release for entry in entries})
    for kind, name, dummy, dummy2 in PLUGINS:
        first, dummy3 = _released(kind, name, '')
        # A plugin of the version being made is listed by antsibull-changelog when it is released.
        expected = (first,) if first else (None, VERSION)
        assert listed.get((kind, name)) in expected, '%s %s in the changelog: %s' % (
            kind, name, listed.get((kind, name)))


def _documented(kind, name, point):
    """{dotted option: its description as one text} of the plugin or role entry point as documented now."""
    entry = DUMP[kind].get('mailops.sendgrid.' + name) or {}
    options = (entry.get('entry_points', {}).get(point) or {}) if kind == 'role' else entry.get('doc') or {}
    found = {}

    def walk(specs, prefix):
        for option, spec in (specs or {}).items():
            text = spec.get('description') or ''
            found[prefix + option] = ' '.join(text) if isinstance(text, list) else text
            walk(spec.get('suboptions') or spec.get('options'), prefix + option + '.')
    walk(options.get('options'), '')
    return found


def _named_by_an_ancestor(option, now):
    """Whether the nearest documented option above `option` names its key, C(key), in its description."""
    parent, dummy, key = option.rpartition('.')
    while parent and parent not in now:
        parent = parent.rpartition('.')[0]
    return bool(parent) and 'C(%s)' % key in now[parent]


def test_no_released_option_disappears_from_the_docs():
    """An option a release had stays documented: as an option, or, for a key of a list of dictionaries whose keys the
    plugin checks itself (the role's suppression_cleanup_lists), named C(key) in its parent option's description."""
    gone = []
    for release, kinds in RELEASED.items():
        for kind, entries in kinds.items():
            for name, points in entries.items():
                for point, options in (points.items() if isinstance(points, dict) else [('', points)]):
                    now = _documented(kind, name, point)
                    for option in options if now else []:
                        if option not in now and not _named_by_an_ancestor(option, now):
                            gone.append('%s %s %s (%s)' % (kind, name, option, release))
    assert not gone, 'released options no longer documented: %s' % '; '.join(gone)
