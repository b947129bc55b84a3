"""Where an HTTP request's time goes, measured in-process (no sockets, one thread).

Both apps are called as WSGI applications with prepared requests: the per-request
cost of /v1/triage against the bare endpoint, without gunicorn or a load
generator competing for the CPUs, and a cProfile of /v1/triage split into phases
(validating the body, deciding, recording the decision, the rest of Flask).
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import tempfile
import time

from .service_setup import app_config, auth_headers, prepare_database
from .workload import json_bodies

# (label, file name, function name) of the phases looked for in the profile; ones not found are left out
_PHASES = (
    ("validate the body (marshmallow)", "body.py", "load_body"),
    ("TriageService.decide", "service.py", "decide"),
    ("record the decision (decision log)", "log.py", "triage"),
    ("check the API key", "access.py", "authenticate_request"),
)


def _environ(path: str, body: bytes, headers: dict) -> dict:
    from werkzeug.test import EnvironBuilder

    return EnvironBuilder(path=path, method="POST", data=body, content_type="application/json",
                          headers=headers).get_environ()


def _caller(app, path: str, headers: dict):
    bodies = json_bodies()
    counter = iter(range(10**12))

    def call() -> None:
        i = next(counter)
        body = bodies[i % len(bodies)]
        payload = json.dumps({**body, "reference": f"{body['reference']}-w{i}"}).encode()
        status = []
        chunks = app(_environ(path, payload, headers), lambda line, headers, exc_info=None: status.append(line))
        b"".join(chunks)
        if not status[0].startswith("200"):
            raise RuntimeError(f"{path} answered {status[0]}")

    return call


def _per_request_us(call, count: int) -> float:
    for _ in range(min(200, count)):
        call()
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) / count * 1e6


def profile_http(requests: int, top: int = 25, database_url: str | None = None, api_key: str | None = None) -> dict:
    """Per-request µs for both apps in-process, and a phase split and profile of /v1/triage."""
    from service import create_app

    from .bare_app import app as bare_app

    with tempfile.TemporaryDirectory(prefix="triage-bench-") as scratch:
        database = database_url or f"sqlite:///{scratch}/decisions.db"
        if database_url is None:
            api_key = prepare_database(database)
        headers = auth_headers(api_key)
        app = create_app(app_config(database))
        triage, bare = _caller(app, "/v1/triage", headers), _caller(bare_app, "/v1/echo", headers)
        result = {"requests": requests, "triage_us": round(_per_request_us(triage, requests), 1),
                  "bare_us": round(_per_request_us(bare, requests), 1)}
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            triage()
        profiler.disable()
        if "database" in app.extensions:
            app.extensions["database"].dispose()
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-9)
    phases = {}
    for label, file_name, function in _PHASES:
        found = [(key, value) for key, value in stats.stats.items() if key[0].endswith(file_name) and key[2] == function]
        if found:
            phases[label] = round(sum(value[3] for _, value in found) / total, 3)
    decide, record = "TriageService.decide", "record the decision (decision log)"
    if decide in phases and record in phases:  # the log calls decide: count that time once
        phases[record] = round(phases[record] - phases[decide], 3)
    phases["everything else (Flask, flask-smorest, JSON, WSGI)"] = round(1 - sum(phases.values()), 3)
    result["phase_shares"] = phases
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    result["profile_top"] = out.getvalue()
    return result
