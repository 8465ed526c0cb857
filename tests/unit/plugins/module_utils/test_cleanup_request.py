"""cleanup_request.py: a request takes only the settings it knows; a step runs over the lists in their order."""

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import Request
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import Options

OPTIONS = Options.read({'api_key': 'SG.k', 'api_url': 'http://127.0.0.1:9'}.get)


def _request(**settings):
    return Request(OPTIONS, [], None, None, **settings)


def test_a_request_takes_only_known_settings():
    assert _request(max_delete=7).max_delete == 7 and _request().dry_run is True
    with pytest.raises(TypeError, match='unknown cleanup settings: dryrun'):
        _request(dryrun=False)


def test_each_in_parallel_keeps_the_order_and_tells_each_list():
    from ansible_collections.mailops.sendgrid.plugins.module_utils.cleanup_request import each_in_parallel

    class Told:
        def __init__(self):
            self.started, self.done = [], []

        def list_started(self, scope):
            self.started.append(scope)

        def list_done(self, scope):
            self.done.append(scope)

    told = Told()
    request = _request(progress=told)
    assert each_in_parallel(lambda n: n * n, [3, 1, 2], request, ['a', 'b', 'c']) == [9, 1, 4]
    assert sorted(told.started) == sorted(told.done) == ['a', 'b', 'c']
