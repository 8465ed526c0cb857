"""cleanup.py, the coordinator: the clients of each region; the whole run is tested through the module
(modules/test_sendgrid_suppression_cleanup.py), its parts in their own test files."""

from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options


def test_each_region_gets_one_client_through_its_url():
    from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client
    from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import regional_clients
    options = Options.read({'api_key': 'SG.k'}.get)
    client = open_client(options)
    client_for = regional_clients(options, client)
    assert client_for(None) is client and client_for('global') is client
    assert client_for('eu').api_url == 'https://api.eu.sendgrid.com' and client_for('eu') is client_for('eu')
    emulator = Options.read({'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9'}.get)
    assert regional_clients(emulator, client)('eu') is client
