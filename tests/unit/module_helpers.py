"""Run a module the way Ansible does on the controller: a Python process given its arguments as JSON."""

import json
import os
import subprocess
import sys

import ansible_collections.mailops.sendgrid as collection

COLLECTIONS_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(collection.__path__[0])))


def run_module(name, args, tmp_path, check_mode=False, diff=False, env=None):
    """(rc, result) of mailops.sendgrid.<name> with `args`."""
    path = tmp_path / ('%s-args.json' % name)
    module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': module_args}))
    environment = dict(os.environ, PYTHONPATH=COLLECTIONS_ROOT)
    for key in ('SENDGRID_API_USER', 'SENDGRID_API_KEY', 'SENDGRID_API_URL'):
        environment.pop(key, None)
    for key, value in (env or {}).items():
        if value is None:
            environment.pop(key, None)      # None: run without that variable
        else:
            environment[key] = value
    proc = subprocess.run(
        [sys.executable, '-m', 'ansible_collections.mailops.sendgrid.plugins.modules.%s' % name, str(path)],
        capture_output=True, text=True, env=environment, timeout=120, check=False)
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        raise AssertionError('module printed no JSON: %s %s' % (proc.stdout, proc.stderr)) from None
    return proc.returncode, result


def run_action(action, args, check_mode=False, task_vars=None):
    """The result of the action plugin module `action` run with `args`, as the task executor calls it."""
    from unittest.mock import MagicMock

    from ansible.playbook.play_context import PlayContext
    from ansible.playbook.task import Task

    task = Task()
    task.args = args
    task.check_mode = check_mode
    plugin = action.ActionModule(task, MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)
    return plugin.run(task_vars=task_vars or {})
