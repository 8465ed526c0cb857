"""A server that echoes the credential back in every form (as sent, URL-encoded, JSON-escaped, deep in a long body
that an excerpt would cut): the key shows up in no output at -vvvv, no result and no report. An api_url that
carries credentials is refused before any request and never printed."""

import json
import os
import subprocess
import sys
from urllib.parse import quote, quote_plus

import pytest
import yaml
from hostile_server import HostileServer, json_reply, records
from module_helpers import run_module

# A password with characters every encoding treats differently.
SECRET = 'Zq9$Xv/w+Rk="Jp"&Lm\\SECRETxYz7Q8w3Nn4Tt5 end'
FORMS = (SECRET, quote(SECRET, safe=''), quote_plus(SECRET), json.dumps(SECRET)[1:-1])


def _leaks(text):
    """Any 10 characters in a row of any form of the secret."""
    return [form[i:i + 10] for form in FORMS for i in range(len(form) - 9) if form[i:i + 10] in text]


def _echo(request):
    """Every answer carries the key: errors quote it in each form, and a long reason puts it at the cut."""
    key = request.form.get('api_key', '')
    if request.is_delete:
        return json_reply({'message': 'error', 'errors': [
            'bad key %s' % key, 'encoded %s' % quote(key, safe=''), 'plus %s' % quote_plus(key),
            'x' * 180 + key]}, status=400)
    if request.path.endswith('.count.json'):
        return json_reply({'count': 2})
    if request.form.get('user'):
        return json_reply({'error': {'code': 403, 'message': 'no customer %s for key %s %s' % (
            request.form['user'], key, 'y' * 300)}}, status=403)
    page = records(2)
    page[0]['reason'] = 'padding ' * 30 + key
    return json_reply(page)


def test_an_echoed_key_is_masked_in_module_results(tmp_path):
    with HostileServer(_echo) as server:
        rc, result = run_module('sendgrid_invalid_email', {
            'api_user': 'someone', 'api_key': SECRET, 'api_url': server.url, 'emails': ['user0@x.test'],
            'max_retries': 0}, tmp_path)
    text = json.dumps(result)
    assert rc == 1 and 'bad key ********' in text and 'encoded ********' in text
    assert _leaks(text) == []


@pytest.mark.slow
@pytest.mark.compat
def test_an_echoed_key_is_masked_at_vvvv_and_in_reports(tmp_path):
    reports = tmp_path / 'reports'
    with HostileServer(_echo) as server:
        vault = tmp_path / 'vault.yml'
        vault.write_text(yaml.safe_dump({'secret': SECRET}))
        connection = {'api_user': 'someone', 'api_key': '{{ secret }}', 'api_url': server.url, 'max_retries': 0}
        play = [{'hosts': 'localhost', 'gather_facts': False, 'vars_files': [str(vault)], 'tasks': [
            {'name': 'Module', 'mailops.sendgrid.sendgrid_invalid_email': dict(connection, email='user0@x.test'),
             'ignore_errors': True},
            {'name': 'Module for a customer', 'mailops.sendgrid.sendgrid_invalid_email':
                dict(connection, email='a', user='c@x.test'), 'ignore_errors': True},
            {'name': 'Lookup', 'ansible.builtin.debug': {
                'msg': "{{ query('mailops.sendgrid.suppressions', 'customer_invalid_emails', user='c@x.test', "
                       "api_user='someone', api_key=secret, api_url=u, max_retries=0) }}"},
             'vars': {'u': server.url}, 'ignore_errors': True},
            {'name': 'Role', 'block': [{'name': 'Clean up', 'ansible.builtin.include_role': {
                'name': 'mailops.sendgrid.suppression_cleanup'}, 'vars': {
                'suppression_cleanup_api_user': 'someone', 'suppression_cleanup_api_key': '{{ secret }}',
                'suppression_cleanup_api_url': server.url, 'suppression_cleanup_max_retries': 0,
                'suppression_cleanup_lists': [{'list': 'invalid_emails'}], 'suppression_cleanup_select_all': True,
                'suppression_cleanup_dry_run': False, 'suppression_cleanup_report_dir': str(reports)}}],
             'rescue': [{'name': 'Note', 'ansible.builtin.debug': {'msg': 'role failed as expected'}}]},
        ]}]
        playbook = tmp_path / 'play.yml'
        playbook.write_text(yaml.safe_dump(play, sort_keys=False))
        proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-vvvv',
                               str(playbook)], capture_output=True, text=True, timeout=300, check=False,
                              env=dict(os.environ, ANSIBLE_NOCOLOR='1'))
        delete_requests = len(server.deletes)
    output = proc.stdout + proc.stderr
    (tmp_path / 'output.txt').write_text(output)
    assert proc.returncode == 0, output[-3000:]
    assert 'role failed as expected' in output and delete_requests >= 3, 'the deletes really were answered'
    assert '********' in output
    assert _leaks(output) == []
    files = list(reports.iterdir())
    assert sorted(path.suffix for path in files) == ['.csv', '.journal', '.json', '.md']
    for path in files:
        content = path.read_text()
        # The summary counts the failures; the records' errors are in the others.
        assert path.suffix == '.md' or 'bad key ********' in content
        assert _leaks(content) == []


@pytest.mark.parametrize('credentials', ['someone:%s@' % quote(SECRET, safe=''), 'only-a-user@', ':pw-only@'])
def test_an_api_url_with_credentials_is_refused_before_any_request(credentials, tmp_path):
    with HostileServer(_echo) as server:
        url = server.url.replace('://', '://' + credentials)
        rc, result = run_module('sendgrid_invalid_email', {'api_key': 'SG.k', 'api_url': url, 'email': 'a'},
                                tmp_path)
        requests_made = len(server.requests)
    assert rc == 1 and 'api_url must not contain credentials' in result['msg']
    assert requests_made == 0
    assert _leaks(json.dumps(result)) == [] and 'pw-only' not in json.dumps(result)
