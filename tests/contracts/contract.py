"""The contract every task of the collection keeps, run as a user runs it: ansible-playbook against an emulator,
the writes counted by the emulator (never by the collection), each task's result recorded by a callback.

For each scenario (a module task with its most destructive options, or the role with its variables):
- `ansible-playbook --check` sends no write request;
- the same tasks with a task-level `check_mode: true` send none either;
- the real run then does what check mode reported (same `changed`, same counts, or the same refusal);
- a second identical real run is unchanged and sends no write request;
- at -vvvv the API key appears in no output.
The playbooks are batched: every scenario of a test module is one task (or one play) of each run."""

import json
import os
import subprocess
import sys

import yaml
from emulator.process import Emulator

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
# A key of its own, so that finding it in an output can only mean it leaked.
KEY = 'SG.contract-7f3a9c51e2d84b06-key'
ACCOUNT = 'contracts@example.com'
CREATED = '2025-01-02 03:04:05'
# The four runs of the contract, in order; the first three at -vvvv (the fourth too: it is the cheapest proof).
RUNS = ('check', 'task_check_mode', 'real', 'again')


class Scenario:
    """One task of the contract. `args` the module's options (or the role's variables); `writes`: the real run
    sends writes (a scenario that only asserts or reads sends none in any run); `refused`: a text of the message
    the real run fails with; `foretold`: for a cleanup whose check mode is its dry run, the text its result shows
    instead of the refusal (what a real run needs); `effect(result)`: what the check and the real run must agree
    on, beyond changed/failed/msg."""

    def __init__(self, name, module, args, writes=True, refused=None, foretold=None, effect=None):
        self.name = name
        self.module = module
        self.args = args
        self.writes = writes
        self.refused = refused
        self.foretold = foretold
        self.effect = effect

    def __repr__(self):
        return self.name

    def uses(self, option):
        return option in self.args


# ---- the emulator's data ----------------------------------------------------------------------------------------

def records(list_name, prefix, count, **fields):
    """`count` records of `list_name` whose addresses start with `prefix`, in the fixture's shape."""
    extra = {'bounces': {'status': '5.1.1', 'reason': '550 5.1.1 user unknown'},
             'blocks': {'status': '5.0.0', 'reason': '550 blocked'},
             'invalid_emails': {'reason': 'Bad Syntax'},
             'spam_reports': {'ip': '10.0.0.1'}}.get(list_name, {})
    return [dict(extra, email='%s-%d@contract.example' % (prefix, number), created=CREATED, **fields)
            for number in range(1, count + 1)]


def write_fixture(path, customers):
    """An account holding KEY, with `customers` {username: {list: records, 'subusers': {username: {...}}}}."""
    def user(name, lists):
        spec = {'username': name, 'password': 'pw-%s' % name}
        spec.update({key: value for key, value in lists.items() if key != 'subusers'})
        if lists.get('subusers'):
            spec['subusers'] = [user(sub, sub_lists) for sub, sub_lists in lists['subusers'].items()]
        return spec
    account = {'username': ACCOUNT, 'password': 'contract-pass', 'api_keys': [KEY],
               'customers': [user(name, lists) for name, lists in customers.items()]}
    account.update(customers.get(ACCOUNT, {}))
    account['customers'] = [c for c in account['customers'] if c['username'] != ACCOUNT]
    with open(path, 'w', encoding='utf-8') as handle:
        yaml.safe_dump({'accounts': [account]}, handle, sort_keys=False)
    return str(path)


# ---- the playbooks -----------------------------------------------------------------------------------------------

def module_runs(tmp_path_factory, name, customers, scenarios, api_version):
    """The contract's runs of module `scenarios` on `api_version`, against an emulator of `customers` of their own
    (a test module's `runs` fixture yields from it)."""
    folder = tmp_path_factory.mktemp(name)
    with Emulator('--data', write_fixture(folder / 'fixture.yml', customers)) as emulator:
        yield ContractRuns(Runner(str(folder), emulator), scenarios,
                           lambda **how: module_play(scenarios, api_version, **how))


def module_play(scenarios, api_version, task_check_mode=False):
    """One play: each scenario a task named after it; failures recorded, never ending the play."""
    tasks = []
    for scenario in scenarios:
        task = {'name': scenario.name, scenario.module: scenario.args, 'ignore_errors': True}
        if task_check_mode:
            task['check_mode'] = True
        tasks.append(task)
    return tasks_play(tasks, api_version)


