"""HTTP figures: /v1/triage against a bare Flask JSON endpoint, both under gunicorn.

Both apps are served by gunicorn with the service's own ``gunicorn.conf.py`` (same
workers, threads and every other setting; only the port differs), one at a time,
on 127.0.0.1. The load comes from ``wrk`` when it is installed, else from a small
keep-alive client in Python processes. Every server this module starts is stopped
(and, if it will not stop, killed) before it returns.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .workload import json_bodies

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
HOST = "127.0.0.1"

TRIAGE = {"name": "triage", "app": "wsgi:app", "path": "/v1/triage", "ready": "/healthz"}
BARE = {"name": "bare", "app": "bench.bare_app:app", "path": "/v1/echo", "ready": "/healthz"}


class BenchError(RuntimeError):
    """A server would not start or answered wrongly."""


def gunicorn_settings(env: dict | None = None) -> dict:
    """The settings gunicorn.conf.py yields in this environment (what both servers run with)."""
    saved = dict(os.environ)
    try:
        os.environ.update(env or {})
        scope: dict = {}
        exec(compile(GUNICORN_CONF.read_text(), str(GUNICORN_CONF), "exec"), scope)  # noqa: S102 - our own config file
    finally:
        os.environ.clear()
        os.environ.update(saved)
    keys = ("workers", "threads", "worker_class", "preload_app", "max_requests", "max_requests_jitter", "accesslog")
    return {key: scope.get(key) for key in keys}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(target: dict, log_dir: Path, env: dict | None = None, start_timeout: float = 60.0):
    """Run ``target`` under gunicorn on a free port; yield the port; always stop it."""
    port = free_port()
    server_env = {**os.environ, **(env or {}), "BIND": f"{HOST}:{port}"}
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"gunicorn-{target['name']}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, our own venv
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), target["app"]],
            cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
        )
    try:
        _wait_until_ready(process, port, target["ready"], start_timeout, log_path)
        yield port
    finally:
        _stop(process)


def _wait_until_ready(process, port: int, path: str, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            status, _ = request(port, "GET", path)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchError(f"gunicorn did not answer {path} within {timeout:.0f} s; see {log_path}")


def _stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn master we started (it stops its workers); kill its group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # its own session: only the master and its workers
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
    """One request on a fresh connection: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        payload = None if body is None else json.dumps(body).encode()
        headers = {} if body is None else {"Content-Type": "application/json"}
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def check_answers(port: int, target: dict, bodies: list[dict]) -> None:
    """Every body of the mix gets a 200 with the expected JSON, before any load is measured."""
    for body in bodies:
        status, raw = request(port, "POST", target["path"], body)
        if status != 200:
            raise BenchError(f"{target['name']} answered {status} for {body['reference']}: {raw[:300]!r}")
        answer = json.loads(raw)
        if answer.get("reference") != body["reference"] or "routing" not in answer:
            raise BenchError(f"{target['name']} answered unexpectedly for {body['reference']}: {raw[:300]!r}")


# --- load generators ----------------------------------------------------------

def pick_client(choice: str) -> str:
    """'wrk' when asked for or (for 'auto') installed, else 'python'."""
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if choice == "wrk" and not shutil.which("wrk"):
        raise BenchError("wrk is not installed (Debian: apt-get install wrk); use --client python")
    return choice


def load(client: str, port: int, path: str, bodies: list[dict], seconds: float, connections: int) -> dict:
    """Drive POST ``path`` with the bodies in turn for ``seconds``: requests/s and errors."""
    if client == "wrk":
        return _wrk(port, path, bodies, seconds, connections)
    return _python_load(port, path, bodies, seconds, connections)


_LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {
%s
}
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, nil, nil, bodies[(i %% #bodies) + 1])
end
"""


def _wrk(port: int, path: str, bodies: list[dict], seconds: float, connections: int) -> dict:
    entries = ",\n".join(f"[==[{json.dumps(body)}]==]" for body in bodies)
    threads = max(1, min(2, connections))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA % entries)
    try:
        argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                "-s", script.name, f"http://{HOST}:{port}{path}"]
        out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout  # noqa: S603
    finally:
        os.unlink(script.name)
    return _parse_wrk(out)


def _parse_wrk(out: str) -> dict:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    if not rate or not total:
        raise BenchError(f"could not read wrk's output:\n{out}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    latency = {m.group(1): _to_ms(m.group(2), m.group(3)) for m in re.finditer(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    return {
        "requests": int(total.group(1)),
        "requests_per_second": float(rate.group(1)),
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        "latency_ms": {f"p{k}": v for k, v in latency.items()},
    }


def _to_ms(value: str, unit: str) -> float:
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 3)


def _python_worker(port: int, path: str, payloads: list[bytes], deadline: float, results) -> None:
    count = errors = 0
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    headers = {"Content-Type": "application/json"}
    i = 0
    while time.time() < deadline:
        try:
            conn.request("POST", path, body=payloads[i % len(payloads)], headers=headers)
            response = conn.getresponse()
            response.read()
            count += 1
            errors += response.status != 200
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
        i += 1
    conn.close()
    results.put((count, errors))


def _python_load(port: int, path: str, bodies: list[dict], seconds: float, connections: int) -> dict:
    payloads = [json.dumps(body).encode() for body in bodies]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    started = time.time() + 0.5  # let every process start before the clock runs
    deadline = started + seconds
    workers = [context.Process(target=_python_worker, args=(port, path, payloads, deadline, results)) for _ in range(connections)]
    for worker in workers:
        worker.start()
    counts = [results.get(timeout=seconds + 60) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    total = sum(count for count, _ in counts)
    return {
        "requests": total,
        "requests_per_second": round(total / seconds, 1),
        "errors": sum(errors for _, errors in counts),
        "latency_ms": {},
    }


def measure_http(client: str, seconds: float, warmup_seconds: float, connections: int | None,
                 log_dir: Path, env: dict | None = None) -> dict:
    """Requests/s for /v1/triage and for the bare endpoint, and their ratio."""
    client = pick_client(client)
    settings = gunicorn_settings(env)
    connections = connections or 2 * settings["workers"] * settings["threads"]
    bodies = json_bodies()
    results = {}
    for target in (TRIAGE, BARE):
        with gunicorn_server(target, log_dir, env) as port:
            check_answers(port, target, bodies)
            if warmup_seconds:
                load(client, port, target["path"], bodies, warmup_seconds, connections)
            results[target["name"]] = {"path": target["path"], **load(client, port, target["path"], bodies, seconds, connections)}
    triage, bare = results["triage"]["requests_per_second"], results["bare"]["requests_per_second"]
    return {
        "client": client,
        "connections": connections,
        "seconds": seconds,
        "gunicorn": settings,
        "cpus": os.cpu_count(),
        **results,
        "ratio": round(triage / bare, 3) if bare else None,
    }
