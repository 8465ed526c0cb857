# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An address's whole story on Web API v3: every suppression list and unsubscribe group that holds it, for one
address or thousands, of one user or of a whole fleet, in the fewest requests: per list and user, its
single-address GETs or the list read whole, whichever is fewer, decided by counting as the list is read."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_list, regional_clients
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError, require_v3
from ansible_collections.mailops.sendgrid.plugins.module_utils.groups import UnsubscribeGroups
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import PAGE_SIZE
from ansible_collections.mailops.sendgrid.plugins.module_utils.parallel import in_order
from ansible_collections.mailops.sendgrid.plugins.module_utils.list_reading import Filters, address_key

# The lists an address can be on: the catalogue's list of the account itself and of a user (on v3 a user's lists
# are the account's endpoints, sent on behalf of the user), and the name 1.x of this module gave it.
LISTS = (('subuser_bounces', 'subuser_bounces', 'bounces'), ('blocks', 'blocks', 'blocks'),
         ('spam_reports', 'spam_reports', 'spam_reports'),
         ('invalid_emails', 'customer_invalid_emails', 'invalid_emails'),
         ('unsubscribes', 'unsubscribes', 'unsubscribes'))
LEGACY_NAMES = {name: legacy for own, of_user, legacy in LISTS for name in (own, of_user)}
PER_ADDRESS, WHOLE_LIST = 'per_address', 'whole_list'
# The answer to an on-behalf-of request for a user the key cannot act for: that user goes unanswered, the task
# goes on. A key refused outright (401) refuses every user, so that stops the task.
CANNOT_ACT_FOR = (403, 404)


def asked_addresses(emails):
    """The addresses as asked, each checked to be a non-blank string."""
    if not isinstance(emails, (list, tuple)) or not emails:
        raise SendGridError('emails must be a non-empty list of addresses')
    asked = []
    for index, email in enumerate(emails):
        if not isinstance(email, str) or not email.strip():
            raise SendGridError('emails[%d] must be a non-empty string, got %r' % (index, email))
        asked.append(email.strip())
    return asked


def _whole(suppression_list, keys, budget):
    """{key: record} of the wanted addresses from the list read whole; None once it takes more than `budget` pages,
    when asking per address costs less."""
    found = {}
    for index, record in enumerate(suppression_list.list(Filters(times=True))):
        if index >= budget * PAGE_SIZE:
            return None
        key = address_key(record['email'])
        if key in keys:
            found.setdefault(key, record)
    return found


def _each_address(suppression_list, addresses, mapper):
    found = {}
    for email, records in zip(addresses, mapper(suppression_list.records_of, addresses)):
        if records:
            found[address_key(email)] = records[0]
    return found


def _groups_whole(groups):
    """{key: [{id, name}]} from every group suppression of the user, read in one request."""
    found = {}
    for row in groups.suppressions():
        held = found.setdefault(address_key(row['email']), [])
        if all(group['id'] != row['group_id'] for group in held):
            held.append({'id': row['group_id'], 'name': row.get('group_name')})
    return found


def user_story(client, unique, user=None, mapper=map):
    """What one user (None: the account) holds of the `unique` addresses: ({list name: {key: record}},
    {key: [groups]}, {list name or 'groups': how it was read}). `mapper` runs the per-address requests (a pool's
    map to run them side by side)."""
    keys = {address_key(email) for email in unique}
    found, read = {}, {}
    for own, of_user, dummy in LISTS:
        name = of_user if user else own
        suppression_list = open_list(client, name, user, None)
        # One address costs one request a list: never more than reading any list whole.
        whole = _whole(suppression_list, keys, len(unique)) if len(unique) > 1 else None
        read[name] = WHOLE_LIST if whole is not None else PER_ADDRESS
        found[name] = whole if whole is not None else _each_address(suppression_list, unique, mapper)
    scope = UnsubscribeGroups(client, user)
    if len(unique) == 1:
        groups = {address_key(email): held for email, held in zip(unique, mapper(scope.of_address, unique))}
    else:
        groups = _groups_whole(scope)
    read['groups'] = PER_ADDRESS if len(unique) == 1 else WHOLE_LIST
    return found, groups, read


def _entry(email, user, found, groups):
    key = address_key(email)
    records = {name: held[key] for name, held in found.items() if key in held}
    held_groups = groups.get(key, [])
    return {'user': user, 'suppressed': bool(records or held_groups), 'lists': list(records), 'records': records,
            'groups': held_groups}


# (feature, what v2 lacks): the whole story needs v3, refused before any request.
V2_LACKS = ('the suppression story of an address', 'groups and no bounce, block or spam report lists to ask')


def check_v3(client):
    require_v3(client.api_version, *V2_LACKS)


def _unique(asked):
    return list({address_key(email): email for email in asked}.values())


def address_info(client, emails, user=None):
    """(one entry per asked address, in the order asked; how each list and the groups were read), of one user."""
    check_v3(client)
    asked = asked_addresses(emails)
    unique = _unique(asked)
    with ThreadPoolExecutor(max_workers=max(1, min(client.concurrency, len(unique)))) as pool:
        found, groups, read = user_story(client, unique, user, pool.map)
    addresses = []
    for email in asked:
        entry = _entry(email, user, found, groups)
        held = [dict(entry)] if entry['suppressed'] else []
        addresses.append(dict(entry, email=email, users=held, complete=True))
    return addresses, read


def fleet_info(client, options, emails, chosen, concurrency, include_unsuppressed=False):
    """The story of each asked address across the `chosen` users (fleet_users), `concurrency` users at a time
    under the clients' shared pacer: (addresses, unanswered users). Each address lists the users that hold it
    (every user asked with `include_unsuppressed`); a user the key cannot act for is listed in `unanswered`
    and each address says it is incomplete."""
    check_v3(client)
    asked = asked_addresses(emails)
    unique = _unique(asked)
    client_for = regional_clients(options, client)

    def one(target):
        try:
            return target, user_story(client_for(target['region']), unique, target['user']), None
        except SendGridError as exc:
            if getattr(exc, 'status', None) not in CANNOT_ACT_FOR:
                raise
            return target, None, {'user': target['user'], 'status': exc.status, 'msg': str(exc)}

    def not_asked(target):
        return target, None, {'user': target['user'], 'status': None, 'msg': 'not asked: the run was stopped'}

    answers, unanswered = [], []
    for target, story, refusal in in_order(one, chosen, concurrency, not_asked):
        if refusal is not None:
            unanswered.append(refusal)
        else:
            answers.append((target['user'], story[0], story[1]))
    addresses = []
    for email in asked:
        entries = [_entry(email, user, found, groups) for user, found, groups in answers]
        held = [entry for entry in entries if entry['suppressed'] or include_unsuppressed]
        addresses.append({'email': email, 'suppressed': any(entry['suppressed'] for entry in entries),
                          'users': held, 'complete': not unanswered})
    return addresses, unanswered


def legacy_names(addresses, read=None):
    """The answer with the list names 1.x of this module used (bounces; invalid_emails for a user's too)."""
    def renamed(entry):
        return dict(entry, lists=[LEGACY_NAMES[name] for name in entry['lists']],
                    records={LEGACY_NAMES[name]: record for name, record in entry['records'].items()})
    converted = []
    for address in addresses:
        address = dict(address, users=[renamed(entry) for entry in address['users']])
        converted.append(renamed(address) if 'lists' in address else address)
    return converted, {LEGACY_NAMES.get(name, name): how for name, how in (read or {}).items()} or read
