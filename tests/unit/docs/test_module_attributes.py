"""What ansible-doc says of every module's attributes is true: each is in the mailops.sendgrid.sendgrid action group
(and meta/runtime.yml puts it there), runs on any platform, and says how it supports check and diff mode; the
collection's attribute fragments come before ansible.builtin's, whose N/A values would win otherwise."""

import glob
import json
import os
import subprocess
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
MODULES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py'))
                 if not path.endswith('__init__.py'))
# The modules that run on the controller through an action plugin of their name.
ACTIONS = {os.path.basename(path)[:-3] for path in glob.glob(os.path.join(ROOT, 'plugins', 'action', '*.py'))}


def test_every_module_shows_its_true_attributes():
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-doc'), '-j']
                          + ['mailops.sendgrid.%s' % name for name in MODULES],
                          capture_output=True, text=True, timeout=300, check=True)
    docs = json.loads(proc.stdout)
    with open(os.path.join(ROOT, 'meta', 'runtime.yml'), encoding='utf-8') as handle:
        group = yaml.safe_load(handle)['action_groups']['sendgrid']
    assert sorted(group) == MODULES
    for name in MODULES:
        attributes = docs['mailops.sendgrid.%s' % name]['doc']['attributes']
        assert attributes['action_group']['support'] == 'full', name
        assert attributes['action_group']['membership'] == ['mailops.sendgrid.sendgrid'], name
        assert attributes['platform']['platforms'] == 'all', name
        assert attributes['check_mode']['support'] == 'full', name
        assert attributes['diff_mode']['support'] in ('full', 'none', 'N/A'), name
        assert attributes['action']['support'] == ('full' if name in ACTIONS else 'none'), name
