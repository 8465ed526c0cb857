"""make bench: the collection on both API versions against its peers and against the bounds of latency and rate.

Every figure comes from real processes: emulators started here (latency 25 ms), ansible-playbook runs of the
playbooks in tests/benchmarks/playbooks, and the skilled peer (skilled_peer.py). Peers, side by side:
- the naive peer: ansible.builtin.uri listing once and deleting one address a task (uri_loop*.yml);
- the skilled peer: requests and a thread pool, the fewest requests (skilled_peer.py), the same concurrency;
- the limit: requests x latency / concurrency, and under a rate limit requests / rate.
BENCH_SCALE (default 1) scales every record count for a quick look. The table is printed and written, with the
figures, to tests/benchmarks/results/latest.json and latest.txt; the picture to latest.png.
"""

import csv
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tests'))
sys.path.insert(0, HERE)
from emulator.process import Emulator  # noqa: E402
from picture import draw  # noqa: E402

LATENCY_MS = 25
CONCURRENCY = 8
PAGE = 500
SCALE = float(os.environ.get('BENCH_SCALE', '1'))
FIXTURE = os.path.join(HERE, 'fixture.yml')
KEY = 'SG.bench-key'
V2_AUTH = {'api_user': 'apikey', 'api_key': KEY}
V3_HEADERS = {'Authorization': 'Bearer %s' % KEY, 'Accept': 'application/json'}
# The one list the benchmark reads: generating the others too would only slow its emulators down.
LISTS = 'invalid_emails'
RESULTS = os.path.join(HERE, 'results')
VERSIONS = ('v2', 'v3')
RATE = 20


def scaled(count):
    return max(int(count * SCALE), 10)


def emulator(records, seed=1, *extra, latency=LATENCY_MS):
    return Emulator('--data', FIXTURE, '--generate', records, '--generate-lists', LISTS, '--latency-ms', latency,
                    '--seed', seed, *extra)


def tree_memory_kb(root_pid):
    """(RSS, PSS) in kB summed over a process and its descendants; PSS shares copy-on-write pages fairly."""
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry, encoding='utf-8') as handle:
                parent = int(handle.read().rsplit(')', 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    rss = pss = 0
    pending = [root_pid]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, []))
        try:
            with open('/proc/%d/smaps_rollup' % pid, encoding='utf-8') as handle:
                for line in handle:
                    if line.startswith('Rss:'):
                        rss += int(line.split()[1])
                    elif line.startswith('Pss:'):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


def run_measured(command, env, may_fail=False):
    """(seconds, peak tree RSS MB, peak tree PSS MB, output, succeeded) of a command, its memory sampled every
    50 ms; a failure stops the benchmark unless `may_fail`."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        peak_rss = peak_pss = 0
        while proc.poll() is None:
            rss, pss = tree_memory_kb(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.05)
        seconds = time.monotonic() - started
        output.seek(0)
        text = output.read().decode('utf-8', 'replace')
    if proc.returncode != 0 and not may_fail:
        raise SystemExit('%s failed:\n%s' % (' '.join(command), text[-4000:]))
    return seconds, peak_rss / 1024.0, peak_pss / 1024.0, text, proc.returncode == 0


def playbook(name, url, version, may_fail=False, **env):
    """Run a benchmark playbook on one API version; (seconds, peak tree RSS MB, peak tree PSS MB), and with
    `may_fail` whether it succeeded."""
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
               os.path.join(HERE, 'playbooks', name)]
    environment = dict(os.environ, SENDGRID_API_URL=url, SENDGRID_API_VERSION=version,
                       ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                       **{k: str(v) for k, v in env.items()})
    seconds, rss, pss, dummy, ok = run_measured(command, environment, may_fail=may_fail)
    return (seconds, rss, pss, ok) if may_fail else (seconds, rss, pss)


def skilled_peer(url, version):
    command = [sys.executable, os.path.join(HERE, 'skilled_peer.py'), '--url', url, '--api-version', version,
               '--api-key', KEY, '--concurrency', str(CONCURRENCY)]
    return json.loads(run_measured(command, dict(os.environ))[3].strip().splitlines()[-1])


def listing_requests(stats):
    return sum(row['count'] for row in stats['requests'] if row['task'] in ('get', 'count'))


def all_records(emu, version):
    """Every record the emulator holds for the bench account, read through its API, each page retried until it
    comes through the emulator's faults."""
    session, offset = requests.Session(), 0
    while True:
        page = _page(session, emu, version, offset)
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def all_emails(emu, version):
    return [record['email'] for record in all_records(emu, version)]


def _page(session, emu, version, offset):
    for dummy in range(100):
        try:
            if version == 'v2':
                page = session.post(emu.url + '/api/invalidemails.get.json',
                                    data=dict(V2_AUTH, date=1, limit=PAGE, offset=offset), timeout=60).json()
            else:
                page = session.get(emu.url + '/v3/suppression/invalid_emails', headers=V3_HEADERS,
                                   params={'limit': PAGE, 'offset': offset}, timeout=60).json()
        except (requests.RequestException, ValueError):
            page = None
        if isinstance(page, list):
            return page
        time.sleep(0.05)
    raise SystemExit('could not read the page at offset %d through the faults' % offset)


def latency_limit(requests_made, concurrency=CONCURRENCY):
    return requests_made * LATENCY_MS / 1000.0 / concurrency


