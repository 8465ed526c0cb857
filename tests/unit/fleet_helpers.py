"""A fleet of subusers for the emulator, and ansible-inventory output without unsafe markers."""


KEY = 'SG.fleet-key-7c41e9'


def fleet_fixture(count, records=None):
    """An account with `count` subusers tenant-000.. (every seventh disabled, every fifth in the EU region, emails
    on two domains)."""
    subusers = []
    for index in range(count):
        subuser = {'username': 'tenant-%03d' % index, 'disabled': index % 7 == 0,
                   'email': 'ops%d@%s' % (index, ('a.example', 'b.example')[index % 2]),
                   'region': 'eu' if index % 5 == 0 else 'global'}
        if records:
            subuser.update(records(index))
        subusers.append(subuser)
    return {'accounts': [{'username': 'platform@example.com', 'api_keys': [KEY],
                          'customers': [{'username': 'fleet@example.com', 'account_id': '42', 'subusers': subusers}]},
                         {'username': 'other@example.com', 'api_keys': ['SG.other'],
                          'customers': [{'username': 'not-mine@example.com'}]}]}


def plain(value):
    """The value without the unsafe markers some ansible-core versions print for values from an inventory plugin."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
