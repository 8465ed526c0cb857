"""subusers.py: GET /v3/subusers page by page, with the paging guards of the lists."""

import pytest
from hostile_server import HostileServer, json_reply

from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v2 import ClientV2
from ansible_collections.mailops.sendgrid.plugins.module_utils.client_v3 import ClientV3
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import Subusers


def _people(request):
    offset, limit = int(request.form['offset']), int(request.form['limit'])
    names = ['tenant-%03d' % n for n in range(5)]
    return json_reply([{'id': n, 'username': name, 'email': '%s@x.test' % name, 'disabled': n == 3}
                       for n, name in enumerate(names)][offset:offset + limit])


def test_every_page_is_read():
    with HostileServer(_people) as server:
        read = list(Subusers(ClientV3(api_key='SG.k', api_url=server.url)).read('tenant-', page_size=2))
        assert [r['username'] for r in read] == ['tenant-%03d' % n for n in range(5)]
        assert [r['disabled'] for r in read] == [False, False, False, True, False]
        assert len(server.requests) == 3 and server.requests[0].form['username'] == 'tenant-'


def test_paging_that_does_not_advance_is_an_error():
    with HostileServer(lambda request: json_reply([{'username': 'same'}, {'username': 'same2'}])) as server:
        with pytest.raises(SendGridError, match='paging does not advance'):
            list(Subusers(ClientV3(api_key='SG.k', api_url=server.url)).read(page_size=2))


def test_an_answer_of_the_wrong_shape_names_the_endpoint():
    with HostileServer(lambda request: json_reply([{'name': 'x'}])) as server:
        with pytest.raises(SendGridError, match=r'subuser 0 has no username \(a string "username"\).*GET v3/subusers'):
            list(Subusers(ClientV3(api_key='SG.k', api_url=server.url)).read())


def test_v2_cannot_list_subusers():
    with pytest.raises(SendGridError, match='api_version must be v3'):
        Subusers(ClientV2(api_key='k', api_url='http://127.0.0.1:1'))
