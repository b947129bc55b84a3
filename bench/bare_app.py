"""The baseline for the HTTP benchmark: a bare Flask JSON endpoint.

It does what any JSON endpoint must (parse the body, answer in JSON) and nothing
else, so ``/v1/triage`` throughput divided by this one's is the share left after
validation, the rules and the decision. Served by gunicorn with the service's own
gunicorn.conf.py: ``BIND=127.0.0.1:8001 gunicorn -c gunicorn.conf.py bench.bare_app:app``.
"""

from __future__ import annotations

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/v1/echo")
def echo():
    """Parse the JSON body and return a small JSON answer."""
    body = request.get_json()
    return jsonify({"reference": body.get("reference"), "routing": "cat"})


@app.get("/healthz")
def healthz():
    """Liveness, so the benchmark knows when the server is up."""
    return jsonify({"status": "ok"})
