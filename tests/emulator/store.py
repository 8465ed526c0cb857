"""SQLite storage of the emulator: accounts, their customers and subusers, and suppression records."""

import array
import datetime
import json
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
    account_id TEXT UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('account', 'customer', 'subuser')),
    parent_id INTEGER REFERENCES users(id),
    email TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    region TEXT NOT NULL DEFAULT 'global' CHECK (region IN ('global', 'eu'))
);
CREATE TABLE IF NOT EXISTS api_keys (
    api_key TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    scopes TEXT,
    answers_scopes INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    list TEXT NOT NULL CHECK (list IN ('invalid_emails', 'bounces', 'blocks', 'spam_reports', 'unsubscribes')),
    email TEXT NOT NULL,
    email_lc TEXT NOT NULL,
    status TEXT,
    reason TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    ip TEXT
);
CREATE TABLE IF NOT EXISTS groups (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    is_default INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS group_suppressions (
    group_id INTEGER NOT NULL REFERENCES groups(id),
    email TEXT NOT NULL,
    email_lc TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (group_id, email_lc)
);
CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    settings TEXT NOT NULL,
    private_key TEXT,
    created_date TEXT NOT NULL,
    updated_date TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mail_settings (
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
);
CREATE INDEX IF NOT EXISTS records_by_list ON records (user_id, list, id);
CREATE INDEX IF NOT EXISTS records_by_email ON records (user_id, list, email_lc);
CREATE INDEX IF NOT EXISTS records_by_created ON records (user_id, list, created);
"""

LIST_NAMES = ('invalid_emails', 'bounces', 'blocks', 'spam_reports', 'unsubscribes')
# The lists --generate filled before v3: generated first and in the same order, so a seed gives the same records.
V2_GENERATED = {'account': ('invalid_emails',), 'customer': ('invalid_emails', 'bounces'), 'subuser': ('bounces',)}
BLOCK_REASONS = ('error dialing remote address: dial tcp: no route to host',
                 'unable to resolve MX record: servfail', '421 4.7.0 try again later')
CHILD_KIND = {'account': 'customer', 'customer': 'subuser'}
CHILDREN_KEY = {'account': 'customers', 'customer': 'subusers'}

INVALID_REASONS = ('Known bad domain', 'Invalid address', 'Bad Syntax',
                   'Mail domain mentioned in email address is unknown')
BOUNCE_STATUSES = ('5.1.1', '5.0.0', '5.2.2', '4.4.7', '5.7.1')


def like_prefix(prefix):
    """A LIKE pattern for SendGrid's `email` filter: a prefix, where `%` is a wildcard and `_` is a letter."""
    escaped = address_key(prefix).replace('\\', '\\\\').replace('_', '\\_')
    return escaped + '%'


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
        # The bounce purge settings by user id, read on every read of a bounce list, so kept beside the table.
        self._bounce_purge = {row[0]: json.loads(row[1]) for row in self._db.execute(
            "SELECT user_id, value FROM mail_settings WHERE name = 'bounce_purge'")}

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
        account_id = spec.get('account_id')
        cur = self._db.execute(
            'INSERT INTO users (username, username_lc, password, account_id, kind, parent_id, email, disabled, '
            'region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            (username, username.lower(), spec.get('password'), None if account_id is None else str(account_id),
             kind, parent_id, spec.get('email') or (username if '@' in username else '%s@example.com' % username),
             int(bool(spec.get('disabled'))), spec.get('region') or 'global'))
        user_id = cur.lastrowid
        for key in spec.get('api_keys') or []:
            self._add_key(key, user_id)
        for list_name in LIST_NAMES:
            rows = [(user_id, list_name, r['email'], address_key(r['email']), r.get('status'),
                     r.get('reason', ''), str(r.get('created') or now_timestamp()), r.get('ip'))
                    for r in spec.get(list_name) or []]
            self._insert_records(rows)
        for group in spec.get('groups') or []:
            self._db.execute('INSERT INTO groups (id, user_id, name, description, is_default) VALUES (?, ?, ?, ?, ?)',
                             (group['id'], user_id, group['name'], group.get('description', ''),
                              int(bool(group.get('is_default')))))
            for member in group.get('suppressions') or []:
                if isinstance(member, dict):
                    self._add_group_suppression(group['id'], member['email'], str(member.get('created') or ''))
                else:
                    self._add_group_suppression(group['id'], member)
        child_kind = CHILD_KIND.get(kind)
        for child in spec.get(CHILDREN_KEY.get(kind, ''), []) or []:
            self._add_user(child, child_kind, user_id)

    def _add_key(self, key, user_id):
        """A bare key holds every scope; `{key, scopes, answers_scopes}` only those scopes, and with
        `answers_scopes: false` it may not read them either (GET /v3/scopes answers 403)."""
        if not isinstance(key, dict):
            key = {'key': key}
        scopes = key.get('scopes')
        self._db.execute('INSERT INTO api_keys (api_key, user_id, scopes, answers_scopes) VALUES (?, ?, ?, ?)',
                         (key['key'], user_id, None if scopes is None else json.dumps(list(scopes)),
                          int(key.get('answers_scopes', True))))

    def key_scopes(self, api_key):
        """(scopes, answers_scopes) of a key: scopes None for every scope."""
        with self.lock:
            row = self._db.execute('SELECT scopes, answers_scopes FROM api_keys WHERE api_key = ?',
                                   (api_key,)).fetchone()
        if row is None:
            return set(), False
        return (None if row[0] is None else set(json.loads(row[0]))), bool(row[1])

    def _insert_records(self, rows):
        self._db.executemany(
            'INSERT INTO records (user_id, list, email, email_lc, status, reason, created, ip) '
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?)', rows)

    def _add_group_suppression(self, group_id, email, created=None):
        self._db.execute('INSERT OR IGNORE INTO group_suppressions (group_id, email, email_lc, created) '
                         'VALUES (?, ?, ?, ?)', (group_id, email, address_key(email), created or now_timestamp()))

    def generate(self, count, seed, lists=LIST_NAMES):
        """Give every list of every user `count` synthetic records (of `lists`), reproducible for a seed and a
        day; every group of a user gets `count` suppressions too when unsubscribes are generated."""
        rng = random.Random(seed)
        today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        two_years = 730 * 86400
        with self.lock, self._transaction():
            self._ids.clear()
            users = self._db.execute('SELECT id, kind FROM users ORDER BY id').fetchall()
            for user_id, kind in users:
                for list_name in V2_GENERATED[kind]:
                    if list_name in lists:
                        self._insert_records(self._synthetic(rng, today, two_years, user_id, list_name, count))
            more = random.Random(seed + 1)
            for user_id, kind in users:
                for list_name in lists:
                    if list_name not in V2_GENERATED[kind]:
                        self._insert_records(self._synthetic(more, today, two_years, user_id, list_name, count))
            if 'unsubscribes' in lists:
                for (group_id,) in self._db.execute('SELECT id FROM groups ORDER BY id').fetchall():
                    for i in range(count):
                        self._add_group_suppression(group_id, 'member%d.%d@example.com' % (i, group_id))

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
            status, ip = None, None
            if list_name == 'bounces':
                status = rng.choice(BOUNCE_STATUSES)
                reason = 'host [127.0.0.1] said: 550 %s unknown or illegal user: %s' % (status, email)
            elif list_name == 'blocks':
                status, reason = '4.0.0', rng.choice(BLOCK_REASONS)
            elif list_name == 'spam_reports':
                reason, ip = '', '10.%d.%d.%d' % (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            elif list_name == 'unsubscribes':
                reason = ''
            else:
                reason = rng.choice(INVALID_REASONS)
            yield (user_id, list_name, email, address_key(email), status, reason, created, ip)

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
        sql = 'SELECT email, status, reason, created, ip FROM records WHERE %s ORDER BY created, id' % where
        paged = query.limit is not None or query.offset
        unfiltered = query.email is None and query.since is None and query.until is None and \
            query.email_prefix is None and query.created_from is None and query.created_to is None
        with self.lock:
            self._apply_bounce_purge(user_id, list_name)
            if paged and unfiltered:
                # SQLite's OFFSET walks every skipped row; the list's ids, kept in order, find a deep page of a
                # million-record list as fast as the first one.
                ids = self._list_ids(user_id, list_name)
                end = len(ids) if query.limit is None else (query.offset or 0) + query.limit
                page = ids[query.offset or 0:end].tolist()
                found = {row[0]: row[1:] for row in self._db.execute(
                    'SELECT id, email, status, reason, created, ip FROM records WHERE id IN (%s)'
                    % ','.join('?' * len(page)), page)} if page else {}
                rows = [found[record_id] for record_id in page]
            else:
                if paged:
                    sql += ' LIMIT ? OFFSET ?'
                    params += [query.limit if query.limit is not None else -1, query.offset or 0]
                rows = self._db.execute(sql, params).fetchall()
        return [{'email': r[0], 'status': r[1], 'reason': r[2], 'created': r[3], 'ip': r[4]} for r in rows]

    def _list_ids(self, user_id, list_name):
        """The ids of one list, oldest first, cached until the list changes (call with the lock held)."""
        key = (user_id, list_name)
        if key not in self._ids:
            self._ids[key] = array.array('q', (row[0] for row in self._db.execute(
                'SELECT id FROM records WHERE user_id = ? AND list = ? ORDER BY created, id', key)))
        return self._ids[key]

    def count(self, user_id, list_name, query):
        where, params = self._where(user_id, list_name, query)
        with self.lock:
            self._apply_bounce_purge(user_id, list_name)
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
        if query.created_from is not None:
            clauses.append('created >= ?')
            params.append(query.created_from)
        if query.created_to is not None:
            clauses.append('created <= ?')
            params.append(query.created_to)
        if query.email_prefix is not None:
            clauses.append("email_lc LIKE ? ESCAPE '\\'")
            params.append(like_prefix(query.email_prefix))
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

    def delete_emails(self, user_id, list_name, emails):
        """Delete every record of each address (as SendGrid deletes by address); the number deleted."""
        keys = sorted({address_key(e) for e in emails})
        with self.lock:
            self._ids.pop((user_id, list_name), None)
            deleted = 0
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                deleted += self._db.execute('DELETE FROM records WHERE user_id = ? AND list = ? AND email_lc IN (%s)'
                                            % ','.join('?' * len(chunk)), [user_id, list_name] + chunk).rowcount
            return deleted

    def _listed_keys(self, user_id, list_name, keys):
        """Which of `keys` the list holds, asked 500 at a time: reading the whole list for each add made a large
        import quadratic."""
        keys, listed = sorted(keys), set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            listed.update(row[0] for row in self._db.execute(
                'SELECT email_lc FROM records WHERE user_id = ? AND list = ? AND email_lc IN (%s)'
                % ','.join('?' * len(chunk)), [user_id, list_name] + chunk))
        return listed

    def add_records(self, user_id, list_name, emails):
        """Add the addresses not yet listed (global unsubscribes); the addresses as given."""
        with self.lock, self._transaction():
            self._ids.pop((user_id, list_name), None)
            listed = self._listed_keys(user_id, list_name, {address_key(email) for email in emails})
            rows = []
            for email in emails:
                if address_key(email) not in listed:
                    listed.add(address_key(email))
                    rows.append((user_id, list_name, email, address_key(email), None, '', now_timestamp(), None))
            self._insert_records(rows)
        return list(emails)

    def insert_records(self, user_id, list_name, records):
        """Add `records` (dicts with email and, as the list has them, status, reason, ip) as they are, created now:
        what a delivery event leaves in a list."""
        with self.lock, self._transaction():
            self._ids.pop((user_id, list_name), None)
            self._insert_records([(user_id, list_name, r['email'], address_key(r['email']), r.get('status'),
                                   r.get('reason', ''), now_timestamp(), r.get('ip')) for r in records])

    # ---- mail settings: the bounce purge -------------------------------------------------------------------
    def mail_setting(self, user_id, name, default):
        with self.lock:
            row = self._db.execute('SELECT value FROM mail_settings WHERE user_id = ? AND name = ?',
                                   (user_id, name)).fetchone()
        return json.loads(row[0]) if row else dict(default)

    def save_mail_setting(self, user_id, name, value):
        with self.lock:
            self._db.execute('INSERT OR REPLACE INTO mail_settings (user_id, name, value) VALUES (?, ?, ?)',
                             (user_id, name, json.dumps(value)))
            if name == 'bounce_purge':
                self._bounce_purge[user_id] = dict(value)

    def _apply_bounce_purge(self, user_id, list_name):
        """SendGrid's scheduled bounce purge, done when the user's bounces are read (lock held): with the setting
        enabled, bounces older than `hard_bounces` days whose status is 5.x and older than `soft_bounces` days
        whose status is 4.x are deleted (records carry no hard/soft flag: the status class stands for it)."""
        setting = self._bounce_purge.get(user_id)
        if list_name != 'bounces' or not setting or not setting.get('enabled'):
            return
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        deleted = 0
        for status_class, days in (('5', setting.get('hard_bounces')), ('4', setting.get('soft_bounces'))):
            if days:
                cutoff = (now - datetime.timedelta(days=days)).strftime('%Y-%m-%d %H:%M:%S')
                deleted += self._db.execute(
                    "DELETE FROM records WHERE user_id = ? AND list = 'bounces' AND status LIKE ? AND created < ?",
                    (user_id, status_class + '.%', cutoff)).rowcount
        if deleted:
            self._ids.pop((user_id, 'bounces'), None)

    def bounces_between(self, user_id, first_day, last_day):
        """(email, status, reason, created) of the user's bounces created from `first_day` to `last_day`
        (YYYY-MM-DD, inclusive; None: open), after the scheduled purge."""
        clauses, params = ["user_id = ?", "list = 'bounces'"], [user_id]
        if first_day:
            clauses.append('created >= ?')
            params.append(first_day + ' 00:00:00')
        if last_day:
            clauses.append('created <= ?')
            params.append(last_day + ' 23:59:59')
        with self.lock:
            self._apply_bounce_purge(user_id, 'bounces')
            return self._db.execute('SELECT email, status, reason, created FROM records WHERE %s'
                                    % ' AND '.join(clauses), params).fetchall()

    # ---- event webhooks ----------------------------------------------------------------------------------
    def webhooks(self, user_id):
        """The event webhooks of `user_id`, oldest first: dicts of id, settings (a dict), private_key (PEM or
        None when unsigned), created_date, updated_date."""
        with self.lock:
            rows = self._db.execute('SELECT id, settings, private_key, created_date, updated_date FROM webhooks '
                                    'WHERE user_id = ? ORDER BY created_date, rowid', (user_id,)).fetchall()
        return [{'id': r[0], 'settings': json.loads(r[1]), 'private_key': r[2], 'created_date': r[3],
                 'updated_date': r[4]} for r in rows]

    def save_webhook(self, user_id, webhook):
        """Insert or replace one webhook of `user_id` (the shape `webhooks` returns)."""
        with self.lock:
            self._db.execute('INSERT OR REPLACE INTO webhooks (id, user_id, settings, private_key, created_date, '
                             'updated_date) VALUES (?, ?, ?, ?, ?, ?)',
                             (webhook['id'], user_id, json.dumps(webhook['settings']), webhook['private_key'],
                              webhook['created_date'], webhook['updated_date']))

    def delete_webhook(self, user_id, webhook_id):
        with self.lock:
            return self._db.execute('DELETE FROM webhooks WHERE id = ? AND user_id = ?',
                                    (webhook_id, user_id)).rowcount

    # ---- users, for v3 ------------------------------------------------------------------------------------
    def authenticate_key(self, api_key):
        """The user id that owns an API key, or None."""
        if not api_key:
            return None
        with self.lock:
            row = self._db.execute('SELECT user_id FROM api_keys WHERE api_key = ?', (api_key,)).fetchone()
        return row[0] if row else None

    def under(self, ancestor_id, username=None, account_id=None):
        """The id of the customer or subuser named by username (or a customer by account id) registered under
        `ancestor_id` at any depth; None for anyone else."""
        with self.lock:
            if account_id is not None:
                row = self._db.execute("SELECT id, parent_id FROM users WHERE account_id = ? AND kind = 'customer'",
                                       (account_id,)).fetchone()
            else:
                row = self._db.execute('SELECT id, parent_id FROM users WHERE username_lc = ? AND kind != ?',
                                       ((username or '').lower(), 'account')).fetchone()
            if row is None:
                return None
            user_id, parent = row
            while parent is not None:
                if parent == ancestor_id:
                    return user_id
                parent = self._db.execute('SELECT parent_id FROM users WHERE id = ?', (parent,)).fetchone()[0]
        return None

    def subusers(self, ancestor_id, username_prefix=None, limit=500, offset=0, region=None, include_region=False):
        """The customers and subusers under `ancestor_id` at any depth, oldest first: (id, username, email,
        disabled, and with `include_region` region); narrowed to usernames starting with `username_prefix` (ignoring
        case) and to `region` (global or eu) when given."""
        with self.lock:
            rows = self._db.execute(
                'WITH RECURSIVE below(id) AS (SELECT id FROM users WHERE parent_id = ? '
                'UNION ALL SELECT u.id FROM users u JOIN below b ON u.parent_id = b.id) '
                'SELECT u.id, u.username, u.email, u.disabled, u.region FROM users u JOIN below b ON u.id = b.id '
                "WHERE u.username_lc LIKE ? ESCAPE '\\' AND (? IS NULL OR u.region = ?) ORDER BY u.id LIMIT ? OFFSET ?",
                (ancestor_id, like_prefix(username_prefix or '').lower(), region, region, limit, offset)).fetchall()
        return [dict({'id': row[0], 'username': row[1], 'email': row[2], 'disabled': bool(row[3])},
                     **({'region': row[4]} if include_region else {})) for row in rows]

    # ---- unsubscribe groups -------------------------------------------------------------------------------
    def groups(self, user_id):
        with self.lock:
            rows = self._db.execute(
                'SELECT g.id, g.name, g.description, g.is_default, COUNT(s.email) FROM groups g '
                'LEFT JOIN group_suppressions s ON s.group_id = g.id WHERE g.user_id = ? GROUP BY g.id ORDER BY g.id',
                (user_id,)).fetchall()
        return [{'id': r[0], 'name': r[1], 'description': r[2], 'is_default': bool(r[3]), 'unsubscribes': r[4]}
                for r in rows]

    def group(self, user_id, group_id):
        return next((g for g in self.groups(user_id) if str(g['id']) == str(group_id)), None)

    def create_group(self, user_id, name, description, is_default):
        with self.lock:
            group_id = self._db.execute(
                'INSERT INTO groups (id, user_id, name, description, is_default) '
                'VALUES ((SELECT COALESCE(MAX(id), 100) + 1 FROM groups), ?, ?, ?, ?)',
                (user_id, name, description, int(bool(is_default)))).lastrowid
        return self.group(user_id, group_id)

    def update_group(self, user_id, group_id, changes):
        """Set `changes` (name, description, is_default) on one group of `user_id`."""
        with self.lock:
            for column in ('name', 'description', 'is_default'):
                if column in changes:
                    self._db.execute('UPDATE groups SET %s = ? WHERE id = ? AND user_id = ?' % column,
                                     (changes[column], group_id, user_id))
        return self.group(user_id, group_id)

    def delete_group(self, user_id, group_id):
        with self.lock, self._transaction():
            self._db.execute('DELETE FROM group_suppressions WHERE group_id IN '
                             '(SELECT id FROM groups WHERE id = ? AND user_id = ?)', (group_id, user_id))
            return self._db.execute('DELETE FROM groups WHERE id = ? AND user_id = ?', (group_id, user_id)).rowcount

    def groups_of_address(self, user_id, email):
        """The ids of the groups of `user_id` that hold `email`."""
        with self.lock:
            return {row[0] for row in self._db.execute(
                'SELECT g.id FROM group_suppressions s JOIN groups g ON g.id = s.group_id '
                'WHERE g.user_id = ? AND s.email_lc = ?', (user_id, address_key(email)))}

    def group_suppressions(self, group_id):
        """[(email, created)] of one group, oldest first."""
        with self.lock:
            return self._db.execute('SELECT email, created FROM group_suppressions WHERE group_id = ? '
                                    'ORDER BY created, rowid', (group_id,)).fetchall()

    def all_group_suppressions(self, user_id):
        with self.lock:
            return self._db.execute(
                'SELECT s.email, g.id, g.name, s.created FROM group_suppressions s JOIN groups g ON g.id = s.group_id '
                'WHERE g.user_id = ? ORDER BY g.id, s.created, s.rowid', (user_id,)).fetchall()

    def add_group_suppressions(self, group_id, emails):
        with self.lock, self._transaction():
            for email in emails:
                self._add_group_suppression(group_id, email)

    def delete_group_suppression(self, group_id, email):
        with self.lock:
            return self._db.execute('DELETE FROM group_suppressions WHERE group_id = ? AND email_lc = ?',
                                    (group_id, address_key(email))).rowcount

    def first_account_key(self):
        """(username, API key) of the first account that has a key, or None: what `make emulator` prints."""
        with self.lock:
            return self._db.execute(
                "SELECT u.username, k.api_key FROM api_keys k JOIN users u ON u.id = k.user_id "
                "WHERE u.kind = 'account' ORDER BY u.id, k.rowid LIMIT 1").fetchone()

    def total_records(self):
        with self.lock:
            return self._db.execute('SELECT COUNT(*) FROM records').fetchone()[0]