# ---- the measurements ------------------------------------------------------------------------------------------
def bench_emulator_page():
    records = scaled(1000000)
    with emulator(records, latency=0) as emu:
        session = requests.Session()
        timings = {}
        for label, offset in (('first page', 0), ('last page', records - PAGE)):
            samples = []
            for dummy in range(15):
                started = time.perf_counter()
                page = session.post(emu.url + '/api/invalidemails.get.json',
                                    data=dict(V2_AUTH, date=1, limit=PAGE, offset=offset), timeout=60).json()
                samples.append((time.perf_counter() - started) * 1000)
                assert len(page) == PAGE
            timings[label] = statistics.median(samples)
    return {'records': records, 'first_page_ms': round(timings['first page'], 1),
            'last_page_ms': round(timings['last page'], 1)}


def bench_purge(version, records, reports, runs=1):
    """The role purging a whole list, then the identical second run; the skilled peer on the same records. With
    `runs`, the role and the peer each purge a fresh list that many times, and their median times are kept."""
    timings, peers = [], []
    for attempt in range(runs):
        with emulator(records, 1 + attempt) as emu:
            emu.reset_stats()
            seconds, rss, pss = playbook('purge.yml', emu.url, version, BENCH_CONFIRM=records, BENCH_REPORTS=reports)
            timings.append(seconds)
            stats = emu.stats()
            listing, writes = listing_requests(stats), stats['writes']
            assert emu._json('/_emulator/health')['records'] == 0, stats
            emu.reset_stats()
            again, dummy, dummy = playbook('purge.yml', emu.url, version, BENCH_CONFIRM=records,
                                           BENCH_REPORTS=reports)
            second = emu.stats()
        with emulator(records, 1 + attempt) as emu:
            peer = skilled_peer(emu.url, version)
            assert emu._json('/_emulator/health')['records'] == 0 and peer['records'] == records, peer
            peers.append(peer['seconds'])
    seconds = statistics.median(timings)
    return {
        'version': version, 'records': records, 'seconds': round(seconds, 2), 'runs': len(timings),
        'all_seconds': [round(value, 2) for value in timings], 'listing_requests': listing,
        'write_requests': writes, 'limit_seconds': round(latency_limit(listing + writes), 2),
        'seconds_per_record': seconds / records, 'peak_rss_mb': round(rss, 1), 'peak_pss_mb': round(pss, 1),
        'peer': {'seconds': round(statistics.median(peers), 2), 'all_seconds': [round(value, 2) for value in peers],
                 'listing_requests': peer['listing_requests'], 'write_requests': peer['write_requests'],
                 'limit_seconds': round(latency_limit(peer['listing_requests'] + peer['write_requests']), 2)},
        'second_run': {'seconds': round(again, 2), 'write_requests': second['writes'],
                       'listing_requests': listing_requests(second),
                       'listing_budget': max(1, math.ceil(records / PAGE))},
    }


def bench_uri_loop(version):
    records = scaled(500)
    with emulator(records) as emu:
        seconds, dummy, dummy = playbook('uri_loop_%s.yml' % version, emu.url, version)
        assert emu.stats()['writes'] == records
    return {'version': version, 'records': records, 'seconds': round(seconds, 2),
            'seconds_per_record': seconds / records}


def bench_rate_limit(version, workdir):
    """A module run whose requests exceed the rate limit several times over: its time against requests / rate,
    and the share of its requests answered 429."""
    # v3 deletes in bulk: small batches make it as many requests as v2's one address a request.
    records, batch = (scaled(3000), 5) if version == 'v3' else (scaled(600), 1)
    with emulator(records, 1, '--rate-limit', RATE) as emu:
        emails = all_emails(emu, version)
        path = os.path.join(workdir, 'rate-%s.json' % version)
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump(emails, handle)
        time.sleep(1.1)                           # a fresh rate-limit window for the run
        emu.reset_stats()
        seconds, dummy, dummy = playbook('module_delete.yml', emu.url, version, BENCH_EMAILS=path,
                                         BENCH_CONCURRENCY=CONCURRENCY, BENCH_EXPECTED=len(emails),
                                         BENCH_BATCH_SIZE=batch)
        stats = emu.stats()
    answered = stats['total']
    limited = stats['outcomes'].get('rate_limited', 0)
    sent = answered - limited                     # the requests that did the work
    return {'version': version, 'records': records, 'rate': RATE, 'seconds': round(seconds, 2),
            'requests': sent, 'answered_429': limited, 'share_429': round(limited / max(answered, 1), 4),
            'bound_seconds': round(sent / RATE, 2), 'ratio': round(seconds / (sent / RATE), 3)}


def bench_lookup(version):
    records = scaled(100000)
    with emulator(records) as emu:
        emu.reset_stats()
        seconds, rss, pss = playbook('lookup_read.yml', emu.url, version)
        pages = listing_requests(emu.stats())
    return {'version': version, 'records': records, 'seconds': round(seconds, 2), 'peak_rss_mb': round(rss, 1),
            'peak_pss_mb': round(pss, 1), 'listing_requests': pages}


def bench_faults(version, reports):
    records = scaled(10000)
    with emulator(records, 2, latency=0) as clean:   # the same records, read without faults
        before = list(all_records(clean, version))
    selected = {record['email'] for record in before if record['reason'] == 'Bad Syntax'}
    with emulator(records, 2, '--fault-rate', 0.2, '--rate-limit', 100) as emu:
        # A record whose every retry met a fault is reported failed, and a re-run deletes it: what a user does.
        runs, seconds = 0, 0.0
        while runs < 3:
            took, dummy, dummy, ok = playbook('purge_faults.yml', emu.url, version, may_fail=True,
                                              BENCH_REPORTS=reports)
            runs, seconds = runs + 1, seconds + took
            if ok:
                break
        outcomes = emu.stats()['outcomes']
        after = set(all_emails(emu, version))
        emu.reset_stats()
        playbook('purge_faults.yml', emu.url, version, BENCH_REPORTS=reports)
        rerun_writes = emu.stats()['writes']
    expected = {record['email'] for record in before} - selected
    return {'version': version, 'records': records, 'selected': len(selected), 'seconds': round(seconds, 2),
            'runs_to_finish': runs,
            'faults': outcomes.get('fault', 0) + outcomes.get('dropped', 0),
            'rate_limited': outcomes.get('rate_limited', 0), 'extra_deleted': len(expected - after),
            'missed': len(after - expected), 'rerun_writes': rerun_writes}


