"""Build the collection tarball (galaxy.yml's version), check it holds no development files, install it into a
temporary path and run the demo and every documented example against that installed copy (and nothing else, the
examples read from its own README, guides and plugins); then make the execution-environment build context
of docs/ee with ansible-builder (no container engine needed) and check that the collection's Python and system
requirements are what ansible-builder finds in it."""

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
DEVELOPMENT_ONLY = ('.venv', 'build/', '.ci/', '.git/', 'Makefile', 'requirements-dev.txt', 'requirements-docs.txt',
                    'requirements-compat.txt', 'requirements-bench.txt', 'tests/output/',
                    'tests/benchmarks/results/', '.pytest_cache/', 'docs/site/')
# The tests run against the installed copy: the demo (make demo's story) and every documented example.
INSTALLED_TESTS = ('tests/unit/demo/test_demo.py', 'tests/unit/docs/test_documented_examples.py')


def main():
    with tempfile.TemporaryDirectory(prefix='mailops-build-') as work:
        subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--force', '--output-path', work,
                        ROOT], check=True)
        tarball = [os.path.join(work, f) for f in os.listdir(work) if f.endswith('.tar.gz')][0]
        with open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8') as handle:
            version = yaml.safe_load(handle)['version']
        if os.path.basename(tarball) != 'mailops-sendgrid-%s.tar.gz' % version:
            raise SystemExit('built %s, not version %s' % (os.path.basename(tarball), version))
        with tarfile.open(tarball) as archive:
            names = archive.getnames()
        leaked = [n for n in names if any(n.startswith(p) or n == p.rstrip('/') for p in DEVELOPMENT_ONLY)]
        if leaked:
            raise SystemExit('development files in %s: %s' % (os.path.basename(tarball), ', '.join(leaked[:10])))
        for needed in ('MANIFEST.json', 'plugins/modules/sendgrid_invalid_email.py', 'roles/suppression_cleanup/meta/'
                       'argument_specs.yml', 'meta/runtime.yml', 'meta/execution-environment.yml', 'requirements.txt',
                       'bindep.txt', 'extensions/eda/plugins/event_source/sendgrid_events.py',
                       'extensions/eda/rulebooks/sendgrid_suppression_events.yml', 'playbooks/remove_domain_blocks.yml',
                       'playbooks/record_spam_reports.yml'):
            if needed not in names:
                raise SystemExit('%s is missing from %s' % (needed, os.path.basename(tarball)))
        installed = os.path.join(work, 'collections')
        # Only the temporary path is configured, so no other copy (build/collections) can stand in for this one.
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=installed, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false')
        subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '--force', '-p',
                        installed, tarball], check=True, env=env)
        check_rulebook_finds(env)
        # The installed copy's own demo test and documented examples, run against it (`make test` runs these two
        # here only, not in `make units` too).
        copy = os.path.join(installed, 'ansible_collections', 'mailops', 'sendgrid')
        examples = subprocess.run([os.path.join(BIN, 'pytest'), '-q', '-p', 'no:cacheprovider', '-n', '2',
                                   '--dist', 'worksteal'] + list(INSTALLED_TESTS), cwd=copy, env=env, check=False,
                                  capture_output=True, text=True)
        if examples.returncode != 0:
            raise SystemExit('the demo or the documented examples failed against the installed collection:\n%s'
                             % examples.stdout[-5000:])
        check_execution_environment(work, tarball, installed)
        print('built %s (%d files, no development files), installed it, found its event source, rulebook and '
              'playbooks with ansible-rulebook, ran the demo and the documented examples (%s) against it, and made '
              'its execution-environment context: passed'
              % (os.path.basename(tarball), len(names), examples.stdout.strip().splitlines()[-1]))
    return 0


def check_rulebook_finds(env):
    """ansible-rulebook finds the event source, the rulebook and the playbooks in the installed collection, by the
    names the guide uses (its own look-up, as `ansible-rulebook --rulebook mailops.sendgrid.<name>` does)."""
    found = subprocess.run([sys.executable, '-c', (
        'from ansible_rulebook import collection as c; '
        'print(c.has_source("mailops.sendgrid", "sendgrid_events"), '
        'c.has_rulebook("mailops.sendgrid", "sendgrid_suppression_events"), '
        'c.has_playbook("mailops.sendgrid", "remove_domain_blocks"), '
        'c.has_playbook("mailops.sendgrid", "record_spam_reports"))')], env=env, capture_output=True, text=True,
        check=False)
    if found.stdout.split() != ['True'] * 4:
        raise SystemExit('ansible-rulebook does not find the event source, rulebook and playbooks in the installed '
                         'collection: %s%s' % (found.stdout, found.stderr))


def check_execution_environment(work, tarball, installed):
    """ansible-builder create on docs/ee with this tarball; ansible-builder introspect on the installed copy."""
    definition = os.path.join(work, 'ee')
    shutil.copytree(os.path.join(ROOT, 'docs', 'ee'), definition)
    shutil.copy(tarball, os.path.join(definition, 'mailops-sendgrid.tar.gz'))
    context = os.path.join(work, 'context')
    subprocess.run([os.path.join(BIN, 'ansible-builder'), 'create', '-f', 'execution-environment.yml', '-c',
                    context, '--output-filename', 'Containerfile'], cwd=definition, check=True, capture_output=True)
    with open(os.path.join(context, 'Containerfile'), encoding='utf-8') as handle:
        containerfile = handle.read()
    for needed in ('ansible-galaxy collection install', 'introspect'):
        if needed not in containerfile:
            raise SystemExit('the execution-environment Containerfile has no %r' % needed)
    if not os.path.isfile(os.path.join(context, '_build', 'collections', 'mailops-sendgrid.tar.gz')):
        raise SystemExit('the collection tarball is not in the execution-environment build context')
    found = subprocess.run([os.path.join(BIN, 'ansible-builder'), 'introspect', '--sanitize', installed],
                           check=True, capture_output=True, text=True).stdout
    with open(os.path.join(ROOT, 'requirements.txt'), encoding='utf-8') as handle:
        python = [line.split('>=')[0].strip() for line in handle if line.strip() and not line.startswith('#')]
    for package in python + ['python3']:
        if package not in found:
            raise SystemExit('ansible-builder does not find %s among the collection\'s requirements:\n%s'
                             % (package, found))


if __name__ == '__main__':
    sys.exit(main())
