"""http_core.py: redirects refused, answers capped, URLs checked, bodies read as JSON or named as what they are."""

import pytest
from hostile_server import HostileServer, huge_reply, json_reply, redirect_reply

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.http_core import HttpCore, url_secrets
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import check_api_url


def _core(server):
    return HttpCore(api_key='SG.core-key', api_url=server.url, max_retries=0)


def _get(core, server):
    return core.send('GET', server.url + '/v3/x', {'endpoint': 'GET v3/x'})


def test_a_redirect_is_never_followed():
    with HostileServer(lambda request: redirect_reply(307, 'https://elsewhere.test/steal')) as server:
        with pytest.raises(SendGridError, match='redirect .*elsewhere.test/steal, which is never followed'):
            _get(_core(server), server)
        assert len(server.requests) == 1


def test_an_answer_past_the_cap_is_refused():
    with HostileServer(lambda request: huge_reply(80, declared=True)) as server:
        with pytest.raises(SendGridError, match='larger than 64 MiB'):
            _get(_core(server), server)


def test_json_is_read_and_anything_else_named():
    with HostileServer(lambda request: json_reply(b'<html>down</html>', headers={'Content-Type': 'text/html'})) \
            as server:
        core = _core(server)
        status, headers, content, dummy = _get(core, server)
        with pytest.raises(SendGridError, match=r'unexpected answer: the answer is not JSON \(text/html\)'):
            core.parse_json(status, headers, content, {'endpoint': 'GET v3/x'})
    assert core.parse_json(200, {}, b'{"a": 1}', {}) == {'a': 1}


@pytest.mark.parametrize('url,expected', [('https://api.sendgrid.com/', 'https://api.sendgrid.com'),
                                          (' http://127.0.0.1:8025 ', 'http://127.0.0.1:8025')])
def test_api_url_is_normalised(url, expected):
    assert check_api_url(url) == expected


@pytest.mark.parametrize('url,message', [('https://me:pw@api.sendgrid.com', 'must not contain credentials'),
                                         ('api.sendgrid.com', 'must be an http:// or https:// URL')])
def test_a_bad_api_url_is_refused(url, message):
    with pytest.raises(SendGridError, match=message):
        check_api_url(url)


def test_the_password_of_an_url_in_every_spelling():
    assert url_secrets('https://me:p%40ss@host') == ['p%40ss', 'p@ss'] and url_secrets('https://host') == []
