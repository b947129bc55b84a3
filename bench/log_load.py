"""Concurrent triage against gunicorn on PostgreSQL: every 2xx has exactly one record.

    python -m bench.log_load [--clients 8] [--requests 2000] [--workers 4]

Starts gunicorn (gunicorn.conf.py) on 127.0.0.1 against a fresh PostgreSQL schema,
posts the requests from concurrent clients, then counts: responses by status,
stored records, records per returned decision id, and runs the chain check.
Exits non-zero if any 5xx came back or any 2xx lacks exactly one record.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    """An unused TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen:
    """gunicorn serving the app on 127.0.0.1:port, once it answers /healthz."""
    env = {**os.environ, "DATABASE_URL": database_url, "BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": str(workers), "ACCESS_LOG": "/dev/null",
           "AUTH_REQUIRED": "false", "RATELIMIT_ENABLED": "false"}  # load tests measure the log, not keys
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def issue(index: int) -> bytes:
    """A varied triage request; references repeat so history facts come into play."""
    body = {"reference": f"LOAD-{index % 97}", "area": ["Blakenall", "Bloxwich", "Darlaston"][index % 3],
            "category": ["anti_social_behaviour", "graffiti", "fly_tipping", "drug_dealing"][index % 4],
            "first_reported": "2026-06-01", "reports_last_6_months": index % 6,
            "raised_at_nap": index % 2 == 0, "residents_willing_to_lead": index % 3 == 0,
            "resources_requested": [{"name": "domehawk camera", "available_locally": index % 5 != 0}],
            "description": "load test", "as_of": "2026-11-01"}
    return json.dumps(body).encode()


def client(port: int, indexes: range) -> list[tuple[int, str | None]]:
    """Post each request on one keep-alive connection; (status, decision id) each."""
    results = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for index in indexes:
        connection.request("POST", "/v1/triage", body=issue(index), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        decision_id = json.loads(payload).get("decision_id") if response.status == 200 else None
        results.append((response.status, decision_id))
    connection.close()
    return results


def run(clients: int, requests: int, workers: int, base_url: str = DEFAULT_URL) -> dict:
    """Run the load and return the counts."""
    schema = f"load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{schema}"
    port = free_port()
    server = start_gunicorn(url, port, workers)
    try:
        started = time.monotonic()
        share = [range(i, requests, clients) for i in range(clients)]
        with ThreadPoolExecutor(clients) as pool:
            results = [r for batch in pool.map(lambda idx: client(port, idx), share) for r in batch]
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    try:
        return _count(url, results, elapsed)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _count(url: str, results: list, elapsed: float) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT decision_id, count(*) FROM decisions GROUP BY decision_id"))
        per_id = {decision_id: count for decision_id, count in rows}
        stored = connection.execute(text("SELECT count(*) FROM decisions")).scalar_one()
    engine.dispose()
    statuses = Counter(status for status, _ in results)
    ok_ids = [decision_id for status, decision_id in results if 200 <= status < 300]
    return {
        "requests": len(results), "seconds": round(elapsed, 2), "statuses": dict(statuses),
        "responses_2xx": len(ok_ids), "responses_5xx": sum(n for s, n in statuses.items() if s >= 500),
        "records_stored": stored,
        "2xx_with_exactly_one_record": sum(per_id.get(decision_id, 0) == 1 for decision_id in ok_ids),
        "records_without_a_2xx": stored - len(set(ok_ids) & set(per_id)),
    }


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    counts = run(args.clients, args.requests, args.workers)
    print(json.dumps(counts, indent=2))
    good = counts["responses_5xx"] == 0 and counts["2xx_with_exactly_one_record"] == counts["responses_2xx"]
    good = good and counts["records_without_a_2xx"] == 0 and counts["responses_2xx"] == counts["requests"]
    print("PASS" if good else "FAIL")
    return 0 if good else 1


if __name__ == "__main__":
    raise SystemExit(main())