def fleet_data(workdir, subusers):
    data = os.path.join(workdir, 'fleet.yml')
    with open(data, 'w', encoding='utf-8') as handle:
        json.dump({'accounts': [{'username': 'bench@example.com', 'api_keys': [KEY], 'customers': [{
            'username': 'fleet@example.com', 'subusers': [{'username': 'tenant-%04d' % index}
                                                          for index in range(subusers)]}]}]}, handle)
    return data


def fleet_emulator(data, records, *extra):
    return Emulator('--data', data, '--generate', records, '--generate-lists', 'bounces', '--latency-ms', LATENCY_MS,
                    '--seed', 3, *extra)


def fleet_peer(url):
    """The skilled peer's fleet: the subusers, then each one's bounces read and bulk deleted, `concurrency` at once."""
    started = time.monotonic()
    session = requests.Session()
    session.mount('http://', requests.adapters.HTTPAdapter(pool_maxsize=CONCURRENCY))
    names, made = [], 0
    while True:
        page = session.get(url + '/v3/subusers', headers=V3_HEADERS, timeout=60,
                           params={'username': 'tenant-', 'limit': 500, 'offset': len(names)}).json()
        names += [s['username'] for s in page]
        made += 1
        if len(page) < 500:
            break

    def clean(name):
        headers = dict(V3_HEADERS, **{'on-behalf-of': name})
        emails = [r['email'] for r in session.get(url + '/v3/suppression/bounces', headers=headers,
                                                  params={'limit': PAGE}, timeout=60).json()]
        if emails:
            session.delete(url + '/v3/suppression/bounces', headers=headers, json={'emails': emails}, timeout=60)
        return 2 if emails else 1
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        made += sum(pool.map(clean, names))
    return {'seconds': time.monotonic() - started, 'requests': made}


