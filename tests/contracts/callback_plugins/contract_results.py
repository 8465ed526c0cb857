"""Records every task's result and the writes the emulator counted while it ran, into the JSON file named by
CONTRACT_RESULTS: the contract suite reads what each task did there, --check or not (a task that saved its
result would itself be skipped under --check)."""

import json
import os
import urllib.request

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'contract_results'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._play = ''
        self._writes = 0
        self._rows = []

    def _emulator_writes(self):
        with urllib.request.urlopen(os.environ['CONTRACT_EMULATOR'] + '/_emulator/stats', timeout=30) as answer:
            return json.loads(answer.read())['writes']

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name()

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._writes = self._emulator_writes()

    def _record(self, result, status):
        writes = self._emulator_writes()
        self._rows.append({'play': self._play, 'task': result._task.get_name(), 'status': status,
                           'writes': writes - self._writes, 'result': result._result})
        self._writes = writes

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_playbook_on_stats(self, stats):
        with open(os.environ['CONTRACT_RESULTS'], 'w', encoding='utf-8') as handle:
            json.dump(self._rows, handle, default=str)
