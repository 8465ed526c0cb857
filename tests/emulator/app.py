"""The Flask application: Web API v2 (v2.py) and v3 (v3.py) behind one gate (gate.py), and the /_emulator
control paths (control.py)."""

from flask import Flask, Response, request

from . import classifications
from . import control
from . import mail_settings
from . import render
from . import v2
from . import v3
from . import webhooks
from .gate import Gate
from .knobs import Knobs, Stats


# The task a v3 request that no route serves is counted under: one that would write (any method but GET, as the
# collection's write guard judges) is a write in the stats, so a check-mode test sees it whatever the answer.
UNSERVED_V3_TASKS = {'POST': 'add', 'PUT': 'update', 'PATCH': 'update', 'DELETE': 'delete'}


def create_app(store, knobs=None, stats=None):
    knobs = knobs or Knobs()
    stats = stats or Stats()
    gate = Gate(knobs, stats)
    app = Flask('sendgrid_emulator')
    control.register(app, store, stats)

    def v3_gate(endpoint, task, run, dialect=None):
        return gate(endpoint, task, run, dialect or v3.Dialect())
    classifications.register(app, store, v3_gate)
    v3.register(app, store, v3_gate)
    v3.register_scopes(app, store, v3_gate)
    mail_settings.register(app, store, v3_gate)
    app.poster = webhooks.register(app, store, v3_gate, knobs)

    @app.route('/<path:path>', methods=['GET', 'POST'])
    def api(path):
        endpoint, fmt = v2.split_path(path)
        params = v2.request_params()
        task = v2.task_of(endpoint, params)
        if path.startswith('v3/'):
            return gate.unknown(endpoint, UNSERVED_V3_TASKS.get(request.method, ''), 'no such endpoint: /%s' % path,
                                v3.Dialect())
        handler = v2.ENDPOINTS.get(endpoint)
        if handler is None:
            return gate.unknown(endpoint, task, 'Unknown endpoint: %s' % endpoint, v2.Dialect(fmt))
        return gate(endpoint, task, v2.operation(store, handler, fmt, params), v2.Dialect(fmt))

    @app.errorhandler(405)
    def wrong_method(_exc):
        if request.path.startswith('/v3/'):
            return gate.unknown(request.path[1:], UNSERVED_V3_TASKS.get(request.method, ''),
                                'method %s not allowed' % request.method, v3.Dialect(), 405)
        return Response(render.errors('json', ['Method not allowed']), status=405, mimetype='application/json')

    @app.errorhandler(500)
    def internal(_exc):
        return Response(render.errors('json', ['Internal error']), status=500, mimetype='application/json')

    return app