def bench_fleet(workdir):
    """SUBUSERS subusers with RECORDS bounces each: the inventory's one role run per host at forks 16, the role's
    one task for every subuser, the skilled peer doing the same requests, and the one task under a rate limit."""
    subusers, records = scaled(200), 50
    data = fleet_data(workdir, subusers)
    source = os.path.join(workdir, 'fleet.sendgrid.yml')
    with open(source, 'w', encoding='utf-8') as handle:
        handle.write('plugin: mailops.sendgrid.subusers\nusername: tenant-\n')
    runs = {}
    for name, command, extra, forks in (
            ('per_host', ['-i', source, os.path.join(HERE, 'playbooks', 'fleet.yml')], (), 16),
            ('one_task', [os.path.join(HERE, 'playbooks', 'fleet_one_task.yml')], (), 1),
            ('one_task_rate', [os.path.join(HERE, 'playbooks', 'fleet_one_task.yml')], ('--rate-limit', RATE), 1)):
        with fleet_emulator(data, records, *extra) as emu:
            reports = os.path.join(workdir, 'fleet-%s' % name)
            time.sleep(1.1)                       # a fresh rate-limit window for the run
            emu.reset_stats()
            env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_VERSION='v3', SENDGRID_API_KEY=KEY,
                       ANSIBLE_FORKS=str(forks), BENCH_REPORTS=reports, ANSIBLE_LOCALHOST_WARNING='false',
                       ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
            seconds = run_measured([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')] + command,
                                   env)[0]
            stats = emu.stats()
            limited = stats['outcomes'].get('rate_limited', 0)
            runs[name] = {'seconds': round(seconds, 2), 'write_requests': stats['writes'],
                          'requests': stats['total'] - limited, 'answered_429': limited,
                          'share_429': round(limited / max(stats['total'], 1), 4),
                          'reports': len([n for n in os.listdir(reports) if n.endswith('-run.json')])}
    with fleet_emulator(data, records) as emu:
        peer = fleet_peer(emu.url)
        peer['write_requests'] = emu.stats()['writes']
    rate = runs['one_task_rate']
    rate.update(bound_seconds=round(rate['requests'] / RATE, 2), ratio=round(rate['seconds'] / (rate['requests'] / RATE), 3))
    return {'subusers': subusers, 'records_each': records, 'runs': runs,
            'peer': {'seconds': round(peer['seconds'], 2), 'requests': peer['requests'],
                     'write_requests': peer['write_requests']}}


def bench_fleet_large(workdir):
    """2,000 subusers x 10 bounces in one task, against the skilled peer making the same requests; and how many
    progress lines the run printed (a few, never one per subuser)."""
    subusers, records = scaled(2000), 10
    folder = os.path.join(workdir, 'large')
    os.makedirs(folder, exist_ok=True)
    data = fleet_data(folder, subusers)
    with fleet_emulator(data, records) as emu:
        env = dict(os.environ, SENDGRID_API_URL=emu.url, SENDGRID_API_VERSION='v3', SENDGRID_API_KEY=KEY,
                   BENCH_REPORTS=os.path.join(workdir, 'fleet-large'), ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
        seconds, rss, dummy, output, dummy = run_measured(
            [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
             os.path.join(HERE, 'playbooks', 'fleet_one_task.yml')], env)
        writes = emu.stats()['writes']
    with fleet_emulator(data, records) as emu:
        peer = fleet_peer(emu.url)
        peer_writes = emu.stats()['writes']
    progress = [line for line in output.splitlines() if 'sendgrid_suppression_cleanup [' in line]
    return {'subusers': subusers, 'records_each': records, 'seconds': round(seconds, 2), 'peak_rss_mb': round(rss, 1),
            'write_requests': writes, 'progress_lines': len(progress),
            'peer': {'seconds': round(peer['seconds'], 2), 'requests': peer['requests'], 'write_requests': peer_writes}}


def fleet_info_peer(url, address):
    """The skilled peer's question "where is this address suppressed?": the subusers, then for each one the five
    lists' single-address GETs and its groups' GET, `concurrency` requests at once; (seconds, requests, holders)."""
    started = time.monotonic()
    session = requests.Session()
    session.mount('http://', requests.adapters.HTTPAdapter(pool_maxsize=CONCURRENCY))
    names, pages = [], 0
    while True:
        page = session.get(url + '/v3/subusers', headers=V3_HEADERS, timeout=60,
                           params={'username': 'tenant-', 'limit': 500, 'offset': pages * 500}).json()
        names += [s['username'] for s in page if not s.get('disabled')]
        pages += 1
        if len(page) < 500:
            break
    lists = ('bounces', 'blocks', 'spam_reports', 'invalid_emails')
    paths = ['/v3/suppression/%s/%s' % (name, address) for name in lists]
    paths += ['/v3/asm/suppressions/global/%s' % address, '/v3/asm/suppressions/%s' % address]

    def ask(job):
        name, path = job
        answer = session.get(url + path, headers=dict(V3_HEADERS, **{'on-behalf-of': name}), timeout=60).json()
        held = answer.get('suppressions') if isinstance(answer, dict) else answer
        return name if (held and path.startswith('/v3/suppression/')) or \
            (isinstance(answer, dict) and answer.get('recipient_email')) else None
    from concurrent.futures import ThreadPoolExecutor
    jobs = [(name, path) for name in names for path in paths]
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        holders = {name for name in pool.map(ask, jobs) if name}
    return {'seconds': time.monotonic() - started, 'requests': pages + len(jobs), 'holders': len(holders)}


def bench_fleet_info(workdir):
    """One address across SUBUSERS subusers (one of them holds it): sendgrid_suppression_info in one task against
    the skilled peer making the same requests."""
    subusers = scaled(2000)
    folder = os.path.join(workdir, 'fleet-info')
    os.makedirs(folder, exist_ok=True)
    data = fleet_data(folder, subusers)
    with open(data, encoding='utf-8') as handle:
        fixture = json.load(handle)
    address = 'held@example.org'
    fixture['accounts'][0]['customers'][0]['subusers'][subusers // 2]['bounces'] = [
        {'email': address, 'status': '5.1.1', 'reason': 'unknown user', 'created': '2025-01-01 00:00:00'}]
    with open(data, 'w', encoding='utf-8') as handle:
        json.dump(fixture, handle)
    with fleet_emulator(data, 1) as emu:
        env = dict(os.environ, SENDGRID_API_URL=emu.url, BENCH_ADDRESS=address, BENCH_SUBUSERS=str(subusers),
                   ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
        seconds = run_measured([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
                                os.path.join(HERE, 'playbooks', 'fleet_info.yml')], env)[0]
        requests_made = emu.stats()['total']
    with fleet_emulator(data, 1) as emu:
        peer = fleet_info_peer(emu.url, address)
    return {'subusers': subusers, 'seconds': round(seconds, 2), 'requests': requests_made,
            'peer': {'seconds': round(peer['seconds'], 2), 'requests': peer['requests'], 'holders': peer['holders']}}


def bench_million(reports):
    """The role purging a list of a million records: time and peak controller memory (the selection lives in a
    SQLite file, the outcomes in the journal, so the controller holds pages, not the addresses)."""
    records = scaled(1000000)
    with emulator(records, 1, latency=0) as emu:
        seconds, rss, pss = playbook('purge.yml', emu.url, 'v3', BENCH_CONFIRM=records, BENCH_REPORTS=reports)
        assert emu._json('/_emulator/health')['records'] == 0
    return {'records': records, 'seconds': round(seconds, 2), 'peak_rss_mb': round(rss, 1),
            'peak_pss_mb': round(pss, 1)}


def opt_out_emulator(records):
    """An emulator whose bench account holds `records` global unsubscribes (none: an empty target)."""
    return Emulator('--data', FIXTURE, '--generate', records, '--generate-lists', 'unsubscribes', '--latency-ms',
                    LATENCY_MS, '--seed', 1)


def opt_out_peer(what, url, path):
    command = [sys.executable, os.path.join(HERE, 'opt_out_peer.py'), what, '--url', url, '--api-key', KEY,
               '--file', path, '--concurrency', str(CONCURRENCY)]
    seconds, rss, dummy, output, dummy = run_measured(command, dict(os.environ))
    return dict(json.loads(output.strip().splitlines()[-1]), peak_rss_mb=round(rss, 1))


def bench_opt_outs(workdir):
    """Moving opt-outs: the export of a global unsubscribe list of a million to a file, and its import into an
    empty account, then the identical import again; each against the hand-written requests peer."""
    records, exported = scaled(1000000), os.path.join(workdir, 'opt-outs.csv')
    with opt_out_emulator(records) as emu:
        emu.reset_stats()
        seconds, rss, dummy = playbook('export.yml', emu.url, 'v3', BENCH_FILE=exported)
        export = {'seconds': round(seconds, 2), 'peak_rss_mb': round(rss, 1),
                  'listing_requests': listing_requests(emu.stats()),
                  'peer': opt_out_peer('export', emu.url, os.path.join(workdir, 'peer-opt-outs.csv'))}
    with opt_out_emulator(0) as emu:
        emu.reset_stats()
        seconds, rss, dummy = playbook('import.yml', emu.url, 'v3', BENCH_FILE=exported)
        stats = emu.stats()
        emu.reset_stats()
        again = playbook('import.yml', emu.url, 'v3', BENCH_FILE=exported)[0]
        imported = {'seconds': round(seconds, 2), 'peak_rss_mb': round(rss, 1),
                    'listing_requests': listing_requests(stats), 'write_requests': stats['writes'],
                    'second_run': {'seconds': round(again, 2), 'write_requests': emu.stats()['writes']}}
    with opt_out_emulator(0) as emu:
        imported['peer'] = opt_out_peer('import', emu.url, exported)
    with open(exported, encoding='utf-8', newline='') as handle:
        valid = sum(1 for row in csv.DictReader(handle) if '@' in row['email'])
    return {'records': records, 'pages': math.ceil(records / PAGE), 'valid': valid,
            'batches': math.ceil(valid / PAGE), 'export': export, 'import': imported}


def bench_group_opt_outs(workdir):
    """A group of a million: its export (one unpaged answer of the account's group suppressions, read as it
    arrives) and the identical import into the same group (one unpaged read of the group, no write), against
    the peer that reads the same answer whole."""
    records, exported = scaled(1000000), os.path.join(workdir, 'group-opt-outs.csv')
    with Emulator('--data', os.path.join(HERE, 'fixture_group.yml'), '--generate', records, '--generate-lists',
                  'unsubscribes', '--latency-ms', LATENCY_MS, '--seed', 1) as emu:
        emu.reset_stats()
        seconds, rss, dummy = playbook('export_group.yml', emu.url, 'v3', BENCH_FILE=exported)
        export = {'seconds': round(seconds, 2), 'peak_rss_mb': round(rss, 1), 'requests': emu.stats()['total'],
                  'peer': opt_out_peer('export-group', emu.url, os.path.join(workdir, 'peer-group.csv'))}
        emu.reset_stats()
        seconds, rss, dummy = playbook('import_group.yml', emu.url, 'v3', BENCH_FILE=exported)
        stats = emu.stats()
        again = {'seconds': round(seconds, 2), 'peak_rss_mb': round(rss, 1), 'requests': stats['total'],
                 'write_requests': stats['writes']}
    return {'records': records, 'export': export, 'import_again': again}


def _group_opt_out_rows(results):
    moved = results['group_opt_outs']
    export, again = moved['export'], moved['import_again']
    return [('11. v3 export of a group of %d' % moved['records'],
             '%.1f s, RSS %.0f MB, %d requests; peer (answer read whole) %.1f s, RSS %.0f MB' % (
                 export['seconds'], export['peak_rss_mb'], export['requests'], export['peer']['seconds'],
                 export['peer']['peak_rss_mb']),
             '<= 150 MB, <= 1.2 x peer: %s' % verdict(
                 export['peak_rss_mb'] <= 150 and export['seconds'] <= 1.2 * export['peer']['seconds'])),
            ('12. v3 identical import of it into the group',
             '%.1f s, RSS %.0f MB, %d requests, %d writes' % (
                 again['seconds'], again['peak_rss_mb'], again['requests'], again['write_requests']),
             '<= 150 MB, 0 writes: %s' % verdict(again['peak_rss_mb'] <= 150 and again['write_requests'] == 0))]


def _opt_out_rows(results):
    moved = results['opt_outs']
    export, imported, pages, batches = moved['export'], moved['import'], moved['pages'], moved['batches']
    rows = [('9. v3 export of %d global unsubscribes' % moved['records'],
             '%.1f s, RSS %.0f MB, %d reads (%d pages); peer %.1f s, %d reads' % (
                 export['seconds'], export['peak_rss_mb'], export['listing_requests'], pages,
                 export['peer']['seconds'], export['peer']['listing_requests']),
             '<= 150 MB, <= 1.2 x peer, reads <= pages + %d: %s' % (CONCURRENCY, verdict(
                 export['peak_rss_mb'] <= 150 and export['seconds'] <= 1.2 * export['peer']['seconds']
                 and export['listing_requests'] <= pages + CONCURRENCY)))]
    rows.append(('10. v3 import of %d (%d with @) into an empty list' % (moved['records'], moved['valid']),
                 '%.1f s, RSS %.0f MB, %d reads, %d writes; again %d writes; peer %.1f s, %d writes' % (
                     imported['seconds'], imported['peak_rss_mb'], imported['listing_requests'],
                     imported['write_requests'], imported['second_run']['write_requests'],
                     imported['peer']['seconds'], imported['peer']['write_requests']),
                 '<= 150 MB, <= 1.2 x peer, %d writes then 0: %s' % (batches, verdict(
                     imported['peak_rss_mb'] <= 150 and imported['seconds'] <= 1.2 * imported['peer']['seconds']
                     and imported['write_requests'] == batches and imported['second_run']['write_requests'] == 0))))
    return rows


def bench_journal(workdir):
    """What the write-ahead journal costs: every address of a million-record purge written before its request
    (500 a request) and its answer after, through the collection's own Journal, on this disk."""
    sys.path.insert(0, os.path.join(ROOT, 'build', 'collections'))
    from ansible_collections.mailops.sendgrid.plugins.module_utils.journal import Journal
    records = scaled(1000000)
    addresses = ['user%07d@example%d.com' % (number, number % 5) for number in range(records)]
    runs = []
    for attempt in range(3):
        started = time.perf_counter()
        journal = Journal(os.path.join(workdir, 'bench-%d.journal' % attempt), {'run': 'bench'})
        scope = journal.scope(0, 'invalid_emails', None, None)
        for start in range(0, records, PAGE):
            journal.answered(journal.before(scope, addresses[start:start + PAGE]))
        journal.close('finished')
        runs.append(time.perf_counter() - started)
    return {'records': records, 'seconds': round(statistics.median(runs), 3), 'runs': [round(r, 3) for r in runs]}


def bench_noop():
    """Ansible's own start: a playbook that does nothing, measured in the same run as the rest."""
    return {'seconds': round(statistics.median(playbook('noop.yml', 'http://127.0.0.1:9', 'v3')[0]
                                               for dummy in range(3)), 2)}


def bench_scaling(workdir):
    """v2 deletes one address a request: the concurrency curve of the module against the latency limit."""
    records = scaled(1000)
    curve = []
    for concurrency in (1, 4, 8, 16):
        with emulator(records) as emu:
            emails = all_emails(emu, 'v2')
            path = os.path.join(workdir, 'emails-%d.json' % concurrency)
            with open(path, 'w', encoding='utf-8') as handle:
                json.dump(emails, handle)
            seconds, dummy, dummy = playbook('module_delete.yml', emu.url, 'v2', BENCH_EMAILS=path,
                                             BENCH_CONCURRENCY=concurrency, BENCH_EXPECTED=len(emails),
                                             BENCH_BATCH_SIZE=PAGE)
            curve.append({'concurrency': concurrency, 'records': len(emails), 'seconds': round(seconds, 2),
                          'limit_seconds': round(latency_limit(len(emails), concurrency), 2),
                          'records_per_second': round(len(emails) / seconds, 1)})
    return curve


# ---- the figures -----------------------------------------------------------------------------------------------
def bench_role_vs_module(version, records, reports, runs=3):
    """The role and the module alone (the role's one call, the same options) purging the same fresh list at the
    benchmark's latency, alternately, `runs` times each: the medians, and what the role costs over its call."""
    role, module = [], []
    for attempt in range(runs):
        for name, timings in (('purge.yml', role), ('purge_module.yml', module)):
            with emulator(records, 1 + attempt) as emu:
                timings.append(playbook(name, emu.url, version, BENCH_CONFIRM=records, BENCH_REPORTS=reports)[0])
                assert emu._json('/_emulator/health')['records'] == 0, name
    role_seconds, module_seconds = statistics.median(role), statistics.median(module)
    return {'version': version, 'records': records, 'runs': runs, 'role_seconds': round(role_seconds, 3),
            'module_seconds': round(module_seconds, 3), 'difference': round(role_seconds - module_seconds, 3),
            'role_all': [round(value, 3) for value in role], 'module_all': [round(value, 3) for value in module]}


def _role_vs_module_row(results):
    both = results['role_vs_module']
    return ('   %s role vs module, purge of %d (median of %d)' % (both['version'], both['records'], both['runs']),
            'role %.2f s, module %.2f s: the role costs %+.2f s' % (
                both['role_seconds'], both['module_seconds'], both['difference']),
            '<= module + 0.3 s: %s' % verdict(both['difference'] <= 0.3))


def verdict(ok):
    return 'met' if ok else 'MISSED'


def _purge_rows(results, derived, start):
    v2, v3, v3_big = results['purge_v2'], results['purge_v3'], results['purge_v3_large']
    extra = v3_big['records'] - v3['records']
    slope = (v3_big['seconds'] - v3['seconds']) / extra
    peer_slope = (v3_big['peer']['seconds'] - v3['peer']['seconds']) / extra
    slope_ratio = slope / peer_slope if peer_slope > 0 else float('inf')
    whole_ok = all(run['seconds'] <= run['peer']['seconds'] + start + 1 for run in (v3, v3_big))
    writes_ok = all(run['write_requests'] == math.ceil(run['records'] / PAGE) for run in (v3, v3_big))
    reads_ok = all(run['listing_requests'] <= math.ceil(run['records'] / PAGE) + CONCURRENCY for run in (v3, v3_big))
    derived.update(v3_slope_us=round(slope * 1e6, 1), v3_peer_slope_us=round(peer_slope * 1e6, 1),
                   v3_slope_ratio=round(slope_ratio, 3))
    ratio = v2['seconds'] / v2['limit_seconds']
    derived.update(v2_limit_ratio=round(ratio, 3), v2_peer_ratio=round(v2['seconds'] / v2['peer']['seconds'], 3))
    return [
        ('1. v3 role purge of %d and %d (median of %d)' % (v3['records'], v3_big['records'], v3_big['runs']),
         '%.1f s and %.1f s (peer %.1f s, %.1f s; Ansible start %.1f s); per extra record %.1f us vs peer %.1f us: '
         '%.2f x; writes %d and %d, reads %d and %d' % (
             v3['seconds'], v3_big['seconds'], v3['peer']['seconds'], v3_big['peer']['seconds'], start, slope * 1e6,
             peer_slope * 1e6, slope_ratio, v3['write_requests'], v3_big['write_requests'], v3['listing_requests'],
             v3_big['listing_requests']),
         '<= 1.2 x peer per record: %s; <= peer + start + 1 s: %s; writes = ceil(N/500): %s; reads <= ceil(N/500) '
         '+ %d: %s' % (verdict(slope_ratio <= 1.2), verdict(whole_ok), verdict(writes_ok), CONCURRENCY,
                       verdict(reads_ok))),
        ('2. v2 role purge of %d, concurrency %d' % (v2['records'], CONCURRENCY),
         '%.1f s; limit %.1f s (%d requests x %d ms / %d): %.2f x; skilled peer %.1f s' % (
             v2['seconds'], v2['limit_seconds'], v2['listing_requests'] + v2['write_requests'], LATENCY_MS,
             CONCURRENCY, ratio, v2['peer']['seconds']),
         '<= 1.2 x limit: %s' % verdict(ratio <= 1.2)),
    ]


def _fleet_rows(results, start):
    fleet = results.get('fleet')
    if not fleet:
        return []
    runs, peer = fleet['runs'], fleet['peer']
    one, per_host, rate = runs['one_task'], runs['per_host'], runs['one_task_rate']
    # One bulk delete per subuser (50 records each), as the peer makes: every subuser's list emptied.
    exact = all(run['write_requests'] == fleet['subusers'] for run in runs.values()) and \
        per_host['reports'] == fleet['subusers'] and peer['write_requests'] == fleet['subusers']
    bound = 3 * peer['seconds'] + start + 1
    return [
        ('4. fleet: %d subusers x %d records' % (fleet['subusers'], fleet['records_each']),
         'one task %.1f s (peer %.1f s, Ansible start %.1f s); inventory per host at forks 16 %.1f s; %d bulk '
         'deletes' % (one['seconds'], peer['seconds'], start, per_host['seconds'], one['write_requests']),
         'one task <= 3 x peer + start + 1 s: %s; per host <= 60 s: %s; one delete per subuser: %s' % (
             verdict(one['seconds'] <= bound), verdict(per_host['seconds'] <= 60), verdict(exact))),
        _fleet_large_row(results, start),
        _fleet_info_row(results, start),
        ('5. fleet in one task under a %d/s rate limit' % RATE,
         '%.1f s for %d requests (bound %.1f s): %.2f x; %d answered 429 (%.1f %%)' % (
             rate['seconds'], rate['requests'], rate['bound_seconds'], rate['ratio'], rate['answered_429'],
             rate['share_429'] * 100),
         '<= 1.1 x, <= 1 %% 429: %s' % verdict(rate['ratio'] <= 1.1 and rate['share_429'] <= 0.01)),
    ]


def _fleet_info_row(results, start):
    info = results['fleet_info']
    bound = 2 * info['peer']['seconds'] + start
    return ('4c. one address across %d subusers, one task' % info['subusers'],
            '%.1f s, %d requests (peer %.1f s, %d requests; Ansible start %.1f s)' % (
                info['seconds'], info['requests'], info['peer']['seconds'], info['peer']['requests'], start),
            '<= 2 x peer + start: %s; requests = peer: %s' % (
                verdict(info['seconds'] <= bound), verdict(info['requests'] == info['peer']['requests'])))


def _fleet_large_row(results, start):
    large = results['fleet_large']
    bound = 3 * large['peer']['seconds'] + start + 1
    return ('4b. fleet: %d subusers x %d records, one task' % (large['subusers'], large['records_each']),
            '%.1f s (peer %.1f s, Ansible start %.1f s), %d bulk deletes (peer %d), peak RSS %.0f MB, %d progress '
            'lines' % (large['seconds'], large['peer']['seconds'], start, large['write_requests'],
                       large['peer']['write_requests'], large['peak_rss_mb'], large['progress_lines']),
            '<= 3 x peer + start + 1 s: %s' % verdict(large['seconds'] <= bound))


def figures(results):
    """[(name, figure, target with verdict)], and the derived numbers stored in results['derived']."""
    derived = results.setdefault('derived', {})
    start = results['noop']['seconds']
    page = results['emulator_page']
    rows = [('0. emulator: a page of 500 at %d records' % page['records'],
             'first %.1f ms, last %.1f ms; Ansible start (a no-op playbook) %.1f s' % (
                 page['first_page_ms'], page['last_page_ms'], start),
             'well under 50 ms: %s' % verdict(max(page['first_page_ms'], page['last_page_ms']) < 50))]
    rows += _purge_rows(results, derived, start)
    v3_big = results['purge_v3_large']
    naive = results['uri_loop_v3']
    speedup = naive['seconds_per_record'] / v3_big['seconds_per_record']
    derived['v3_speedup_over_uri'] = round(speedup, 1)
    rows.append(('3. v3 uri loop on %d vs the role' % naive['records'],
                 'uri %.1f ms/record, role %.3f ms/record (at %d): %.0f x faster' % (
                     naive['seconds_per_record'] * 1000, v3_big['seconds_per_record'] * 1000, v3_big['records'],
                     speedup),
                 '>= 1000 x: %s' % verdict(speedup >= 1000)))
    rows += _fleet_rows(results, start)
    million = results['million']
    rows.append(('6. v3 role purge of %d: peak controller memory' % million['records'],
                 'RSS %.0f MB (PSS %.0f MB), %.1f s; at %d: RSS %.0f MB' % (
                     million['peak_rss_mb'], million['peak_pss_mb'], million['seconds'], v3_big['records'],
                     v3_big['peak_rss_mb']),
                 '<= 150 MB: %s' % verdict(million['peak_rss_mb'] <= 150)))
    journal = results['journal']
    share = journal['seconds'] / million['seconds'] * (million['records'] / float(journal['records']))
    derived['journal_share'] = round(share, 4)
    rows.append(('8. journal of a %d-record purge (500 a request)' % journal['records'],
                 '%.2f s (median of %d), %.1f %% of the purge\'s %.1f s' % (
                     journal['seconds'], len(journal['runs']), share * 100, million['seconds']),
                 '<= 5 %%: %s' % verdict(share <= 0.05)))
    for version in VERSIONS:
        faults = results['faults_%s' % version]
        rows.append(('7. %s role purge of %d of %d under 20%% faults + 100/s limit' % (
            version, faults['selected'], faults['records']),
            '%.1f s in %d run(s); %d faults, %d answered 429; %d wrongly deleted, %d missed; re-run %d writes' % (
                faults['seconds'], faults['runs_to_finish'], faults['faults'], faults['rate_limited'],
                faults['extra_deleted'], faults['missed'], faults['rerun_writes']),
            'exact, re-run 0 writes: %s' % verdict(
                faults['extra_deleted'] == 0 and faults['missed'] == 0 and faults['rerun_writes'] == 0)))
    rows += _opt_out_rows(results)
    rows += _group_opt_out_rows(results)
    rows += _other_rows(results)
    return rows


def _other_rows(results):
    rows = [_role_vs_module_row(results)]
    for version in VERSIONS:
        rate = results['rate_%s' % version]
        rows.append(('   %s module under a %d/s rate limit, %d records' % (version, rate['rate'], rate['records']),
                     '%.1f s for %d requests (bound %.1f s): %.2f x; %d answered 429 (%.1f %%)' % (
                         rate['seconds'], rate['requests'], rate['bound_seconds'], rate['ratio'],
                         rate['answered_429'], rate['share_429'] * 100), ''))
    for run in (results['purge_v2'], results['purge_v3']):
        second = run['second_run']
        rows.append(('   %s identical second run' % run['version'],
                     '%d write requests, %d listing requests (budget %d), %.1f s' % (
                         second['write_requests'], second['listing_requests'], second['listing_budget'],
                         second['seconds']),
                     '0 writes: %s' % verdict(second['write_requests'] == 0)))
    for version in VERSIONS:
        lookup = results['lookup_%s' % version]
        rows.append(('   %s lookup reading %d records' % (version, lookup['records']),
                     '%.1f s, %d requests, peak controller RSS %.0f MB' % (
                         lookup['seconds'], lookup['listing_requests'], lookup['peak_rss_mb']), ''))
    for point in results['scaling']:
        rows.append(('   v2 module deleting %d, concurrency %d' % (point['records'], point['concurrency']),
                     '%.1f s (%.0f records/s; latency limit %.1f s)' % (
                         point['seconds'], point['records_per_second'], point['limit_seconds']), ''))
    return rows


def table(results):
    rows = figures(results)
    width = max(len(r[0]) for r in rows)
    lines = ['mailops.sendgrid benchmark (emulator latency %d ms, concurrency %d, BENCH_SCALE=%s)' % (
        LATENCY_MS, CONCURRENCY, SCALE), '']
    lines += ['%-*s  %s  [%s]' % (width, name, figure, target) if target else '%-*s  %s' % (width, name, figure)
              for name, figure, target in rows]
    return '\n'.join(lines)


def main():
    os.makedirs(RESULTS, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='mailops-bench-') as workdir:
        steps = [('emulator_page', bench_emulator_page),
                 ('noop', bench_noop),
                 ('purge_v2', lambda: bench_purge('v2', scaled(10000), workdir)),
                 ('purge_v3', lambda: bench_purge('v3', scaled(10000), workdir, runs=3)),
                 ('role_vs_module', lambda: bench_role_vs_module('v3', scaled(10000), workdir)),
                 ('purge_v3_large', lambda: bench_purge('v3', scaled(100000), workdir, runs=3)),
                 ('million', lambda: bench_million(workdir)),
                 ('journal', lambda: bench_journal(workdir)),
                 ('opt_outs', lambda: bench_opt_outs(workdir)),
                 ('group_opt_outs', lambda: bench_group_opt_outs(workdir)),
                 ('uri_loop_v2', lambda: bench_uri_loop('v2')),
                 ('uri_loop_v3', lambda: bench_uri_loop('v3')),
                 ('rate_v3', lambda: bench_rate_limit('v3', workdir)),
                 ('rate_v2', lambda: bench_rate_limit('v2', workdir)),
                 ('lookup_v2', lambda: bench_lookup('v2')),
                 ('lookup_v3', lambda: bench_lookup('v3')),
                 ('faults_v2', lambda: bench_faults('v2', workdir)),
                 ('faults_v3', lambda: bench_faults('v3', workdir)),
                 ('scaling', lambda: bench_scaling(workdir)),
                 ('fleet', lambda: bench_fleet(workdir)),
                 ('fleet_large', lambda: bench_fleet_large(workdir)),
                 ('fleet_info', lambda: bench_fleet_info(workdir))]
        only = [name for name in os.environ.get('BENCH_ONLY', '').split(',') if name]
        results = {'latency_ms': LATENCY_MS, 'concurrency': CONCURRENCY, 'scale': SCALE}
        # Each step's figures are kept as it ends; BENCH_RESUME=1 keeps those of an interrupted run at this scale.
        partial = os.path.join(RESULTS, 'partial.json')
        if os.environ.get('BENCH_RESUME') == '1' and os.path.exists(partial):
            with open(partial, encoding='utf-8') as handle:
                kept = json.load(handle)
            if kept.get('scale') == SCALE:
                results = kept
        for name, step in steps:
            if (only and name not in only) or name in results:
                continue
            print('running %s ...' % name, flush=True)
            results[name] = step()
            print('  %s' % json.dumps(results[name]), flush=True)
            with open(partial, 'w', encoding='utf-8') as handle:
                json.dump(results, handle, indent=2)
    if only:
        return 0
    report = table(results)
    print()
    print(report)
    with open(os.path.join(RESULTS, 'latest.json'), 'w', encoding='utf-8') as handle:
        json.dump(results, handle, indent=2)
    with open(os.path.join(RESULTS, 'latest.txt'), 'w', encoding='utf-8') as handle:
        handle.write(report + '\n')
    draw(results, os.path.join(RESULTS, 'latest.png'))
    os.remove(partial)
    print('\npicture: %s' % os.path.relpath(os.path.join(RESULTS, 'latest.png'), ROOT))
    return 0


if __name__ == '__main__':
    sys.exit(main())
