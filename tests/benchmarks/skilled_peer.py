"""The skilled peer: what an experienced engineer writes by hand to purge a list with the fewest requests.

requests with one keep-alive session per thread and a thread pool of `--concurrency`: on v2 the count, then every
page of 500 at once, then one delete per address; on v3 pages of 500 read `--concurrency` at a time until one comes
back short (v3 gives no total), then bulk deletes of 500 addresses. No retries, no pacing, no checks: the floor the collection is measured against.
Prints one JSON line: seconds, listing and write requests, records.
"""

import argparse
import math
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from peer_http import PAGE, report, session


def purge_v2(url, user, key, concurrency):
    auth = {'api_user': user, 'api_key': key}
    count = session().post(url + '/api/invalidemails.count.json', data=auth, timeout=60).json()['count']
    pages = math.ceil(count / PAGE) if count else 1

    def page(index):
        return session().post(url + '/api/invalidemails.get.json',
                              data=dict(auth, limit=PAGE, offset=index * PAGE), timeout=60).json()

    def delete(email):
        session().post(url + '/api/invalidemails.delete.json', data=dict(auth, email=email), timeout=60)

    with ThreadPoolExecutor(concurrency) as pool:
        emails = [record['email'] for answer in pool.map(page, range(pages)) for record in answer]
        list(pool.map(delete, emails))
    return 1 + pages, len(emails), len(emails)


def purge_v3(url, key, concurrency):
    headers = {'Authorization': 'Bearer %s' % key, 'Accept': 'application/json'}

    def page(offset):
        return session().get(url + '/v3/suppression/invalid_emails', params={'limit': PAGE, 'offset': offset},
                             headers=headers, timeout=60).json()

    def delete(batch):
        session().delete(url + '/v3/suppression/invalid_emails', json={'emails': batch}, headers=headers,
                         timeout=60)

    emails, offset, listing = [], 0, 0
    with ThreadPoolExecutor(concurrency) as pool:
        # v3 gives no total: pages are read `concurrency` at a time, until one comes back short.
        while True:
            answers = list(pool.map(page, range(offset, offset + concurrency * PAGE, PAGE)))
            listing += len(answers)
            for answer in answers:
                emails.extend(record['email'] for record in answer)
            if any(len(answer) < PAGE for answer in answers):
                break
            offset += concurrency * PAGE
        batches = [emails[start:start + PAGE] for start in range(0, len(emails), PAGE)]
        list(pool.map(delete, batches))
    return listing, len(batches), len(emails)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--url', required=True)
    parser.add_argument('--api-version', choices=['v2', 'v3'], required=True)
    parser.add_argument('--api-user', default='apikey')
    parser.add_argument('--api-key', required=True)
    parser.add_argument('--concurrency', type=int, default=8)
    args = parser.parse_args()
    started = time.monotonic()
    if args.api_version == 'v2':
        listing, writes, records = purge_v2(args.url, args.api_user, args.api_key, args.concurrency)
    else:
        listing, writes, records = purge_v3(args.url, args.api_key, args.concurrency)
    return report(started, listing, writes, records)


if __name__ == '__main__':
    sys.exit(main())
