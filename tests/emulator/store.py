"""SQLite storage of the emulator: accounts, their customers and subusers, and suppression records."""

import array
import datetime
import random
import sqlite3
import threading

# SendGrid treats two spellings of an address as one when they differ in the case of ASCII letters, and only then.
_ASCII_FOLD = {code: code + 32 for code in range(ord('A'), ord('Z') + 1)}


def address_key(email):
    return email.translate(_ASCII_FOLD)


SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    username_lc TEXT NOT NULL UNIQUE,
    password TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('account', 'customer', 'subuser')),
    parent_id INTEGER REFERENCES users(id)
);
CREATE TABLE IF NOT EXISTS api_keys (
    api_key TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id)
);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    list TEXT NOT NULL CHECK (list IN ('invalid_emails', 'bounces')),
    email TEXT NOT NULL,
    email_lc TEXT NOT NULL,
    status TEXT,
    reason TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_list ON records (user_id, list, id);
CREATE INDEX IF NOT EXISTS records_by_email ON records (user_id, list, email_lc);
CREATE INDEX IF NOT EXISTS records_by_created ON records (user_id, list, created);
"""

LIST_NAMES = ('invalid_emails', 'bounces')
CHILD_KIND = {'account': 'customer', 'customer': 'subuser'}
CHILDREN_KEY = {'account': 'customers', 'customer': 'subusers'}

INVALID_REASONS = ('Known bad domain', 'Invalid address', 'Bad Syntax',
                   'Mail domain mentioned in email address is unknown')
BOUNCE_STATUSES = ('5.1.1', '5.0.0', '5.2.2', '4.4.7', '5.7.1')


def now_timestamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')


class Store:
    """One SQLite connection behind a lock: the emulator's requests are short, so serialising them is simplest."""

    def __init__(self, path=':memory:'):
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute('PRAGMA journal_mode=WAL' if path != ':memory:' else 'PRAGMA journal_mode=MEMORY')
        self._db.execute('PRAGMA synchronous=NORMAL')
        self._db.executescript(SCHEMA)
        self.lock = threading.Lock()
        self._ids = {}

    def is_empty(self):
        with self.lock:
            return self._db.execute('SELECT COUNT(*) FROM users').fetchone()[0] == 0

    # ---- loading -------------------------------------------------------------------------------------
    def load(self, data):
        """Load the fixture shape documented in tests/emulator/README.md."""
        with self.lock, self._transaction():
            self._ids.clear()
            for account in data.get('accounts') or []:
                self._add_user(account, 'account', None)

    def _add_user(self, spec, kind, parent_id):
        username = spec['username']
        cur = self._db.execute(
            'INSERT INTO users (username, username_lc, password, kind, parent_id) VALUES (?, ?, ?, ?, ?)',
            (username, username.lower(), spec.get('password'), kind, parent_id))
        user_id = cur.lastrowid
        for key in spec.get('api_keys') or []:
            self._db.execute('INSERT INTO api_keys (api_key, user_id) VALUES (?, ?)', (key, user_id))
        for list_name in LIST_NAMES:
            rows = [(user_id, list_name, r['email'], address_key(r['email']), r.get('status'),
                     r.get('reason', ''), str(r.get('created') or now_timestamp()))
                    for r in spec.get(list_name) or []]
            self._insert_records(rows)
        child_kind = CHILD_KIND.get(kind)
        for child in spec.get(CHILDREN_KEY.get(kind, ''), []) or []:
            self._add_user(child, child_kind, user_id)

    def _insert_records(self, rows):
        self._db.executemany(
            'INSERT INTO records (user_id, list, email, email_lc, status, reason, created) '
            'VALUES (?, ?, ?, ?, ?, ?, ?)', rows)

    def generate(self, count, seed):
        """Give every list of every user `count` synthetic records, reproducible for a seed and a day."""
        rng = random.Random(seed)
        today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        two_years = 730 * 86400
        with self.lock, self._transaction():
            self._ids.clear()
            users = self._db.execute('SELECT id, kind FROM users ORDER BY id').fetchall()
            for user_id, kind in users:
                lists = {'account': ('invalid_emails',), 'customer': ('invalid_emails', 'bounces'),
                         'subuser': ('bounces',)}[kind]
                for list_name in lists:
                    self._insert_records(self._synthetic(rng, today, two_years, user_id, list_name, count))

    @staticmethod
    def _synthetic(rng, today, span, user_id, list_name, count):
        for i in range(count):
            shape = i % 10
            if shape == 7:
                email = 'user%d' % i                    # like the seeds' `brandon`
            elif shape == 9:
                email = 'user%d@hotmail' % i            # like the seeds' `isaac@hotmail`
            else:
                email = 'user%d.%d@example%d.com' % (i, user_id, rng.randrange(5))
            created = (today - datetime.timedelta(seconds=rng.randrange(span))).strftime('%Y-%m-%d %H:%M:%S')
            if list_name == 'bounces':
                status = rng.choice(BOUNCE_STATUSES)
                reason = 'host [127.0.0.1] said: 550 %s unknown or illegal user: %s' % (status, email)
            else:
                status, reason = None, rng.choice(INVALID_REASONS)
            yield (user_id, list_name, email, address_key(email), status, reason, created)

    def _transaction(self):
        db = self._db

        class _Tx:
            def __enter__(self):
                db.execute('BEGIN')

            def __exit__(self, exc_type, exc, tb):
                db.execute('ROLLBACK' if exc_type else 'COMMIT')
        return _Tx()

    # ---- queries --------------------------------------------------------------------------------------
    def authenticate(self, api_user, api_key):
        """The user id for username/password, or for api_user=apikey and a key; None otherwise."""
        if not api_user or not api_key:
            return None
        with self.lock:
            if api_user == 'apikey':
                row = self._db.execute(
                    'SELECT u.id, u.kind FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.api_key = ?',
                    (api_key,)).fetchone()
            else:
                row = self._db.execute('SELECT id, kind, password FROM users WHERE username_lc = ?',
                                       (api_user.lower(),)).fetchone()
                if row is not None and (row[2] is None or row[2] != api_key):
                    row = None
        return row[0] if row else None

    def descendant(self, ancestor_id, username, kind):
        """The id of user `username` of `kind` registered under `ancestor_id` (directly or through a customer)."""
        if not username:
            return None
        with self.lock:
            row = self._db.execute(
                'SELECT u.id, u.kind, u.parent_id, p.parent_id FROM users u LEFT JOIN users p ON p.id = u.parent_id '
                'WHERE u.username_lc = ?', (username.lower(),)).fetchone()
        if row is None or row[1] != kind:
            return None
        if kind == 'customer' and row[2] == ancestor_id:
            return row[0]
        if kind == 'subuser' and ancestor_id in (row[2], row[3]):
            return row[0]
        return None

    def select(self, user_id, list_name, query, with_count=False):
        """Records of one list as dicts, oldest first, narrowed by a Query."""
        where, params = self._where(user_id, list_name, query)
        sql = 'SELECT email, status, reason, created FROM records WHERE %s ORDER BY id' % where
        paged = query.limit is not None or query.offset
        unfiltered = query.email is None and query.since is None and query.until is None
        with self.lock:
            if paged and unfiltered:
                # SQLite's OFFSET walks every skipped row; the list's ids, kept in order, find a deep page of a
                # million-record list as fast as the first one.
                ids = self._list_ids(user_id, list_name)
                end = len(ids) if query.limit is None else (query.offset or 0) + query.limit
                page = ids[query.offset or 0:end].tolist()
                rows = self._db.execute('SELECT email, status, reason, created FROM records WHERE id IN (%s) '
                                        'ORDER BY id' % ','.join('?' * len(page)), page).fetchall() if page else []
            else:
                if paged:
                    sql += ' LIMIT ? OFFSET ?'
                    params += [query.limit if query.limit is not None else -1, query.offset or 0]
                rows = self._db.execute(sql, params).fetchall()
        return [{'email': r[0], 'status': r[1], 'reason': r[2], 'created': r[3]} for r in rows]

    def _list_ids(self, user_id, list_name):
        """The ids of one list in order, cached until the list changes (call with the lock held)."""
        key = (user_id, list_name)
        if key not in self._ids:
            self._ids[key] = array.array('q', (row[0] for row in self._db.execute(
                'SELECT id FROM records WHERE user_id = ? AND list = ? ORDER BY id', key)))
        return self._ids[key]

    def count(self, user_id, list_name, query):
        where, params = self._where(user_id, list_name, query)
        with self.lock:
            return self._db.execute('SELECT COUNT(*) FROM records WHERE %s' % where, params).fetchone()[0]

    @staticmethod
    def _where(user_id, list_name, query):
        clauses, params = ['user_id = ?', 'list = ?'], [user_id, list_name]
        if query.email is not None:
            clauses.append('email_lc = ?')
            params.append(address_key(query.email))
        if query.since is not None:
            clauses.append('created >= ?')
            params.append(query.since.strftime('%Y-%m-%d 00:00:00'))
        if query.until is not None:
            clauses.append('created <= ?')
            params.append(query.until.strftime('%Y-%m-%d 23:59:59'))
        return ' AND '.join(clauses), params

    def delete(self, user_id, list_name, email=None):
        """Delete every record of the list that matches `email` (all of them without one); the number deleted."""
        sql, params = 'DELETE FROM records WHERE user_id = ? AND list = ?', [user_id, list_name]
        if email is not None:
            sql += ' AND email_lc = ?'
            params.append(address_key(email))
        with self.lock:
            self._ids.pop((user_id, list_name), None)
            return self._db.execute(sql, params).rowcount

    def total_records(self):
        with self.lock:
            return self._db.execute('SELECT COUNT(*) FROM records').fetchone()[0]
