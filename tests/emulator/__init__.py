"""The SendGrid Web API emulator (v2 and v3): a Flask application on SQLite served by cheroot.

It is an independent check of the collection and imports none of its code. Start it with
`python -m emulator` (with `tests/` on PYTHONPATH), `python tests/emulator/serve.py` or `make emulator`;
tests start it through `emulator.process.Emulator`.
"""
