"""Run `make` checks side by side and print what each one cost.

`make test` calls this with its list of checks (the Makefile's CHECKS). Each check is `make <check>` with a
collections tree of its own (COLLECTIONS=build/checks/<check>/collections), so that checks which write into the
tree (ansible-test's output, integration_config.yml) never meet; its output goes to build/checks/<check>.log. At most
--jobs checks run at once, the costliest first (--order); every check runs to its end even when another fails (as
`make -k` would), and the logs of those that failed are printed after the last one ends. The table at the end gives
each check's wall time and its CPU time (its processes and all they waited for): on a shared machine the CPU time
is the figure that does not grow with other people's load.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEARTBEAT = 60      # seconds between "still running" lines, so a CI log never goes quiet for long


def minutes(seconds):
    return '%dm%02ds' % divmod(int(round(seconds)), 60)


class Check:
    """One `make <name>` in a process group of its own; its wall and CPU time once it has ended."""

    def __init__(self, name, log_dir, make_args):
        self.name = name
        self.log = os.path.join(log_dir, '%s.log' % name)
        collections = os.path.join(log_dir, name, 'collections')
        self.command = ['make', '--no-print-directory', name, 'COLLECTIONS=%s' % collections] + make_args
        self.proc = None
        self.started = self.wall = self.cpu = None
        self.returncode = None

    def start(self):
        self.started = time.monotonic()
        with open(self.log, 'w', encoding='utf-8') as log:
            log.write('$ %s\n' % ' '.join(self.command))
            log.flush()
            self.proc = subprocess.Popen(self.command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)

    def wait(self):
        """Reap the process with wait4, which also returns the CPU time of everything it waited for."""
        _pid, status, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = self.returncode = os.waitstatus_to_exitcode(status)
        self.wall = time.monotonic() - self.started
        self.cpu = usage.ru_utime + usage.ru_stime

    def stop(self):
        if self.proc and self.returncode is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def run_all(checks, jobs):
    """Run the checks, `jobs` at a time, in the order given; print a line as each starts and ends."""
    pending = list(checks)
    running = []
    done = threading.Condition()
    ended = []

    def reap(check):
        check.wait()
        with done:
            ended.append(check)
            done.notify()

    last_beat = time.monotonic()
    while pending or running:
        while pending and len(running) < jobs:
            check = pending.pop(0)
            check.start()
            running.append(check)
            print('[%s] started %s (log: %s)' % (clock(), check.name, os.path.relpath(check.log, ROOT)), flush=True)
            threading.Thread(target=reap, args=(check,), daemon=True).start()
        with done:
            done.wait_for(lambda: ended, timeout=5)
            finished, ended[:] = list(ended), []
        for check in finished:
            running.remove(check)
            print('[%s] %s %s in %s (CPU %s)' % (clock(), check.name, 'passed' if check.returncode == 0 else
                                                 'FAILED (exit %d)' % check.returncode, minutes(check.wall),
                                                 minutes(check.cpu)), flush=True)
        if running and time.monotonic() - last_beat >= HEARTBEAT:
            last_beat = time.monotonic()
            print('[%s] running: %s' % (clock(), ', '.join(
                '%s (%s)' % (c.name, minutes(time.monotonic() - c.started)) for c in running)), flush=True)


START = time.monotonic()


def clock():
    return minutes(time.monotonic() - START)


def report(title, checks, total):
    failed = [check for check in checks if check.returncode != 0]
    for check in failed:
        print('\n======== %s failed: its log (%s) ========' % (check.name, os.path.relpath(check.log, ROOT)))
        with open(check.log, encoding='utf-8', errors='replace') as log:
            sys.stdout.write(log.read())
    width = max(len(check.name) for check in checks)
    print('\n%s: each check\'s time (wall; CPU = processor time of the check and all it ran)' % title)
    print('  %-*s  %-7s  %8s  %8s' % (width, 'check', 'result', 'wall', 'CPU'))
    for check in checks:
        result = 'passed' if check.returncode == 0 else 'FAILED'
        print('  %-*s  %-7s  %8s  %8s' % (width, check.name, result, minutes(check.wall), minutes(check.cpu)))
    result = 'FAILED' if failed else 'passed'
    print('  %-*s  %-7s  %8s  %8s' % (width, 'total', result, minutes(total), minutes(sum(c.cpu for c in checks))))
    if failed:
        print('failed: %s' % ', '.join(check.name for check in failed))
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checks', nargs='+', help='make targets, started in this order (put the longest first)')
    parser.add_argument('--jobs', type=int, default=3, help='checks at once (default 3)')
    parser.add_argument('--log-dir', default=os.path.join(ROOT, 'build', 'checks'))
    parser.add_argument('--title', default='make test', help='the name the lines it prints start with')
    parser.add_argument('--make-arg', action='append', default=[], help='one more argument for every make')
    args = parser.parse_args()
    os.makedirs(args.log_dir, exist_ok=True)
    checks = [Check(name, os.path.abspath(args.log_dir), args.make_arg) for name in args.checks]
    print('%s: %d checks, %d at a time: %s' % (args.title, len(checks), args.jobs, ' '.join(args.checks)), flush=True)
    try:
        run_all(checks, max(1, args.jobs))
    except BaseException:
        for check in checks:
            check.stop()
        raise
    return report(args.title, checks, time.monotonic() - START)


if __name__ == '__main__':
    sys.exit(main())
