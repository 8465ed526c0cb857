"""What the hand-written peers share, as an engineer keeps it in a small helper of their own: one keep-alive requests
session per thread, and the one JSON line a peer prints (seconds, listing and write requests, records)."""

import json
import threading
import time

import requests

PAGE = 500
_local = threading.local()


def session():
    if not hasattr(_local, 'session'):
        _local.session = requests.Session()
    return _local.session


def report(started, listing, writes, records):
    print(json.dumps({'seconds': time.monotonic() - started, 'listing_requests': listing, 'write_requests': writes,
                      'records': records}))
    return 0
