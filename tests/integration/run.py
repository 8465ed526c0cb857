"""Run each integration target with ansible-test against an emulator of its own, started on a free port; with
--jobs N, N targets at once, each in a copy of the tree of its own (their output printed whole, one after another)."""

import argparse
import concurrent.futures
import os
import queue
import shutil
import subprocess
import sys
import threading
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from emulator.process import FIXTURES, Emulator  # noqa: E402

# The variables are named emulator_*, not sendgrid_*: the lookup reads sendgrid_api_key and its kin from play
# variables, and the targets pass every connection option themselves.
# Per API version: the reseller's credentials (a username and password on v2; on v3, which takes only keys, its
# API key) and its API key.
CREDENTIALS = {
    'v2': {'emulator_api_user': 'reseller@example.com', 'emulator_api_key': 's3cret', 'emulator_api_token': 'SG.demo-key'},
    'v3': {'emulator_api_user': 'apikey', 'emulator_api_key': 'SG.demo-key', 'emulator_api_token': 'SG.demo-key'},
}


def emulator_args(target_dir):
    """A target may ask for its own emulator command line in a file `emulator_args` (one argument a line);
    a file it names is looked for in the target first."""
    path = os.path.join(target_dir, 'emulator_args')
    if not os.path.exists(path):
        return ['--data', os.path.join(FIXTURES, 'demo.yml')]
    with open(path, encoding='utf-8') as handle:
        args = [line.strip() for line in handle if line.strip() and not line.startswith('#')]
    return [os.path.join(target_dir, a) if os.path.isfile(os.path.join(target_dir, a)) else a for a in args]


def api_versions(target_dir, versions):
    """The API versions a target runs on: all, or those its file `api_versions` names (one a line)."""
    path = os.path.join(target_dir, 'api_versions')
    if not os.path.exists(path):
        return versions
    with open(path, encoding='utf-8') as handle:
        named = {line.strip() for line in handle if line.strip() and not line.startswith('#')}
    return [version for version in versions if version in named]


def is_hidden(target_dir):
    """Support targets (alias `hidden`) run only when another target includes them."""
    path = os.path.join(target_dir, 'aliases')
    if not os.path.exists(path):
        return False
    with open(path, encoding='utf-8') as handle:
        return any(line.split('#')[0].strip() == 'hidden' for line in handle)


def worker_trees(tree, count):
    """The tree itself and count - 1 copies beside its collections folder (<collections>-integration-N/...): each
    worker writes its integration_config.yml and ansible-test its tests/output in a tree of its own."""
    suffix = os.path.join('ansible_collections', 'mailops', 'sendgrid')
    collections = tree[:-len(suffix)].rstrip(os.sep)
    trees = [tree]
    for number in range(1, count):
        copy_root = '%s-integration-%d' % (collections, number)
        shutil.rmtree(copy_root, ignore_errors=True)
        copy = os.path.join(copy_root, suffix)
        shutil.copytree(tree, copy, symlinks=True, ignore=lambda folder, names: [
            name for name in names if os.path.join(folder, name) == os.path.join(tree, 'tests', 'output')])
        trees.append(copy)
    return trees


def run_target(tree, target, version, stream):
    """Run one target on one API version against a fresh emulator; (passed, output) (output None when streamed)."""
    target_dir = os.path.join(tree, 'tests', 'integration', 'targets', target)
    with Emulator(*emulator_args(target_dir)) as emu:
        config = dict(CREDENTIALS[version], emulator_api_url=emu.url, sendgrid_emulator_url=emu.url,
                      emulator_api_version=version)
        with open(os.path.join(tree, 'tests', 'integration', 'integration_config.yml'), 'w',
                  encoding='utf-8') as handle:
            yaml.safe_dump(config, handle)
        header = '=== integration target %s on Web API %s against %s\n' % (target, version, emu.url)
        cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-test'), 'integration', '--local',
               '--color', 'no', target]
        if stream:
            print(header, end='', flush=True)
            return subprocess.call(cmd, cwd=tree) == 0, None
        proc = subprocess.run(cmd, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              check=False)
        return proc.returncode == 0, header + proc.stdout


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--tree', required=True, help='the collection at ansible_collections/mailops/sendgrid')
    parser.add_argument('--api-versions', default='v3,v2',
                        help='run every target once per API version, each against a fresh emulator (default v3,v2)')
    parser.add_argument('--jobs', type=int, default=1,
                        help='targets run at once, each in a copy of the tree of its own (default 1)')
    parser.add_argument('targets', nargs='*', help='targets to run (default: all)')
    return parser.parse_args()


def planned_runs(tree, targets, versions):
    """(target, API version) pairs; the role's targets, the longest, first, so that the workers end together."""
    targets_dir = os.path.join(tree, 'tests', 'integration', 'targets')
    targets = targets or sorted(t for t in os.listdir(targets_dir) if not is_hidden(os.path.join(targets_dir, t)))
    runs = [(target, version) for version in versions for target in targets
            if version in api_versions(os.path.join(targets_dir, target), versions)]
    return sorted(runs, key=lambda run: not run[0].startswith('role_'))


def run_all(tree, runs, jobs):
    """Run them, `jobs` at a time; [(target, version, passed, seconds)] in the order they ended."""
    free = queue.Queue()
    for each in worker_trees(tree, jobs):
        free.put(each)
    lock = threading.Lock()
    results = []

    def run(target_version):
        worker_tree, started = free.get(), time.monotonic()
        try:
            passed, output = run_target(worker_tree, *target_version, stream=jobs == 1)
        finally:
            free.put(worker_tree)
        with lock:
            if output:
                print(output, end='' if output.endswith('\n') else '\n', flush=True)
            results.append(target_version + (passed, time.monotonic() - started))

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for future in [pool.submit(run, each) for each in runs]:
            future.result()
    return results


def main():
    args = parse_args()
    tree = os.path.abspath(args.tree)
    runs = planned_runs(tree, args.targets, args.api_versions.split(','))
    results = run_all(tree, runs, max(1, min(args.jobs, len(runs))))
    print('integration: each target\'s time')
    for target, version, passed, seconds in sorted(results, key=lambda result: -result[3]):
        print('  %-36s %s  %-6s %5.0f s' % (target, version, 'passed' if passed else 'FAILED', seconds))
    failed = ['%s (%s)' % (target, version) for target, version, passed, dummy in results if not passed]
    print('integration: %d passed, %d failed' % (len(runs) - len(failed), len(failed)))
    if failed:
        print('failed targets: %s' % ', '.join(failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
