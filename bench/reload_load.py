"""Rule reloads under load: no failed request, and every decision made by the version it records.

    python -m bench.reload_load [--clients 4] [--workers 4] [--reloads 20] [--sighup-at 3,5,13]

Starts gunicorn (gunicorn.conf.py, 4 workers) on 127.0.0.1 against a fresh
PostgreSQL schema, with RULES_DIR pointing at a temporary copy of rules/. While
the clients post triages continuously, it rewrites that directory and reloads,
cycling through version B (persistent_min_months 3 -> 4, with the one test case
that then changes updated), version A (the shipped rules) and an INVALID
version (in turn: a YAML syntax error, an unknown fact, a test case that now
fails). Reloads go through POST /v1/rulesets/reload, except those numbered in
--sighup-at, which send SIGHUP to the gunicorn master and wait for its workers
to be replaced. After each reload the chain head row must name the expected
version, and GET /v1/rulesets/active (asked on several connections, so several
workers answer) must show it too: the previous one after an invalid reload. A
triage sent after a reload finished and answered before the next one began must
carry the version then live. With the clients stopped, a last POST reload and an
invalid SIGHUP check /v1/rulesets/active once more, without triages to help
workers catch up.

Then every stored decision is replayed through the rule book of the version it
records (its stored request, as_of and history facts) and routing, flags,
agencies and rules_fired must match what was stored. Prints the counts as JSON
and PASS or FAIL; exits non-zero on FAIL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.log_load import DEFAULT_URL, ROOT, free_port, start_gunicorn
from schemas import TriageRequestSchema
from service.rulebook import RuleBookError, load_rulebook
from service.ruletests import run_cases
from service.triage import TriageService

COMPARED = ("routing", "flags", "agencies", "rules_fired")
ACTIVE_PROBES = 8  # GET /v1/rulesets/active this many times (fresh connections, so several workers answer)

# Version B: the persistence threshold goes from 3 to 4 months ...
THRESHOLD_A = "persistent_min_months: 3 "
THRESHOLD_B = "persistent_min_months: 4 "
# ... so the one test case with an issue exactly 3 months old changes, and is updated to match.
CASE_A = """\
  - name: A persistent issue raised at the NAP that residents will lead is recommended for a CLS group
    issue:
      category: youth_nuisance
      first_reported: 2026-07-15
      reports_last_6_months: 5
      raised_at_nap: true
      residents_willing_to_lead: true
      as_of: 2026-11-01
    expect:
      routing: community_led_solution
      reasons: [cls_recommended]
      agencies: {Community Safety Partnership Support Officer: support}
      fired: [derived_persistent]
      review_required: true
"""
CASE_B = """\
  - name: Three months is not yet persistent once the threshold is four months
    issue:
      category: youth_nuisance
      first_reported: 2026-07-15
      reports_last_6_months: 5
      raised_at_nap: true
      residents_willing_to_lead: true
      as_of: 2026-11-01
    expect:
      routing: cat
      reasons: [cat_local_issue]
      not_fired: [derived_persistent]
      review_required: false
"""
# The invalid versions, used in turn.
BROKEN_YAML = "\n  - id: broken_rule\n    when: [reports_last_6_months >= 1\n"
KNOWN_FACT = "when: reports_last_6_months >= case_review_min_reports"
UNKNOWN_FACT = "when: reports_last_7_months >= case_review_min_reports"
INVALID_KINDS = ("invalid_yaml", "invalid_unknown_fact", "invalid_failing_test")


# --- rule versions ----------------------------------------------------------

def read_rules(directory: Path) -> dict[str, str]:
    """Every YAML file under a rule directory (tests included), by relative path."""
    return {str(path.relative_to(directory)): path.read_text(encoding="utf-8")
            for path in sorted(directory.rglob("*.yaml"))}


def _replace_once(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    if files[name].count(old) != 1:
        raise RuntimeError(f"{name} no longer contains exactly one {old.splitlines()[0]!r}: update bench.reload_load")
    return {**files, name: files[name].replace(old, new)}


def rule_versions(shipped: dict[str, str]) -> dict[str, dict[str, str]]:
    """Version A (shipped), B (threshold 4 months, its test case updated) and the invalid ones."""
    threshold_b = _replace_once(shipped, "ruleset.yaml", THRESHOLD_A, THRESHOLD_B)
    b = _replace_once(threshold_b, "tests/routing_test.yaml", CASE_A, CASE_B)
    return {
        "A": shipped,
        "B": b,
        "invalid_yaml": {**shipped, "routing.yaml": shipped["routing.yaml"] + BROKEN_YAML},
        "invalid_unknown_fact": _replace_once(shipped, "flags.yaml", KNOWN_FACT, UNKNOWN_FACT),
        "invalid_failing_test": threshold_b,  # B's threshold without its updated test case
    }


def write_rules(directory: Path, files: dict[str, str]) -> None:
    """Rewrite the rule directory's files, each replaced whole."""
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.new")
        staging.write_text(content, encoding="utf-8")
        os.replace(staging, path)


