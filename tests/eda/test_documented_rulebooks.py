"""Every rulebook the collection ships or documents (extensions/eda/rulebooks, the guide, the source's EXAMPLES)
passes ansible-rulebook's own schema and parser, gives the source arguments it accepts, and names playbooks the
collection has; the guide shows the shipped rulebook as it is (which test_rulebook.py runs end to end)."""

import glob
import os
import sys

import pytest
import sendgrid_events as source
import yaml
from ansible_rulebook import rules_parser
from ansible_rulebook.util import substitute_variables
from ansible_rulebook.validators import Validate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'unit', 'docs'))
from documented_examples import examples  # noqa: E402  pylint: disable=wrong-import-position

SHIPPED = sorted(glob.glob(os.path.join(ROOT, 'extensions', 'eda', 'rulebooks', '*.yml')))
DOCUMENTED = [example for example in examples() if example.kind == 'rulebook']
VARIABLES = {'sendgrid_webhook_public_key': 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1'
                                            'flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==',
             'sendgrid_events_port': 5000}
RULEBOOKS = [(os.path.relpath(path, ROOT), yaml.safe_load(open(path, encoding='utf-8'))) for path in SHIPPED]
RULEBOOKS += [(example.id, example.data) for example in DOCUMENTED]


def test_there_are_rulebooks_to_check():
    sources = {example.source for example in DOCUMENTED}
    assert SHIPPED and {'docs/docsite/rst/event_driven.rst',
                        'extensions/eda/plugins/event_source/sendgrid_events.py'} <= sources


def test_the_guide_shows_the_shipped_rulebook():
    shipped = yaml.safe_load(open(os.path.join(ROOT, 'extensions/eda/rulebooks/sendgrid_suppression_events.yml'),
                                  encoding='utf-8'))
    assert shipped in [example.data for example in DOCUMENTED if example.source.endswith('event_driven.rst')]


@pytest.mark.parametrize('name, rulebook', RULEBOOKS, ids=[name for name, dummy in RULEBOOKS])
def test_rulebook_is_valid(name, rulebook, tmp_path):
    Validate.rulebook(rulebook)
    rulesets = rules_parser.parse_rule_sets(rulebook, dict(VARIABLES))
    assert rulesets, name
    for ruleset in rulesets:
        for event_source in ruleset.sources:
            if event_source.source_name == 'mailops.sendgrid.sendgrid_events':
                args = substitute_variables(event_source.source_args, dict(VARIABLES))
                if 'public_key_file' in args:                  # the example's path, on a machine of its own
                    args['public_key_file'] = str(tmp_path / 'key.pub')
                    (tmp_path / 'key.pub').write_text(VARIABLES['sendgrid_webhook_public_key'])
                source.settings_of(args)          # raises, naming the argument, on a typo or a bad value
        for rule in ruleset.rules:
            for action in rule.actions:
                if action.action == 'run_playbook':
                    playbook = action.action_args['name']
                    assert playbook.startswith('mailops.sendgrid.'), playbook
                    assert os.path.isfile(os.path.join(ROOT, 'playbooks', playbook.split('.')[-1] + '.yml')), playbook
