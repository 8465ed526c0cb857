"""make bench: the collection against the ansible.builtin.uri loop and against the latency limit.

Every figure comes from real processes: an emulator started here with --latency-ms 25, and ansible-playbook runs
of the playbooks in tests/benchmarks/playbooks. BENCH_SCALE (default 1) scales every record count for a quick look.
The table is printed and written to tests/benchmarks/results/latest.json.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'emulator'))
from process import Emulator  # noqa: E402

LATENCY_MS = 25
CONCURRENCY = 8
SCALE = float(os.environ.get('BENCH_SCALE', '1'))
FIXTURE = os.path.join(HERE, 'fixture.yml')
KEY = {'api_user': 'apikey', 'api_key': 'SG.bench-key'}
# The one list the v2 benchmark reads: generating the others too would only slow its emulators down.
V2_LISTS = 'invalid_emails'
RESULTS = os.path.join(HERE, 'results')


def scaled(count):
    return max(int(count * SCALE), 10)


def emulator(records, latency=LATENCY_MS):
    return Emulator('--data', FIXTURE, '--generate', records, '--generate-lists', V2_LISTS, '--latency-ms', latency,
                    '--seed', 1)


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


def playbook(name, url, **env):
    """Run a benchmark playbook; (seconds, peak tree RSS MB, peak tree PSS MB)."""
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
               os.path.join(HERE, 'playbooks', name)]
    environment = dict(os.environ, SENDGRID_API_URL=url, SENDGRID_API_VERSION='v2', ANSIBLE_LOCALHOST_WARNING='false',
                       ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                       **{k: str(v) for k, v in env.items()})
    started = time.monotonic()
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=environment)
        peak_rss = peak_pss = 0
        while proc.poll() is None:
            rss, pss = tree_memory_kb(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.05)
        seconds = time.monotonic() - started
        if proc.returncode != 0:
            output.seek(0)
            raise SystemExit('%s failed:\n%s' % (name, output.read().decode('utf-8', 'replace')[-4000:]))
    return seconds, peak_rss / 1024.0, peak_pss / 1024.0


def listing_requests(stats):
    return sum(row['count'] for row in stats['requests'] if row['task'] in ('get', 'count'))


def bench_emulator_page():
    records = scaled(1000000)
    with emulator(records, latency=0) as emu:
        session = requests.Session()
        timings = {}
        for label, offset in (('first page', 0), ('last page', records - 500)):
            samples = []
            for dummy in range(15):
                started = time.perf_counter()
                page = session.post(emu.url + '/api/invalidemails.get.json',
                                    data=dict(KEY, date=1, limit=500, offset=offset), timeout=60).json()
                samples.append((time.perf_counter() - started) * 1000)
                assert len(page) == 500
            timings[label] = statistics.median(samples)
    return {'records': records, 'first_page_ms': round(timings['first page'], 1),
            'last_page_ms': round(timings['last page'], 1)}


def bench_purge(reports):
    records = scaled(10000)
    with emulator(records) as emu:
        emu.reset_stats()
        seconds, dummy, dummy = playbook('purge.yml', emu.url, BENCH_CONFIRM=records, BENCH_REPORTS=reports)
        stats = emu.stats()
        listing = listing_requests(stats)
        deletes = stats['writes']
        assert deletes == records and emu._json('/_emulator/health')['records'] == 0, stats
        limit = (listing + deletes) * LATENCY_MS / 1000.0 / CONCURRENCY
        emu.reset_stats()
        again, dummy, dummy = playbook('purge.yml', emu.url, BENCH_CONFIRM=records, BENCH_REPORTS=reports)
        second = emu.stats()
    return {
        'records': records, 'seconds': round(seconds, 2), 'listing_requests': listing, 'delete_requests': deletes,
        'limit_seconds': round(limit, 2), 'ratio': round(seconds / limit, 3), 'seconds_per_record': seconds / records,
        'second_run': {'seconds': round(again, 2), 'write_requests': second['writes'],
                       'listing_requests': listing_requests(second),
                       'listing_budget': max(1, -(-records // 500))},
    }


def _all_records(emu):
    """Every record the emulator holds for the bench account, read page by page through its API (its database's
    view), each page retried until it comes through the emulator's faults."""
    session, records, offset = requests.Session(), [], 0
    while True:
        page = _page(session, emu, offset)
        records.extend(page)
        if len(page) < 500:
            return records
        offset += 500


