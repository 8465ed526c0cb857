"""Every YAML example the documentation shows, found where a reader finds it: the README, the docsite guides, the
role README and the plugins' EXAMPLES."""

import ast
import glob
import os
import re
import shlex
import textwrap

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MARKDOWN_BLOCK = re.compile(r'^```ya?ml[^\n]*\n(.*?)^```', re.M | re.S)
RST_BLOCK = re.compile(r'^( *)\.\. code-block:: yaml(?:\+jinja)?\n((?:\1 +.*\n|[ \t]*\n)+)', re.M)
CONSOLE_BLOCK = re.compile(r'^( *)\.\. code-block:: console\n((?:\1 +.*\n|[ \t]*\n)+)', re.M)
GUIDE = os.path.join(ROOT, 'docs', 'docsite', 'rst', 'bulk_cleanup.rst')


def section(text, title):
    """The text of a guide's section, from its title to the next title of the same level."""
    start = text.index('\n%s\n%s\n' % (title, '-' * len(title)))
    following = re.search(r'\n[^\n]+\n-{3,}\n', text[start + len(title) + 2:])
    return text[start:start + len(title) + 2 + following.start()] if following else text[start:]


def console_lines(block):
    """What a reader types from a console block: each command (its words, without the prompt and the comments), and
    '^C' where the block shows Ctrl-C pressed."""
    typed = []
    for line in block.splitlines():
        line = line.strip()
        if line.startswith('$ '):
            typed.append(shlex.split(line[2:].split('#')[0]))
        elif line == '^C':
            typed.append('^C')
    return typed


class Example:
    """One YAML block: where it is, its text, and what it is (a playbook, tasks, an inventory source, a rulebook
    (checked by tests/eda, under ansible-rulebook), or configuration that is not run on its own, such as an AWX
    credential type)."""

    def __init__(self, source, index, text):
        self.source = source
        self.index = index
        self.text = text
        self.data = yaml.safe_load(text)

    @property
    def id(self):
        return '%s#%d' % (self.source, self.index)

    @property
    def kind(self):
        if isinstance(self.data, dict):
            return 'inventory' if 'plugin' in self.data else 'configuration'
        if isinstance(self.data, list) and self.data and all(isinstance(item, dict) for item in self.data):
            if all('sources' in item and 'rules' in item for item in self.data):
                return 'rulebook'
            return 'playbook' if all('hosts' in item for item in self.data) else 'tasks'
        return 'configuration'


def _markdown(path):
    return [match.group(1) for match in MARKDOWN_BLOCK.finditer(open(path, encoding='utf-8').read())]


def _rst(path):
    return [textwrap.dedent(match.group(2)) for match in RST_BLOCK.finditer(open(path, encoding='utf-8').read())]


def _plugin_examples(path):
    for node in ast.parse(open(path, encoding='utf-8').read()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'EXAMPLES':
            return [node.value.value]
    return []


def documents():
    """(relative path, reader of its YAML blocks) of every document with examples."""
    found = [('README.md', _markdown)]
    found += [(os.path.relpath(p, ROOT), _markdown) for p in sorted(glob.glob(os.path.join(ROOT, 'roles/*/README.md')))]
    found += [(os.path.relpath(p, ROOT), _rst) for p in sorted(glob.glob(os.path.join(ROOT, 'docs/docsite/rst/*.rst')))]
    found += [(os.path.relpath(p, ROOT), _plugin_examples)
              for p in sorted(glob.glob(os.path.join(ROOT, 'plugins/*/*.py'))) if '/module_utils/' not in p
              and '/doc_fragments/' not in p and '/plugin_utils/' not in p]
    found += [(os.path.relpath(p, ROOT), _plugin_examples)
              for p in sorted(glob.glob(os.path.join(ROOT, 'extensions/eda/plugins/event_source/*.py')))]
    return found


def examples():
    found = []
    for source, read in documents():
        found += [Example(source, index, text) for index, text in enumerate(read(os.path.join(ROOT, source)))]
    return found
