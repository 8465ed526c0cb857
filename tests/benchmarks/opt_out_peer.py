"""The skilled peer of moving opt-outs: what an experienced engineer writes by hand with requests to export a
global unsubscribe list (or a group's) to CSV and to import a file of addresses into another account's list.

export: pages of 500 read `--concurrency` at a time until one comes back short, each row written as it comes.
import: the addresses of the file (its `email` column; those without @ left out, as the collection does), the target list read the same way, then the missing
addresses POSTed in batches of 500, `--concurrency` at once. No retries, no pacing, no checks.
Prints one JSON line: seconds, listing and write requests, records.
"""

import argparse
import csv
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from peer_http import PAGE, report, session


def pages(url, headers, pool, concurrency):
    """Each page of the global unsubscribes, in order, and the number of requests."""
    def page(offset):
        return session().get(url + '/v3/suppression/unsubscribes', params={'limit': PAGE, 'offset': offset},
                             headers=headers, timeout=60).json()
    offset, listing = 0, 0
    while True:
        answers = list(pool.map(page, range(offset, offset + concurrency * PAGE, PAGE)))
        listing += len(answers)
        for answer in answers:
            yield answer, listing
        if any(len(answer) < PAGE for answer in answers):
            return
        offset += concurrency * PAGE


def export(url, headers, path, concurrency):
    records, listing = 0, 0
    with open(path, 'w', encoding='utf-8', newline='') as handle, ThreadPoolExecutor(concurrency) as pool:
        writer = csv.writer(handle)
        writer.writerow(['email', 'created'])
        for answer, listing in pages(url, headers, pool, concurrency):
            for record in answer:
                writer.writerow([record['email'], record['created']])
                records += 1
    return listing, 0, records


def export_group(url, headers, path, concurrency):
    """The group named Newsletters: its id from the groups, its rows from the account's group suppressions (the
    endpoint that carries dates), one answer read whole as requests reads it."""
    groups = session().get(url + '/v3/asm/groups', headers=headers, timeout=60).json()
    group_id = next(group['id'] for group in groups if group['name'] == 'Newsletters')
    rows = session().get(url + '/v3/asm/suppressions', headers=headers, timeout=600).json()
    records = 0
    with open(path, 'w', encoding='utf-8', newline='') as handle:
        writer = csv.writer(handle)
        writer.writerow(['email', 'created'])
        for row in rows:
            if row['group_id'] == group_id:
                writer.writerow([row['email'], row['created_at']])
                records += 1
    return 2, 0, records


def import_file(url, headers, path, concurrency):
    with open(path, encoding='utf-8', newline='') as handle:
        reader = csv.reader(handle)
        column = next(reader).index('email')
        wanted = {row[column].lower(): row[column] for row in reader if '@' in row[column]}
    listing = 0
    with ThreadPoolExecutor(concurrency) as pool:
        for answer, listing in pages(url, headers, pool, concurrency):
            for record in answer:
                wanted.pop(record['email'].lower(), None)
        emails = list(wanted.values())
        batches = [emails[start:start + PAGE] for start in range(0, len(emails), PAGE)]

        def add(batch):
            session().post(url + '/v3/asm/suppressions/global', json={'recipient_emails': batch}, headers=headers,
                           timeout=60)
        list(pool.map(add, batches))
    return listing, len(batches), len(emails)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('what', choices=['export', 'export-group', 'import'])
    parser.add_argument('--url', required=True)
    parser.add_argument('--api-key', required=True)
    parser.add_argument('--file', required=True)
    parser.add_argument('--concurrency', type=int, default=8)
    args = parser.parse_args()
    headers = {'Authorization': 'Bearer %s' % args.api_key, 'Accept': 'application/json'}
    started = time.monotonic()
    step = {'export': export, 'export-group': export_group, 'import': import_file}[args.what]
    listing, writes, records = step(args.url, headers, args.file, args.concurrency)
    return report(started, listing, writes, records)


if __name__ == '__main__':
    sys.exit(main())