def _page(session, emu, offset):
    for dummy in range(100):
        try:
            page = session.post(emu.url + '/api/invalidemails.get.json',
                                data=dict(KEY, date=1, limit=500, offset=offset), timeout=60).json()
        except (requests.RequestException, ValueError):
            page = None
        if isinstance(page, list):
            return page
        time.sleep(0.05)
    raise SystemExit('could not read the page at offset %d through the faults' % offset)


def bench_faults(reports):
    records = scaled(10000)
    with Emulator('--data', FIXTURE, '--generate', records, '--generate-lists', V2_LISTS, '--seed', 2) as clean:
        before = _all_records(clean)
    selected = {r['email'] for r in before if r['reason'] == 'Bad Syntax'}
    with Emulator('--data', FIXTURE, '--generate', records, '--generate-lists', V2_LISTS, '--seed', 2,
                  '--fault-rate', 0.2,
                  '--rate-limit', 100) as emu:
        seconds, dummy, dummy = playbook('purge_faults.yml', emu.url, BENCH_REPORTS=reports)
        faults = emu.stats()['outcomes']
        after = {r['email'] for r in _all_records(emu)}
        emu.reset_stats()
        playbook('purge_faults.yml', emu.url, BENCH_REPORTS=reports)
        rerun_writes = emu.stats()['writes']
    expected = {r['email'] for r in before} - selected
    return {'records': records, 'selected': len(selected), 'seconds': round(seconds, 2),
            'faults': faults.get('fault', 0) + faults.get('dropped', 0), 'rate_limited': faults.get('rate_limited', 0),
            'extra_deleted': len(expected - after), 'missed': len(after - expected), 'rerun_writes': rerun_writes}


def bench_uri_loop():
    records = scaled(500)
    with emulator(records) as emu:
        seconds, dummy, dummy = playbook('uri_loop.yml', emu.url)
        assert emu.stats()['writes'] == records
    return {'records': records, 'seconds': round(seconds, 2), 'seconds_per_record': seconds / records}


def bench_lookup():
    records = scaled(100000)
    with emulator(records) as emu:
        emu.reset_stats()
        seconds, rss, pss = playbook('lookup_read.yml', emu.url)
        pages = emu.stats()['by_endpoint']['api/invalidemails.get']['total']
    return {'records': records, 'seconds': round(seconds, 2), 'peak_rss_mb': round(rss, 1),
            'peak_pss_mb': round(pss, 1), 'pages': pages}


def bench_scaling(workdir):
    records = scaled(1000)
    curve = []
    for concurrency in (1, 4, 8, 16):
        with emulator(records) as emu:
            emails = [r['email'] for r in requests.post(emu.url + '/api/invalidemails.get.json',
                                                        data=KEY, timeout=60).json()]
            path = os.path.join(workdir, 'emails-%d.json' % concurrency)
            with open(path, 'w', encoding='utf-8') as handle:
                json.dump(emails, handle)
            seconds, dummy, dummy = playbook('module_delete.yml', emu.url, BENCH_EMAILS=path,
                                             BENCH_CONCURRENCY=concurrency, BENCH_EXPECTED=len(emails))
            limit = len(emails) * LATENCY_MS / 1000.0 / concurrency
            curve.append({'concurrency': concurrency, 'records': len(emails), 'seconds': round(seconds, 2),
                          'limit_seconds': round(limit, 2), 'records_per_second': round(len(emails) / seconds, 1)})
    return curve


def verdict(ok):
    return 'met' if ok else 'MISSED'