def tasks_play(tasks, api_version, name='contract'):
    """A play of `tasks`, every module of the action group given the key and the emulator's URL."""
    return [{'name': name, 'hosts': 'localhost', 'gather_facts': False, 'vars_files': ['key.yml'],
             'module_defaults': {'group/mailops.sendgrid.sendgrid': {
                 'api_key': '{{ contract_key }}', 'api_url': '{{ contract_url }}', 'api_version': api_version}},
             'tasks': tasks}]


def role_plays(scenarios, api_version, task_check_mode=False):
    """One play a scenario, named after it, that imports the role with the scenario's variables."""
    plays = []
    for scenario in scenarios:
        task = {'name': scenario.name, 'ansible.builtin.import_role': {'name': 'mailops.sendgrid.suppression_cleanup'}}
        if task_check_mode:
            task['check_mode'] = True
        role_vars = dict(scenario.args, suppression_cleanup_api_key='{{ contract_key }}',
                         suppression_cleanup_api_url='{{ contract_url }}', suppression_cleanup_api_version=api_version)
        plays.append({'name': scenario.name, 'hosts': 'localhost', 'gather_facts': False, 'ignore_errors': True,
                      'vars_files': ['key.yml'], 'vars': role_vars, 'tasks': [task]})
    return plays


class Runner:
    """Runs playbooks against `emulator` in `folder`, each one's tasks recorded by the contract_results callback."""

    def __init__(self, folder, emulator):
        self.folder = folder
        self.emulator = emulator
        self.outputs = []
        # The vault a user keeps the key in, and the emulator's accounts: the only files that may hold it.
        self.key_files = {os.path.join(folder, 'key.yml'), os.path.join(folder, 'fixture.yml')}
        with open(os.path.join(folder, 'key.yml'), 'w', encoding='utf-8') as handle:
            yaml.safe_dump({'contract_key': KEY}, handle)

    def run(self, label, plays, check=False, verbose=True):
        """(rc, output, rows): rows are {play, task, status, writes, result}, in the order the tasks ran."""
        path = os.path.join(self.folder, '%s.yml' % label)
        with open(path, 'w', encoding='utf-8') as handle:
            yaml.safe_dump(plays, handle, sort_keys=False)
        results = os.path.join(self.folder, '%s-results.json' % label)
        env = {key: value for key, value in os.environ.items() if not key.startswith('SENDGRID_')}
        env.update(ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
                   ANSIBLE_CALLBACKS_ENABLED='contract_results', ANSIBLE_NOCOLOR='1', CONTRACT_RESULTS=results,
                   CONTRACT_EMULATOR=self.emulator.url, ANSIBLE_HOME=os.path.join(self.folder, 'ansible-home'))
        command = [PLAYBOOK, path, '-e', 'contract_url=%s' % self.emulator.url]
        command += (['--check'] if check else []) + (['-vvvv'] if verbose else [])
        proc = subprocess.run(command, cwd=self.folder, env=env, capture_output=True, text=True, timeout=900,
                              check=False)
        output = proc.stdout + proc.stderr
        self.outputs.append((label, output))
        with open(os.path.join(self.folder, '%s.log' % label), 'w', encoding='utf-8') as handle:
            handle.write(output)
        if not os.path.exists(results):
            raise AssertionError('%s: ansible-playbook recorded nothing (rc %d): %s'
                                 % (label, proc.returncode, output[-3000:]))
        with open(results, encoding='utf-8') as handle:
            return proc.returncode, output, json.load(handle)


def by_scenario(rows, scenarios, role=False):
    """{scenario name: {'status', 'writes', 'result'}}: a module scenario is its task; a role scenario its play,
    whose writes are summed and whose result is the cleanup task's."""
    found = {}
    for scenario in scenarios:
        if role:
            mine = [row for row in rows if row['play'] == scenario.name]
            cleanup = [row for row in mine if row['task'].endswith('Clean the lists in one step')]
            failed = [row for row in mine if row['status'] == 'failed']
            found[scenario.name] = {'writes': sum(row['writes'] for row in mine), 'rows': mine,
                                    'status': 'failed' if failed else 'ok',
                                    'result': cleanup[-1]['result'] if cleanup else {}}
        else:
            mine = [row for row in rows if row['task'] == scenario.name]
            assert len(mine) == 1, 'scenario %s ran %d times' % (scenario.name, len(mine))
            found[scenario.name] = mine[0]
    return found


