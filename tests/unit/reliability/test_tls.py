"""HTTPS against the emulator's self-signed certificate: refused by default, accepted when told so."""

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from module_helpers import run_module
from emulator.process import Emulator

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.lists_v2 import AccountInvalidEmails

pytestmark = pytest.mark.compat


@pytest.fixture(scope='module')
def tls_emulator():
    with Emulator('--tls') as emu:
        assert emu.url.startswith('https://') and emu.ca_path
        yield emu


def test_certificate_is_verified_by_default(tls_emulator):
    with pytest.raises(SendGridError) as info:
        AccountInvalidEmails(ClientV2(api_key='SG.demo-key', api_url=tls_emulator.url, max_retries=0)).count()
    message = str(info.value)
    assert 'TLS certificate verification failed for %s' % tls_emulator.url in message
    assert 'certificate verify failed' in message and 'validate_certs' in message and 'ca_path' in message
    assert info.value.unreachable


def test_validate_certs_false_and_ca_path_are_accepted(tls_emulator):
    unverified = ClientV2(api_key='SG.demo-key', api_url=tls_emulator.url, validate_certs=False)
    trusted = ClientV2(api_key='SG.demo-key', api_url=tls_emulator.url, ca_path=tls_emulator.ca_path)
    assert AccountInvalidEmails(unverified).count() == AccountInvalidEmails(trusted).count() == 5


def test_module_over_tls(tls_emulator, tmp_path):
    base = {'api_key': 'SG.demo-key', 'api_url': tls_emulator.url, 'email': 'brandon', 'max_retries': 0}
    rc, refused = run_module('sendgrid_invalid_email', base, tmp_path, check_mode=True)
    assert rc == 1 and 'TLS certificate verification failed' in refused['msg']
    rc, unverified = run_module('sendgrid_invalid_email', dict(base, validate_certs=False), tmp_path,
                                check_mode=True)
    assert rc == 0 and unverified['deleted'] == ['brandon']
    rc, trusted = run_module('sendgrid_invalid_email', dict(base, ca_path=tls_emulator.ca_path), tmp_path,
                             check_mode=True)
    assert rc == 0 and trusted['deleted'] == ['brandon']


def test_lookup_over_tls(tls_emulator):
    lookup = lookup_loader.get('mailops.sendgrid.suppressions')
    options = {'api_key': 'SG.demo-key', 'api_url': tls_emulator.url, 'max_retries': 0}
    with pytest.raises(AnsibleLookupError, match='TLS certificate verification failed'):
        lookup.run(['invalid_emails'], variables={}, **options)
    assert len(lookup.run(['invalid_emails'], variables={}, ca_path=tls_emulator.ca_path, **options)) == 5
    assert len(lookup.run(['invalid_emails'], variables={}, validate_certs=False, **options)) == 5
