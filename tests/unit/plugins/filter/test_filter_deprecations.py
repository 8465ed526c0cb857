"""A deprecation warns the people who use the deprecated thing, and only them: a play that uses any filter of the
collection but suppression_report prints no deprecation warning, and one that uses suppression_report prints one.

ansible-core (2.16 and later) imports every file of plugins/filter under `mailops.sendgrid.<file name>` when a play
looks up any filter of the collection, and a file named like a deprecated routing key would warn every play; this
holds the file names apart from the routing keys, under whichever ansible-core runs it (the compat tier runs it on
the lowest and the newest)."""

import glob
import importlib
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
DEPRECATED = 'suppression_report'
# One use of each filter, and a word its output must show: the filter ran, it was not just looked up.
USES = {
    'cleanup_problems': ("{{ {'lists': []} | mailops.sendgrid.cleanup_problems('v3', 'x_') }}", 'x_lists'),
    'option_bool': ("{{ 'y' | mailops.sendgrid.option_bool(unclear=false) }}", '"msg": true'),
    'suppression_report': ("{{ [{'list': 'blocks', 'user': none, 'records': []}]"
                           " | mailops.sendgrid.suppression_report(started=0, finished=0) }}", 'totals'),
    'unknown_names': ("{{ ['dayz'] | mailops.sendgrid.unknown_names(['days']) }}", 'did you mean days'),
}


def _filters():
    """Every filter name of the collection's filter files, as ansible-core finds them."""
    names = []
    for path in sorted(glob.glob(os.path.join(ROOT, 'plugins', 'filter', '*.py'))):
        module = importlib.import_module('ansible_collections.mailops.sendgrid.plugins.filter.'
                                         + os.path.basename(path)[:-3])
        names += list(module.FilterModule().filters())
    return sorted(names)


def test_every_filter_has_a_use_here():
    assert _filters() == sorted(USES)


def test_no_filter_file_is_named_like_a_routing_key():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml'), encoding='utf-8') as handle:
        routed = set(yaml.safe_load(handle)['plugin_routing'].get('filter', {}))
    files = {os.path.basename(path)[:-3] for path in glob.glob(os.path.join(ROOT, 'plugins', 'filter', '*.py'))}
    assert DEPRECATED in routed and files & routed == set()


@pytest.mark.parametrize('name', sorted(USES))
def test_a_play_is_warned_only_of_the_filter_it_uses(name, tmp_path):
    expression, shown = USES[name]
    playbook = tmp_path / 'play.yml'
    playbook.write_text(yaml.safe_dump([{'name': 'One filter', 'hosts': 'localhost', 'gather_facts': False,
                                         'tasks': [{'ansible.builtin.debug': {'msg': expression}}]}]))
    env = dict(os.environ, ANSIBLE_DEPRECATION_WARNINGS='true', ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(playbook)],
                         capture_output=True, text=True, env=env, timeout=300, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 0 and shown in output, output
    warnings = output.count('[DEPRECATION WARNING]')
    if name == DEPRECATED:
        # ansible-core 2.16 prints only the warning text, so the text names the filter itself.
        assert warnings == 1 and 'The suppression_report filter' in ' '.join(output.split()), output
    else:
        assert warnings == 0, output
