"""client.py against a real emulator, and against small servers that answer badly on purpose."""

import logging

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError

DEMO_KEY = 'SG.demo-key'


def client_for(url, **kwargs):
    kwargs.setdefault('backoff_factor', 0.01)
    return ClientV2(api_key=kwargs.pop('api_key', DEMO_KEY), api_url=url, **kwargs)


def test_listing_with_api_key_only(seeds_emulator):
    client = ClientV2(api_key='your_sendgrid_api_key', api_url=seeds_emulator.url)
    assert client.api_user == 'apikey'
    assert [r['email'] for r in client.call('api/invalidemails.get', {})] == ['test@example.com', 'brandon']


def test_credentials_travel_only_in_the_form_body(seeds_emulator):
    seeds_emulator.reset_stats()
    client = ClientV2(api_user='youremail@domain.com', api_key='secureSecret', api_url=seeds_emulator.url)
    client.call('api/invalidemails.count', {})
    with pytest.raises(SendGridError):
        ClientV2(api_key='SG.bad-key-value', api_url=seeds_emulator.url).call('api/invalidemails.count', {})
    urls = [r['url'] for r in seeds_emulator.requests()]
    assert urls == ['/api/invalidemails.count.json', '/api/invalidemails.count.json']


@pytest.mark.parametrize('status,body,message', [
    (401, b'{"error": {"code": 401, "message": "Permission denied, wrong credentials"}}',
     'Permission denied, wrong credentials (HTTP 401'),
    (200, b'{"error": {"code": 401, "message": "Permission denied, wrong credentials"}}',
     'Permission denied, wrong credentials (HTTP 200'),
    (400, b'{"message": "error", "errors": ["days must be an integer", "second problem"]}',
     'days must be an integer; second problem (HTTP 400'),
    (200, b'{"message": "Email does not exist"}', 'Email does not exist (HTTP 200'),
    (200, b'<html><body>Bad gateway</body></html>', 'the answer is not JSON'),
    (200, b'[{"email": "a@b.c", "reas', 'the answer was truncated or is malformed JSON'),
    (200, b'', 'the answer is not JSON (application/json): empty body'),
    (418, b'{"unexpected": true}', 'HTTP 418 with an unexpected answer'),
    (418, b'"just a string"', 'HTTP 418 with an unexpected answer'),
])
def test_errors_are_read_from_the_body(canned, status, body, message):
    server = canned(status=status, body=body)
    with pytest.raises(SendGridError) as info:
        client_for(server.url).call('api/invalidemails.get', {})
    assert message in str(info.value)
    assert info.value.status == status
    assert server.hits == 1, '4xx and error bodies are never retried'


def test_html_error_page_is_named(canned):
    server = canned(status=200, body=b'<html>oops</html>', headers={'Content-Type': 'text/html'})
    with pytest.raises(SendGridError, match=r'the answer is not JSON \(text/html\): <html>oops</html>'):
        client_for(server.url).call('api/invalidemails.get', {})


@pytest.mark.parametrize('status', [429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried_then_reported(canned, status):
    server = canned(status=status, body=b'{"message": "error", "errors": ["try later"]}',
                    headers={'Content-Type': 'application/json', 'Retry-After': '0'})
    with pytest.raises(SendGridError, match='try later') as info:
        client_for(server.url, max_retries=2).call('api/invalidemails.get', {})
    assert server.hits == 3
    assert info.value.status == status


def test_max_retries_zero_means_one_attempt(canned):
    server = canned(status=503, body=b'{}')
    with pytest.raises(SendGridError, match='still HTTP 503 after max_retries=0 retries'):
        client_for(server.url, max_retries=0).call('api/invalidemails.get', {})
    assert server.hits == 1


def test_silent_server_fails_after_timeout_without_retrying(canned):
    server = canned(hang=True)
    with pytest.raises(SendGridError, match=r'no answer from http://127.0.0.1:\d+ within timeout=1 seconds'):
        client_for(server.url, timeout=1, max_retries=3).call('api/invalidemails.get', {})
    assert server.hits == 1


def test_refused_connection(unused_port):
    with pytest.raises(SendGridError, match='connection refused by http://127.0.0.1'):
        client_for('http://127.0.0.1:%d' % unused_port, max_retries=1).call('api/invalidemails.get', {})


def test_dns_failure():
    with pytest.raises(SendGridError, match='cannot resolve the host name of api_url http://no-such-host.invalid'):
        client_for('http://no-such-host.invalid', max_retries=0).call('api/invalidemails.get', {})


def test_tls_failure_is_named(seeds_emulator):
    https_url = seeds_emulator.url.replace('http://', 'https://')
    with pytest.raises(SendGridError, match='TLS certificate verification failed for https://127.0.0.1:.*'
                                            'validate_certs'):
        client_for(https_url, max_retries=0).call('api/invalidemails.get', {})


@pytest.mark.parametrize('url', ['api.sendgrid.com', 'ftp://api.sendgrid.com', '', None, 'https://'])
def test_api_url_needs_a_scheme(url):
    with pytest.raises(SendGridError, match='api_url must be an http:// or https:// URL'):
        ClientV2(api_key='k', api_url=url)


def test_api_key_is_required():
    with pytest.raises(SendGridError, match='api_key must not be empty'):
        ClientV2(api_user='someone', api_key=None)


def test_secret_echoed_by_the_server_is_scrubbed(canned, caplog):
    secret = 'SG.super-secret-value'
    server = canned(status=400, body=b'{"message": "error", "errors": ["bad key SG.super-secret-value"]}')
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SendGridError) as info:
        client_for(server.url, api_key=secret).call('api/invalidemails.get', {})
    assert secret not in str(info.value) and secret not in repr(info.value.to_dict())
    assert 'bad key ********' in str(info.value)
    assert secret not in caplog.text


def test_options_adapter_reads_one_getter(seeds_emulator):
    options = {'api_key': 'secureSecret', 'api_user': 'youremail@domain.com', 'api_url': seeds_emulator.url + '/',
               'timeout': 5, 'validate_certs': True, 'max_retries': 0, 'concurrency': 3}
    client = ClientV2(**Options.read(options.get).connection)
    assert (client.api_url, client.timeout, client.max_retries, client.concurrency) == \
        (seeds_emulator.url, 5, 0, 3)
    assert client.call('api/invalidemails.count', {}) == {'count': 2}