def table(results):
    purge, peer, lookup, page = results['purge'], results['uri_loop'], results['lookup'], results['emulator_page']
    speedup = peer['seconds_per_record'] / purge['seconds_per_record']
    results['speedup'] = round(speedup, 1)
    second = purge['second_run']
    rows = [
        ('0. emulator: limit=500 page at %d records' % page['records'],
         'first %.1f ms, last %.1f ms' % (page['first_page_ms'], page['last_page_ms']),
         'well under 50 ms: %s' % verdict(max(page['first_page_ms'], page['last_page_ms']) < 50)),
        ('1. role purge of %d records, concurrency %d' % (purge['records'], CONCURRENCY),
         '%.1f s; limit %.1f s ((%d listing + %d deletes) x %d ms / %d); ratio %.2f' % (
             purge['seconds'], purge['limit_seconds'], purge['listing_requests'], purge['delete_requests'],
             LATENCY_MS, CONCURRENCY, purge['ratio']),
         '<= 1.2 x limit: %s' % verdict(purge['ratio'] <= 1.2)),
        ('2. uri loop on %d records vs the collection' % peer['records'],
         'uri %.1f ms/record, collection %.2f ms/record: %.0f x faster' % (
             peer['seconds_per_record'] * 1000, purge['seconds_per_record'] * 1000, speedup),
         '>= 100 x: %s' % verdict(speedup >= 100)),
        ('3. identical second run of 1',
         '%d write requests, %d listing requests (budget %d), %.1f s' % (
             second['write_requests'], second['listing_requests'], second['listing_budget'], second['seconds']),
         '0 writes, <= 1 listing/500 records: %s' % verdict(
             second['write_requests'] == 0 and second['listing_requests'] <= second['listing_budget'])),
        ('4. lookup reading %d records' % lookup['records'],
         '%.1f s, %d pages, peak tree RSS %.0f MB (PSS %.0f MB)' % (
             lookup['seconds'], lookup['pages'], lookup['peak_rss_mb'], lookup['peak_pss_mb']),
         '<= 150 MB: %s' % verdict(lookup['peak_rss_mb'] <= 150)),
    ]
    for point in results['scaling']:
        rows.append(('5. module deleting %d records, concurrency %d' % (point['records'], point['concurrency']),
                     '%.1f s (%.0f records/s; latency limit %.1f s)' % (
                         point['seconds'], point['records_per_second'], point['limit_seconds']), ''))
    faults = results['faults']
    rows.append(('6. role purge of %d of %d records under 20%% faults and a 100/s rate limit' % (
        faults['selected'], faults['records']),
        '%.1f s; %d faults, %d answered 429; %d wrongly deleted, %d missed; re-run %d writes' % (
            faults['seconds'], faults['faults'], faults['rate_limited'], faults['extra_deleted'], faults['missed'],
            faults['rerun_writes']),
        'exact, re-run 0 writes: %s' % verdict(
            faults['extra_deleted'] == 0 and faults['missed'] == 0 and faults['rerun_writes'] == 0)))
    width = max(len(r[0]) for r in rows)
    lines = ['mailops.sendgrid benchmark (emulator latency %d ms, BENCH_SCALE=%s)' % (LATENCY_MS, SCALE), '']
    lines += ['%-*s  %s  %s' % (width, name, figure, target) for name, figure, target in rows]
    return '\n'.join(lines)


def main():
    os.makedirs(RESULTS, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='mailops-bench-') as workdir:
        steps = [('emulator_page', bench_emulator_page), ('purge', lambda: bench_purge(workdir)),
                 ('faults', lambda: bench_faults(workdir)),
                 ('uri_loop', bench_uri_loop), ('lookup', bench_lookup), ('scaling', lambda: bench_scaling(workdir))]
        results = {'latency_ms': LATENCY_MS, 'scale': SCALE}
        for name, step in steps:
            print('running %s ...' % name, flush=True)
            results[name] = step()
    report = table(results)
    print()
    print(report)
    with open(os.path.join(RESULTS, 'latest.json'), 'w', encoding='utf-8') as handle:
        json.dump(results, handle, indent=2)
    with open(os.path.join(RESULTS, 'latest.txt'), 'w', encoding='utf-8') as handle:
        handle.write(report + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
