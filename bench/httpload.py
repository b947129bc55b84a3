"""HTTP figures: /v1/triage against a bare Flask JSON endpoint, both under gunicorn.

Both apps are served by gunicorn with the service's own ``gunicorn.conf.py`` (same
workers, threads and every other setting; only the port differs), one at a time,
on 127.0.0.1. The load comes from ``wrk`` when it is installed, else from a small
keep-alive client in Python processes. Every request carries a reference of its
own, as new issues do. The service records each decision and checks API keys, so
it is given a throwaway SQLite database with a key made for the run (unless
``database_url`` and ``api_key`` name real ones), and a rate limit it cannot reach.
Every server this module starts is stopped (and, if it will not stop, killed)
before it returns.
"""

from __future__ import annotations

import contextlib
import http.client
import inspect
import json
import multiprocessing
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .service_setup import auth_headers, prepare_database, server_environment
from .workload import json_bodies

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
BARE_CONF = ROOT / "bench" / "gunicorn_bare_conf.py"  # the same settings, without the service's hooks
HOST = "127.0.0.1"

TRIAGE = {"name": "triage", "app": "wsgi:app", "path": "/v1/triage", "ready": "/healthz", "conf": GUNICORN_CONF}
BARE = {"name": "bare", "app": "bench.bare_app:app", "path": "/v1/echo", "ready": "/healthz", "conf": BARE_CONF}


class BenchError(RuntimeError):
    """A server would not start or answered wrongly."""


def gunicorn_settings(conf: Path = GUNICORN_CONF) -> dict:
    """The main settings a gunicorn config file yields in this environment, and the hooks it defines."""
    scope = runpy.run_path(str(conf))
    keys = ("workers", "threads", "worker_class", "preload_app", "max_requests", "max_requests_jitter", "timeout",
            "keepalive", "accesslog")
    hooks = sorted(name for name, value in scope.items() if not name.startswith("_") and inspect.isfunction(value))
    return {**{key: scope.get(key) for key in keys}, "hooks": hooks}


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
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(target["conf"]), target["app"]],
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
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _ = request(port, "GET", path)
            if status == 200:
                return
        time.sleep(0.1)
    raise BenchError(f"gunicorn did not answer {path} within {timeout:.0f} s; see {log_path}")


