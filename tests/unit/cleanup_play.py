"""Helpers of the cleanup's tests: a playbook of tasks run against an emulator, each result saved, and the
emulator's lists read back."""

import json
import os
import subprocess
import sys

import yaml
from emulator.process import FIXTURES

DEMO = os.path.join(FIXTURES, 'demo.yml')
KEY = 'SG.demo-key'


def _play(tmp_path, emu, *tasks):
    """(rc, output, [results]) of tasks run on localhost, each result saved as JSON."""
    steps = []
    for index, task in enumerate(tasks):
        steps.append(dict(task, register='result_%d' % index, ignore_errors=True))
        steps.append({'ansible.builtin.copy': {'content': '{{ result_%d | to_json }}' % index,
                                               'dest': str(tmp_path / ('result-%d.json' % index))}})
    path = tmp_path / 'play.yml'
    path.write_text(yaml.safe_dump([{'hosts': 'localhost', 'gather_facts': False, 'tasks': steps}], sort_keys=False))
    env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_KEY=KEY, SENDGRID_API_VERSION='v3',
               ANSIBLE_NOCOLOR='1')
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(path)],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=600, check=False)
    results = [json.loads((tmp_path / ('result-%d.json' % index)).read_text()) for index in range(len(tasks))]
    return proc.returncode, proc.stdout + proc.stderr, results


def _cleanup(check_mode=False, **options):
    task = {'mailops.sendgrid.sendgrid_suppression_cleanup': options}
    if check_mode:
        task['check_mode'] = True
    return task


def _unsubscribe(email, state='present'):
    return {'mailops.sendgrid.sendgrid_unsubscribe': {'email': email, 'state': state}}


def _emails(emu, path):
    import urllib.request
    request = urllib.request.Request(emu.url + '/v3/' + path, headers={'Authorization': 'Bearer ' + KEY})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return sorted(r['email'] for r in json.loads(answer.read()))


def _global_emails(emu, user=None):
    import urllib.request
    headers = {'Authorization': 'Bearer SG.demo-key'}
    if user:
        headers['on-behalf-of'] = user
    request = urllib.request.Request(emu.url + '/v3/suppression/unsubscribes', headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return sorted(record['email'] for record in json.loads(answer.read()))


def _group_emails(emu, group_id):
    import urllib.request
    request = urllib.request.Request('%s/v3/asm/groups/%d/suppressions' % (emu.url, group_id),
                                     headers={'Authorization': 'Bearer SG.demo-key'})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return sorted(json.loads(answer.read()))
