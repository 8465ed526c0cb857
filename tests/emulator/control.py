"""The /_emulator control paths: request counters, the request log, their reset, and health."""

import json

from flask import Response


def _json(body):
    return Response(json.dumps(body), mimetype='application/json')


def register(app, store, stats):
    app.add_url_rule('/_emulator/stats', 'emulator_stats', lambda: _json(stats.snapshot()), methods=['GET'])
    app.add_url_rule('/_emulator/requests', 'emulator_requests', lambda: _json(stats.urls()), methods=['GET'])
    app.add_url_rule('/_emulator/health', 'emulator_health', lambda: _json({'records': store.total_records()}),
                     methods=['GET'])

    def reset():
        stats.reset()
        return _json({'message': 'success'})
    app.add_url_rule('/_emulator/reset', 'emulator_reset', reset, methods=['POST'])