def _stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn master we started (it stops its workers); kill its group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # its own session: only the master we started and its workers
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def request(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    """One request on a fresh connection: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        payload = None if body is None else json.dumps(body).encode()
        headers = {**(headers or {}), **({} if body is None else {"Content-Type": "application/json"})}
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def check_answers(port: int, target: dict, bodies: list[dict], headers: dict) -> None:
    """Every body of the mix gets a 200 with the expected JSON, before any load is measured."""
    for body in bodies:
        body = {**body, "reference": f"{body['reference']}-check"}
        status, raw = request(port, "POST", target["path"], body, headers)
        if status == 401:
            raise BenchError(f"{target['name']} wants an API key: pass --api-key with --database-url ({raw[:200]!r})")
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


def load(client: str, port: int, path: str, bodies: list[dict], seconds: float, connections: int, headers: dict) -> dict:
    """POST the bodies to ``path`` in turn for ``seconds``: requests/s, errors, latency."""
    pieces = [_split_at_reference(body) for body in bodies]
    if client == "wrk":
        return _wrk(port, path, pieces, seconds, connections, headers)
    return _python_load(port, path, pieces, seconds, connections, headers)


_MARK = "\u2063REF\u2063"  # an invisible separator no body contains


def _split_at_reference(body: dict) -> tuple[str, str]:
    """A body's JSON text cut at the end of its reference, where each request adds its own suffix."""
    text = json.dumps({**body, "reference": body["reference"] + _MARK})
    head, tail = text.split(json.dumps(_MARK)[1:-1])
    return head, tail


# Each request's reference is "<mix reference>-<thread>-<count>": new issues every time.
_LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
%s
local heads = {
%s
}
local tails = {
%s
}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local i = 0
function request()
  i = i + 1
  local k = (i %% #heads) + 1
  return wrk.format(nil, nil, nil, heads[k] .. "-" .. tid .. "-" .. i .. tails[k])
end
"""


def _lua_strings(texts) -> str:
    return ",\n".join(f"[==[{text}]==]" for text in texts)


def _wrk(port: int, path: str, pieces: list[tuple[str, str]], seconds: float, connections: int, headers: dict) -> dict:
    threads = max(1, min(2, connections))
    extra = "\n".join(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA % (extra, _lua_strings(head for head, _ in pieces), _lua_strings(tail for _, tail in pieces)))
    try:
        argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                "-s", script.name, f"http://{HOST}:{port}{path}"]
        out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
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
    latency = {m.group(1): _to_ms(m.group(2), m.group(3))
               for m in re.finditer(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    return {
        "requests": int(total.group(1)),
        "requests_per_second": float(rate.group(1)),
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        "latency_ms": {f"p{k}": v for k, v in latency.items()},
    }


def _to_ms(value: str, unit: str) -> float:
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 3)


def _python_worker(port: int, path: str, pieces: list[tuple[str, str]], worker: int, start: float, deadline: float,
                   headers: dict, results) -> None:
    count = errors = 0
    latencies = []
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    headers = {**headers, "Content-Type": "application/json"}
    time.sleep(max(0.0, start - time.time()))
    i = 0
    while time.time() < deadline:
        head, tail = pieces[i % len(pieces)]
        began = time.perf_counter()
        try:
            conn.request("POST", path, body=f"{head}-{worker}-{i}{tail}".encode(), headers=headers)
            response = conn.getresponse()
            response.read()
            count += 1
            errors += response.status != 200
            latencies.append(time.perf_counter() - began)
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
        i += 1
    conn.close()
    results.put((count, errors, latencies))


def _python_load(port: int, path: str, pieces: list[tuple[str, str]], seconds: float, connections: int,
                 headers: dict) -> dict:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = time.time() + 1.0  # let every process start before the clock runs
    workers = [context.Process(target=_python_worker, args=(port, path, pieces, n, start, start + seconds, headers, results))
               for n in range(connections)]
    for worker in workers:
        worker.start()
    parts = [results.get(timeout=seconds + 60) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    total = sum(count for count, _, _ in parts)
    latencies = sorted(latency for _, _, part in parts for latency in part)
    pick = lambda q: round(latencies[min(int(q * len(latencies)), len(latencies) - 1)] * 1000, 3)  # noqa: E731
    return {
        "requests": total,
        "requests_per_second": round(total / seconds, 1),
        "errors": sum(errors for _, errors, _ in parts),
        "latency_ms": {"p50": pick(0.5), "p90": pick(0.9), "p99": pick(0.99)} if latencies else {},
    }


def measure_http(client: str, seconds: float, warmup_seconds: float, connections: int | None, log_dir: Path,
                 database_url: str | None = None, api_key: str | None = None) -> dict:
    """Requests/s for /v1/triage and for the bare endpoint, and their ratio."""
    client = pick_client(client)
    settings = gunicorn_settings(GUNICORN_CONF)
    bare_settings = gunicorn_settings(BARE_CONF)
    if {k: v for k, v in settings.items() if k != "hooks"} != {k: v for k, v in bare_settings.items() if k != "hooks"}:
        raise BenchError(f"the bare endpoint's gunicorn settings differ: {bare_settings} vs {settings}")
    if not connections:  # wrk: enough to keep every worker thread busy; Python clients: what the CPUs can drive
        connections = 2 * settings["workers"] * settings["threads"] if client == "wrk" else 2 * (os.cpu_count() or 1)
    bodies = json_bodies()
    results = {}
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as scratch:
        database = database_url or f"sqlite:///{scratch}/decisions.db"
        if database_url is None:
            api_key = prepare_database(database)
        headers = auth_headers(api_key)  # the bare endpoint gets the same header, and ignores it
        for target in (TRIAGE, BARE):
            env = server_environment(database) if target is TRIAGE else {}
            with gunicorn_server(target, log_dir, env) as port:
                check_answers(port, target, bodies, headers)
                if warmup_seconds:
                    load(client, port, target["path"], bodies, warmup_seconds, connections, headers)
                results[target["name"]] = {"path": target["path"],
                                           **load(client, port, target["path"], bodies, seconds, connections, headers)}
    triage, bare = results["triage"]["requests_per_second"], results["bare"]["requests_per_second"]
    return {
        "client": client,
        "connections": connections,
        "seconds": seconds,
        "gunicorn": {**settings, "hooks_left_out_for_bare": settings["hooks"]},
        "database": "throwaway SQLite file" if database_url is None else "given by --database-url",
        "api_key": bool(api_key),
        "rate_limit": "on, at an unreachable limit",
        "cpus": os.cpu_count(),
        **results,
        "ratio": round(triage / bare, 3) if bare else None,
    }
