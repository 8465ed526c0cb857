# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An address's whole story on Web API v3: every suppression list and unsubscribe group that holds it, for one
address or thousands, in the fewest requests: per list, its single-address GETs or the list read whole, whichever
is fewer, decided by counting as the list is read."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_list
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.groups import UnsubscribeGroups
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_base import PAGE_SIZE
from ansible_collections.mailops.sendgrid.plugins.module_utils.selection import Filters, address_key

# The lists an address can be on, by the names the result uses, with the catalogue's list for the account itself
# and for a user (on v3 a user's lists are the account's endpoints, sent on behalf of the user).
LISTS = (('bounces', 'subuser_bounces', 'subuser_bounces'), ('blocks', 'blocks', 'blocks'),
         ('spam_reports', 'spam_reports', 'spam_reports'),
         ('invalid_emails', 'invalid_emails', 'customer_invalid_emails'),
         ('unsubscribes', 'unsubscribes', 'unsubscribes'))
PER_ADDRESS, WHOLE_LIST = 'per_address', 'whole_list'


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


def _each_address(suppression_list, addresses, pool):
    found = {}
    for email, records in zip(addresses, pool.map(suppression_list.records_of, addresses)):
        if records:
            found[address_key(email)] = records[0]
    return found


def _groups_per_address(groups, addresses, pool):
    """{key: [{id, name}]}, one `GET asm/suppressions/{email}` an address."""
    return {address_key(email): held for email, held in zip(addresses, pool.map(groups.of_address, addresses))}


def _groups_whole(groups):
    """{key: [{id, name}]} from every group suppression of the account, read in one request."""
    found = {}
    for row in groups.suppressions():
        held = found.setdefault(address_key(row['email']), [])
        if all(group['id'] != row['group_id'] for group in held):
            held.append({'id': row['group_id'], 'name': row.get('group_name')})
    return found


def address_info(client, emails, user=None):
    """(one entry per asked address, in the order asked; how each list and the groups were read)."""
    if client.api_version != 'v3':
        raise SendGridError('the suppression story of an address needs api_version v3: Web API v2 has neither the '
                            'lists nor the groups to ask')
    asked = asked_addresses(emails)
    unique = list({address_key(email): email for email in asked}.values())
    keys = {address_key(email) for email in unique}
    found, read = {}, {}
    with ThreadPoolExecutor(max_workers=max(1, min(client.concurrency, len(unique)))) as pool:
        for name, own, of_user in LISTS:
            suppression_list = open_list(client, of_user if user else own, user, None)
            # One address costs one request a list: never more than reading any list whole.
            whole = _whole(suppression_list, keys, len(unique)) if len(unique) > 1 else None
            read[name] = WHOLE_LIST if whole is not None else PER_ADDRESS
            found[name] = whole if whole is not None else _each_address(suppression_list, unique, pool)
        scope = UnsubscribeGroups(client, user)
        groups = _groups_per_address(scope, unique, pool) if len(unique) == 1 else _groups_whole(scope)
        read['groups'] = PER_ADDRESS if len(unique) == 1 else WHOLE_LIST
    addresses = []
    for email in asked:
        key = address_key(email)
        records = {name: found[name][key] for name, dummy, dummy in LISTS if key in found[name]}
        held = groups.get(key, [])
        addresses.append({'email': email, 'user': user, 'suppressed': bool(records or held),
                          'lists': list(records), 'records': records, 'groups': held})
    return addresses, read