def schedule(reloads: int) -> list[str]:
    """B, A, invalid, B, A, invalid ... (A is live at start, so each valid reload changes the version)."""
    invalid = iter(INVALID_KINDS * reloads)
    return [("B", "A")[i % 3] if i % 3 < 2 else next(invalid) for i in range(reloads)]


# --- the workload -----------------------------------------------------------

FIRST_REPORTED = ("2026-09-15", "2026-08-01", "2026-07-20", "2026-07-15", "2026-07-01", "2026-05-01")
CATEGORIES = ("anti_social_behaviour", "youth_nuisance", "noise", "drug_dealing", "graffiti", "fly_tipping",
              "hate_incident", "street_drinking")
AREAS = ("Blakenall", "Bloxwich", "Darlaston", "Willenhall")


def issue(index: int) -> dict:
    """A varied triage request, weighted towards issues 3 months old, where A and B disagree.

    Most references are new; one in four repeats, so history facts (times at the
    CAT) come into play too.
    """
    reference = f"RL-R{index % 53}" if index % 4 == 0 else f"RL-{index}"
    body = {
        "reference": reference, "area": AREAS[index % 4], "category": CATEGORIES[index % 8],
        "first_reported": FIRST_REPORTED[index % 6], "reports_last_6_months": 2 + index % 5,
        "raised_at_nap": index % 3 != 0, "raised_at_jag": index % 11 == 0,
        "jag_cls_decision": ("not_considered", "pending", "endorsed", "declined")[index % 13 % 4],
        "residents_willing_to_lead": index % 5 != 0,
        "description": "reload load test", "as_of": "2026-11-01",
    }
    if index % 9 == 0:
        body["resources_requested"] = [{"name": "domehawk camera", "available_locally": index % 2 == 0}]
    if index % 10 == 0:
        body["local_actions"] = [{"action": "clearance", "agency": "Street Pride",
                                  "outcome": ("resolved", "not_resolved")[index % 20 // 10]}]
    if index % 17 == 0:
        body["other_areas_affected"] = ["Bloxwich"]
    body["hate_motivated"] = index % 19 == 0
    body["vulnerable_victim"] = index % 23 == 0
    return body


@dataclass
class Result:
    """One triage request: when it was sent and answered, and what came back."""

    sent: float
    answered: float
    status: int  # 0: connection error
    decision_id: str | None = None
    version: str | None = None
    error: str | None = None


def client(port: int, first: int, step: int, stop: threading.Event, results: list) -> None:
    """Post triages on one keep-alive connection until told to stop (reconnecting when needed)."""
    connection = None
    index = first
    while not stop.is_set():
        body = json.dumps(issue(index)).encode()
        index += step
        sent = time.monotonic()
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", "/v1/triage", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            results.append(Result(sent, time.monotonic(), 0, error=repr(error)))
            if connection is not None:
                connection.close()
            connection = None
            continue
        answered = time.monotonic()
        if 200 <= response.status < 300:
            decision = json.loads(payload)
            results.append(Result(sent, answered, response.status, decision["decision_id"],
                                  decision["ruleset"]["version"]))
        else:
            results.append(Result(sent, answered, response.status, error=payload[:300].decode(errors="replace")))
    if connection is not None:
        connection.close()


# --- talking to the server --------------------------------------------------

def call(port: int, method: str, path: str, timeout: float = 60) -> tuple[int, dict]:
    """One request on a fresh connection: (status, JSON body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=b"" if method == "POST" else None,
                           headers={"Content-Type": "application/json"} if method == "POST" else {})
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()
    try:
        return response.status, json.loads(payload)
    except ValueError:
        return response.status, {"body": payload[:300].decode(errors="replace")}


def active_versions(port: int, probes: int = ACTIVE_PROBES) -> list[str]:
    """The version GET /v1/rulesets/active shows, asked on several fresh connections."""
    seen = []
    for _ in range(probes):
        try:
            status, body = call(port, "GET", "/v1/rulesets/active", timeout=30)
            seen.append(body.get("version") if status == 200 else f"HTTP {status}")
        except (OSError, http.client.HTTPException) as error:
            seen.append(repr(error))
    return seen


def head_version(url: str) -> str | None:
    """The version the chain head row names live."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT ruleset_version FROM chain_head WHERE id = 1")).scalar_one()
    finally:
        engine.dispose()


def worker_pids(master: int) -> set[int]:
    """The master's child processes (its workers)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return {int(pid) for pid in children.read_text().split()}
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.add(int(stat.parent.name))
    return pids


def sighup(master: int, workers: int, timeout: float = 90) -> float:
    """SIGHUP the master and wait until every old worker is gone and ``workers`` new ones run."""
    old = worker_pids(master)
    started = time.monotonic()
    os.kill(master, signal.SIGHUP)
    while time.monotonic() - started < timeout:
        current = worker_pids(master)
        if not (current & old) and len(current) == workers:
            return time.monotonic() - started
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not replace its workers within {timeout} s of SIGHUP")


class LogDrain(threading.Thread):
    """Reads the server's stderr so the pipe never fills; keeps the lines."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.lines: list[str] = []

    def run(self):
        for line in self.stream:
            self.lines.append(line.decode(errors="replace").rstrip())


@contextmanager
def environment(**values: str):
    """Set environment variables for the servers started inside the block."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM the gunicorn master; SIGKILL it if it has not exited within 30 s."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


# --- the run ----------------------------------------------------------------

def run(clients: int = 4, workers: int = 4, reloads: int = 20, sighup_at: tuple[int, ...] = (3, 5, 13),
        pause: float = 1.0, base_url: str = DEFAULT_URL, max_seconds: float = 600,
        server_log: str | None = None, quiet_checks: bool = True) -> dict:
    """Reload under load and return the counts (``server_log``: a file for gunicorn's stderr)."""
    work = Path(tempfile.mkdtemp(prefix="reload_load_"))
    schema = f"reload_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url)
    try:
        versions = rule_versions(read_rules(ROOT / "rules"))
        books = check_versions(versions, work)
        version_of = {name: book.version for name, book in books.items()}
        live_dir = work / "live"
        write_rules(live_dir, versions["A"])
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{schema}"
        port = free_port()
        with environment(RULES_DIR=str(live_dir), AUTH_REQUIRED="false", RATELIMIT_ENABLED="false"):
            server = start_gunicorn(url, port, workers)
        drain = LogDrain(server.stderr)
        drain.start()
        try:
            load = _under_load(server, url, port, live_dir, clients, workers, versions, version_of, reloads, sighup_at,
                               pause, max_seconds)
            live, master = load.pop("_live"), load.pop("_master")
            if quiet_checks:
                load["quiet_checks"] = _quiet_checks(server, port, live_dir, workers, versions, version_of, live,
                                                     master)
        finally:
            stop_server(server)
            drain.join(timeout=10)
            if server_log:
                Path(server_log).write_text("\n".join(drain.lines) + "\n", encoding="utf-8")
        results = load.pop("_results")
        counts = {"version_A": version_of["A"], "version_B": version_of["B"], **load, **_replay(url, books, results)}
        counts["server_log_reloads"] = sum("rules reloaded" in line for line in drain.lines)
        counts["server_log_refusals"] = sum("reload refused" in line or "NOT reloaded" in line for line in drain.lines)
        counts["server_log_tracebacks"] = sum("Traceback" in line for line in drain.lines)
        counts["server_log_errors"] = [line for line in drain.lines
                                       if "Traceback" in line or " ERROR " in line or "[ERROR]" in line][:20]
        return counts
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
        shutil.rmtree(work, ignore_errors=True)


def check_versions(versions: dict[str, dict[str, str]], work: Path) -> dict:
    """Load A and B (each must pass its test cases) and make sure every invalid version is refused."""
    books = {}
    for name, files in versions.items():
        write_rules(work / name, files)
        try:
            book = load_rulebook(work / name)
        except RuleBookError:
            if name in ("A", "B"):
                raise
            continue
        tests_pass = run_cases(book, TriageService(book)).passed
        if tests_pass != (name in ("A", "B")):
            raise RuntimeError(f"rule version {name}: test cases {'pass' if tests_pass else 'fail'}")
        if name in ("A", "B"):
            books[name] = book
    if books["A"].version == books["B"].version:
        raise RuntimeError("versions A and B have the same version hash")
    return books


def _under_load(server, url, port, live_dir, clients, workers, versions, version_of, reloads, sighup_at, pause, max_seconds):
    deadline = time.monotonic() + max_seconds
    stop = threading.Event()
    results: list[Result] = []
    threads = [threading.Thread(target=client, args=(port, i, clients, stop, results), daemon=True)
               for i in range(clients)]
    live = master = version_of["A"]  # the live version, and the one the gunicorn master last loaded
    events = [(0.0, time.monotonic(), live)]  # (reload started, reload finished, live version afterwards)
    reload_log, active_wrong = [], []
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        time.sleep(pause)
        for number, kind in enumerate(schedule(reloads)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"not finished within {max_seconds} s")
            write_rules(live_dir, versions[kind])
            valid = kind in version_of
            expected = version_of[kind] if valid else live
            began = time.monotonic()
            if number in sighup_at:
                seconds = sighup(server.pid, workers)
                entry = {"n": number, "kind": kind, "via": "SIGHUP", "seconds": round(seconds, 2)}
                ok = True
            else:
                status, body = call(port, "POST", "/v1/rulesets/reload")
                entry = {"n": number, "kind": kind, "via": "POST", "status": status,
                         "seconds": round(time.monotonic() - began, 2)}
                ok = (status == 200 and body.get("version") == expected) if valid else status == 422
                # The response names the version live before (200) or still live (422): is it the right one?
                entry["names_live_ok"] = (body.get("previous_version") == live if valid
                                          else live in body.get("message", ""))
            finished = time.monotonic()
            entry["head_ok"] = head_version(url) == expected  # the database names the right version live
            ok = ok and entry["head_ok"]
            seen = active_versions(port)
            entry["active_ok"] = all(version == expected for version in seen)
            if not entry["active_ok"]:
                active_wrong.append({"n": number, "kind": kind, "expected": expected[:12],
                                     "seen": dict(Counter(v[:12] for v in seen))})
            entry["ok"] = ok
            reload_log.append(entry)
            live = expected
            if number in sighup_at:
                master = expected
            events.append((began, finished, live))
            time.sleep(pause)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    elapsed = time.monotonic() - started
    statuses = Counter(result.status for result in results)
    valid_reloads = [e for e in reload_log if e["kind"] in version_of]
    invalid_reloads = [e for e in reload_log if e["kind"] not in version_of]
    return {
        "seconds": round(elapsed, 1),
        "triage_requests": len(results),
        "triage_statuses": {str(status): count for status, count in sorted(statuses.items())},
        "failed_requests": sum(not 200 <= result.status < 300 for result in results),
        "failures_sample": [result.error for result in results if not 200 <= result.status < 300][:5],
        "reloads": len(reload_log),
        "reloads_via_sighup": sum(e["via"] == "SIGHUP" for e in reload_log),
        "valid_reloads": len(valid_reloads),
        "valid_reloads_ok": sum(e["ok"] for e in valid_reloads),
        "valid_reload_statuses": dict(Counter(str(e.get("status", "SIGHUP")) for e in valid_reloads)),
        "invalid_reloads": len(invalid_reloads),
        "invalid_reloads_refused_ok": sum(e["ok"] for e in invalid_reloads),
        "invalid_reload_statuses": dict(Counter(str(e.get("status", "SIGHUP")) for e in invalid_reloads)),
        "reload_responses_naming_the_wrong_live_version": sum(not e.get("names_live_ok", True) for e in reload_log),
        "active_checks": len(reload_log),
        "active_wrong_after_valid_reload": sum(e["kind"] in version_of for e in active_wrong),
        "active_wrong_after_invalid_reload": sum(e["kind"] not in version_of for e in active_wrong),
        "active_wrong": active_wrong,
        "responses_with_stale_version": _stale(results, events),
        "reload_log": reload_log,
        "_results": results,
        "_live": live,
        "_master": master,
    }


def _quiet_checks(server, port, live_dir, workers, versions, version_of, live, master) -> dict:
    """With no triage traffic, every worker's GET /v1/rulesets/active must still show the live version.

    First a POST reload to the valid version the gunicorn master does not hold,
    then an invalid SIGHUP, whose new workers fork from the master.
    """
    target = next(name for name, version in version_of.items() if version != master)
    write_rules(live_dir, versions[target])
    status, body = call(port, "POST", "/v1/rulesets/reload")
    after_post = active_versions(port)
    write_rules(live_dir, versions["invalid_yaml"])
    sighup(server.pid, workers)
    after_sighup = active_versions(port)
    expected = version_of[target]
    return {
        "reload_status": status,
        "reload_ok": status == 200 and body.get("version") == expected,
        "reload_previous_version_ok": body.get("previous_version") == live,
        "expected": expected[:12],
        "after_post_reload": dict(Counter(v[:12] for v in after_post)),
        "after_invalid_sighup": dict(Counter(v[:12] for v in after_sighup)),
        "wrong": sum(v != expected for v in [*after_post, *after_sighup]),
    }


def _stale(results: list[Result], events: list) -> int:
    """2xx responses whose whole request fell between two reloads but carry another version than the live one."""
    stale = 0
    for result in results:
        if result.version is None:
            continue
        for (_, finished, version), (next_began, _, _) in zip(events, [*events[1:], (float("inf"), 0, "")], strict=True):
            if finished <= result.sent and result.answered <= next_began:
                stale += result.version != version
                break
    return stale


def _replay(url: str, books: dict, results: list[Result]) -> dict:
    """Replay every stored decision through the rule book of its recorded version."""
    services = {book.version: TriageService(book) for book in books.values()}
    schemas_by_version = {book.version: TriageRequestSchema(categories=book.categories) for book in books.values()}
    engine = create_engine(url)
    stored, per_version, mismatches, unknown, discriminating, transitions = 0, Counter(), [], 0, 0, 0
    previous = None
    ids = Counter()
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT seq, decision_id, request_json, facts_json, decision_json, ruleset_version, as_of, evaluated_at"
            " FROM decisions ORDER BY seq"))
        for seq, decision_id, request_json, facts_json, decision_json, version, as_of, evaluated_at in rows:
            stored += 1
            ids[decision_id] += 1
            per_version[version] += 1
            transitions += previous is not None and version != previous
            previous = version
            decision = json.loads(decision_json)
            if version not in services or decision["ruleset"]["version"] != version:
                unknown += 1
                continue
            request = json.loads(request_json)
            request["as_of"] = as_of.isoformat()
            facts = json.loads(facts_json)
            history = {key: facts[key] for key in ("times_triaged_before", "times_routed_to_cat_before")}
            now = evaluated_at if evaluated_at.tzinfo else evaluated_at.replace(tzinfo=UTC)
            replayed = {}
            for other, service in services.items():
                replayed[other] = service.decide(schemas_by_version[other].load(request), now, history=history)
            differing = [key for key in COMPARED if replayed[version][key] != decision[key]]
            if differing:
                mismatches.append({"seq": seq, "version": version[:12], "differs": differing})
            discriminating += any(replayed[v][key] != decision[key] for v in services if v != version
                                  for key in COMPARED)
    engine.dispose()
    ok_ids = [result.decision_id for result in results if result.decision_id]
    return {
        "decisions_stored": stored,
        "decisions_per_version": {version[:12]: count for version, count in per_version.items()},
        "decisions_2xx_with_exactly_one_record": sum(ids.get(decision_id) == 1 for decision_id in ok_ids),
        "decisions_with_unknown_version": unknown,
        "version_mismatches": len(mismatches) + unknown,
        "mismatch_sample": mismatches[:5],
        "decisions_the_other_version_decides_differently": discriminating,
        "version_changes_along_the_chain": transitions,
    }


