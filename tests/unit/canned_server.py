"""A server that answers every request the same, badly on purpose: for error-path tests."""

import threading

from hostile_server import HostileServer, json_reply


class CannedServer(HostileServer):
    """A server whose every answer is (status, headers, body); `hang=True` never answers."""

    def __init__(self, status=200, body=b'', headers=None, hang=False):
        def answer(request):
            if hang:
                return lambda handler: threading.Event().wait(5)
            return json_reply(body, status=status, headers=headers)
        super().__init__(answer)

    @property
    def hits(self):
        return len(self.requests)