class ContractRuns:
    """The four runs of a test module's scenarios: `rows[label][scenario name]`, every output, and what
    `observe(label)` saw after each run (files on disk, for instance)."""

    def __init__(self, runner, scenarios, plays_of, role=False, observe=None):
        self.runner = runner
        self.rows, self.observed = {}, {}
        for label in RUNS:
            plays = plays_of(task_check_mode=label == 'task_check_mode')
            dummy_rc, dummy_output, rows = runner.run(label, plays, check=label == 'check')
            self.rows[label] = by_scenario(rows, scenarios, role=role)
            if observe is not None:
                self.observed[label] = observe(label)

    @property
    def outputs(self):
        return self.runner.outputs


# ---- what the runs must agree on ---------------------------------------------------------------------------------

def outcome(row, scenario):
    """What check mode and the real run must agree on: failed or not (with the message), changed, and the
    scenario's own counts."""
    result = row['result']
    if row['status'] == 'failed':
        return {'failed': True, 'msg': result.get('msg')}
    told = {'failed': False, 'changed': bool(result.get('changed'))}
    if scenario.effect is not None:
        told['effect'] = scenario.effect(result)
    return told


def list_effect(result):
    """A list module: the addresses deleted or added (or that would be), and those not listed."""
    return {key: sorted(result.get(key) or []) for key in ('deleted', 'added', 'missing')}


def cleanup_effect(result):
    """The cleanup: what was selected and held back, and what was deleted (in check mode: would be, the selection)."""
    totals = result.get('totals') or {}
    deleted = totals.get('selected') if result.get('dry_run') else \
        totals.get('deleted', 0) + totals.get('already_gone', 0)
    return {'selected': totals.get('selected'), 'held_back': totals.get('held_back'), 'deleted': deleted}


def entries_effect(key):
    """A settings module: which user's entry changed."""
    return lambda result: sorted((entry.get('user') or '', bool(entry.get('changed')))
                                 for entry in result.get(key) or [])


def shown_text(result):
    """Everything a result shows a person, as one text."""
    return json.dumps(result, default=str)


def message(row):
    return str(row['result'].get('msg') or '')


class ContractTests:
    """The promises, for each scenario (conftest parametrizes `scenario` from the test module's SCENARIOS) of the
    test module's `runs` fixture, a ContractRuns."""

    def test_check_sends_no_write(self, runs, scenario):
        assert runs.rows['check'][scenario.name]['writes'] == 0, 'ansible-playbook --check sent a write'

    def test_task_level_check_mode_sends_no_write(self, runs, scenario):
        assert runs.rows['task_check_mode'][scenario.name]['writes'] == 0, 'check_mode: true sent a write'

    def test_both_check_modes_report_the_same(self, runs, scenario):
        check, task_check = runs.rows['check'][scenario.name], runs.rows['task_check_mode'][scenario.name]
        assert outcome(check, scenario) == outcome(task_check, scenario)

    def test_check_mode_reports_what_the_real_run_then_does(self, runs, scenario):
        check, real = runs.rows['check'][scenario.name], runs.rows['real'][scenario.name]
        assert (real['writes'] > 0) is scenario.writes, 'the real run sent %d writes' % real['writes']
        if scenario.refused:
            assert real['status'] == 'failed' and scenario.refused in message(real), message(real)
        if scenario.foretold:
            assert check['status'] == 'ok' and scenario.foretold in shown_text(check['result'])
        else:
            assert outcome(check, scenario) == outcome(real, scenario)

    def test_a_second_identical_real_run_is_unchanged_and_writes_nothing(self, runs, scenario):
        real, again = runs.rows['real'][scenario.name], runs.rows['again'][scenario.name]
        assert again['writes'] == 0
        if scenario.refused:
            assert again['status'] == 'failed' and message(again) == message(real)
        else:
            assert again['status'] == 'ok' and not again['result'].get('changed'), message(again)

    def test_the_key_appears_in_no_output(self, runs):
        assert [label for label, output in runs.outputs if KEY in output] == []
        # Each run of the contract was at -vvvv, where Ansible shows the most (only -vvvv tells this line).
        assert sorted(label for label, output in runs.outputs if 'setting up inventory plugins' in output) == \
            sorted(RUNS)

    def test_the_key_appears_in_no_file_the_runs_wrote(self, runs):
        """Reports, plans, journals, summaries and the results recorded: only the two files that hold it."""
        found = []
        for folder, dummy, names in os.walk(runs.runner.folder):
            for name in names:
                path = os.path.join(folder, name)
                with open(path, 'rb') as handle:
                    if KEY.encode() in handle.read() and path not in runs.runner.key_files:
                        found.append(path)
        assert found == []
