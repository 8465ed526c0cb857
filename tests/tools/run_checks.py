"""Run `make` checks side by side and print what each one cost.

`make test` calls this with its list of checks (the Makefile's CHECKS). Each check is `make <check>` with a
collections tree of its own (COLLECTIONS=build/checks/<check>/collections), so that checks which write into the
tree (ansible-test's output, integration_config.yml) never meet; its output goes to build/checks/<check>.log. A
--first target (what the checks share: the venv) runs alone before them. Then at most --jobs checks run at once,
in the order given (the costliest first); every check runs to its end even when another fails (as `make -k`
would), and the logs of those that failed are printed after the last one ends. The table at the end gives each
check's wall time and its CPU time (its processes and all they waited for): on a shared machine the CPU time is
the figure that does not grow with other people's load. Only the standard library: it runs before the venv exists.
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
START = time.monotonic()


def minutes(seconds):
    return '%dm%02ds' % divmod(int(round(seconds)), 60)


def clock():
    return '[%s]' % minutes(time.monotonic() - START)


def load():
    return 'machine load (1, 5, 15 min): %.1f %.1f %.1f on %d cores' % (os.getloadavg() + (os.cpu_count(),))


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
        print('%s started %s (log: %s)' % (clock(), self.name, os.path.relpath(self.log, ROOT)), flush=True)

    def wait(self):
        """Reap the process with wait4, which also returns the CPU time of everything it waited for."""
        _pid, status, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = self.returncode = os.waitstatus_to_exitcode(status)
        self.wall = time.monotonic() - self.started
        self.cpu = usage.ru_utime + usage.ru_stime

    def ended(self):
        print('%s %s %s in %s (CPU %s)' % (clock(), self.name, self.result(), minutes(self.wall), minutes(self.cpu)),
              flush=True)

    def result(self):
        return 'passed' if self.returncode == 0 else 'FAILED (exit %d)' % self.returncode

    def stop(self):
        if self.proc and self.returncode is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def run_all(checks, jobs):
    """Run the checks, `jobs` at a time, in the order given; a line as each starts and ends, and every minute."""
    pending, running, ended = list(checks), [], []
    done = threading.Condition()

    def reap(check):
        check.wait()
        with done:
            ended.append(check)
            done.notify()

    last_beat = time.monotonic()
    while pending or running:
        while pending and len(running) < jobs:
            running.append(pending.pop(0))
            running[-1].start()
            threading.Thread(target=reap, args=(running[-1],), daemon=True).start()
        with done:
            done.wait_for(lambda: ended, timeout=5)
            finished, ended[:] = list(ended), []
        for check in finished:
            running.remove(check)
            check.ended()
        if running and time.monotonic() - last_beat >= HEARTBEAT:
            last_beat = time.monotonic()
            print('%s running: %s; %s' % (clock(), ', '.join(
                '%s (%s)' % (c.name, minutes(time.monotonic() - c.started)) for c in running), load()), flush=True)


def report(title, checks, total):
    failed = [check for check in checks if check.returncode != 0]
    for check in failed:
        print('\n======== %s failed: its log (%s) ========' % (check.name, os.path.relpath(check.log, ROOT)))
        with open(check.log, encoding='utf-8', errors='replace') as log:
            sys.stdout.write(log.read())
    width = max(len(check.name) for check in checks)
    row = '  %-' + str(width) + 's  %-7s  %8s  %8s'
    print('\n%s: each check\'s time (wall; CPU = processor time of the check and all it ran)' % title)
    print(row % ('check', 'result', 'wall', 'CPU'))
    for check in checks:
        print(row % (check.name, 'passed' if check.returncode == 0 else 'FAILED', minutes(check.wall),
                     minutes(check.cpu)))
    print(row % ('total', 'FAILED' if failed else 'passed', minutes(total),
                 minutes(sum(check.cpu for check in checks))))
    print('  %s' % load())
    if failed:
        print('failed: %s' % ', '.join(check.name for check in failed))
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checks', nargs='+', help='make targets, started in this order (put the longest first)')
    parser.add_argument('--jobs', type=int, default=3, help='checks at once (default 3)')
    parser.add_argument('--first', help='a make target run alone before the checks; if it fails, no check runs')
    parser.add_argument('--log-dir', default=os.path.join(ROOT, 'build', 'checks'))
    parser.add_argument('--make-arg', action='append', default=[], help='one more argument for every make')
    parser.add_argument('--title', default='make test', help='what the lines it prints start with')
    args = parser.parse_args()
    os.makedirs(args.log_dir, exist_ok=True)
    log_dir = os.path.abspath(args.log_dir)
    first = [Check(args.first, log_dir, args.make_arg)] if args.first else []
    checks = [Check(name, log_dir, args.make_arg) for name in args.checks]
    print('%s: %d check(s), %d at a time: %s; %s'
          % (args.title, len(checks), args.jobs, ' '.join(args.checks), load()), flush=True)
    try:
        for check in first:
            check.start()
            check.wait()
            check.ended()
        if all(check.returncode == 0 for check in first):
            run_all(checks, max(1, args.jobs))
    except BaseException:
        for check in first + checks:
            check.stop()
        raise
    return report(args.title, [check for check in first + checks if check.returncode is not None],
                  time.monotonic() - START)


if __name__ == '__main__':
    sys.exit(main())