def passed(counts: dict) -> bool:
    """The verdict: every check the run makes."""
    effective_changes = sum(e["kind"] in ("A", "B") for e in counts["reload_log"])
    return (counts["failed_requests"] == 0 and counts["triage_requests"] > 0
            and counts["valid_reloads_ok"] == counts["valid_reloads"]
            and counts["invalid_reloads_refused_ok"] == counts["invalid_reloads"]
            and counts["active_wrong_after_valid_reload"] == 0
            and counts["active_wrong_after_invalid_reload"] == 0
            and counts["reload_responses_naming_the_wrong_live_version"] == 0
            and counts["quiet_checks"]["reload_ok"] and counts["quiet_checks"]["wrong"] == 0
            and counts["quiet_checks"]["reload_previous_version_ok"]
            and counts["responses_with_stale_version"] == 0
            and counts["version_mismatches"] == 0
            and counts["decisions_stored"] == counts["triage_requests"]
            and counts["decisions_2xx_with_exactly_one_record"] == counts["triage_requests"]
            and counts["decisions_the_other_version_decides_differently"] > 0
            and counts["version_changes_along_the_chain"] <= effective_changes)


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reloads", type=int, default=20)
    parser.add_argument("--sighup-at", default="3,5,13", help="numbers (from 0) of the reloads done by SIGHUP")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds of load before, between and after reloads")
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--server-log", help="write gunicorn's stderr to this file")
    args = parser.parse_args()
    sighups = tuple(int(n) for n in args.sighup_at.split(",") if n.strip())
    counts = run(args.clients, args.workers, args.reloads, sighups, args.pause, max_seconds=args.max_seconds,
                 server_log=args.server_log)
    good = passed(counts)
    print(json.dumps(counts, indent=2))
    print("PASS" if good else "FAIL")
    return 0 if good else 1


if __name__ == "__main__":
    raise SystemExit(main())
