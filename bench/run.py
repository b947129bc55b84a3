"""Run the benchmark: ``python -m bench.run`` (``--quick`` for a smoke run, ``--help`` for options).

In one run it prints, and writes to bench/results/latest.json:
  (a) in-process decisions per second and the median / p95 µs per decision
      (TriageService.decide on validated requests, default rules, a mix of issues);
  (b) requests/s of POST /v1/triage and of a bare Flask JSON endpoint, both under
      gunicorn with gunicorn.conf.py, and the ratio;
  (c) resident memory growth over 1,000,000 in-process evaluations (``--evaluations``).
Targets (issue 2): median ≤ 100 µs; ratio ≥ 0.70; RSS growth < 5 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from . import inprocess

RESULTS_DIR = Path(__file__).resolve().parent / "results"

TARGET_MEDIAN_US = 100.0
TARGET_RATIO = 0.70
TARGET_RSS_GROWTH_MB = 5.0
FULL_EVALUATIONS = 1_000_000


def run_inprocess(quick: bool = False, decisions: int | None = None, evaluations: int | None = None,
                  memory: bool = True, service=None, requests=None) -> dict:
    """Parts (a) and (c): in-process speed and, if ``memory``, memory growth."""
    if service is None:
        service, requests = inprocess.build_service()
    decisions = decisions or (2_000 if quick else 50_000)
    results = {"latency": inprocess.measure_latency(service, requests, decisions, warmup=200 if quick else 5_000)}
    if memory:
        evaluations = evaluations or (5_000 if quick else FULL_EVALUATIONS)
        results["memory"] = inprocess.measure_memory(service, requests, evaluations, warmup=1_000 if quick else 20_000)
    return results


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    report = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "python": platform.python_version(),
        "machine": {"cpus": _cpus(), "platform": platform.platform(), "load_average_at_start": _load()},
        "targets": {"median_us_max": TARGET_MEDIAN_US, "ratio_min": TARGET_RATIO, "rss_growth_mb_max": TARGET_RSS_GROWTH_MB},
    }
    _say(f"triage benchmark ({'quick' if args.quick else 'full'}): Python {report['python']}, {_cpus()} CPUs, "
         f"load average {report['machine']['load_average_at_start']} at start")
    service, requests = inprocess.build_service()
    report.update(run_inprocess(args.quick, args.decisions, memory=False, service=service, requests=requests))
    _print_latency(report["latency"])
    if not args.skip_http:
        from .httpload import measure_http

        seconds = args.duration or (2.0 if args.quick else 10.0)
        _say(f"\n(b) HTTP: starting gunicorn for each app in turn, {seconds:.0f} s of load each ...")
        report["http"] = measure_http(args.client, seconds, warmup_seconds=1.0 if args.quick else 3.0,
                                      connections=args.connections, log_dir=RESULTS_DIR, database_url=args.database_url,
                                      api_key=args.api_key)
        _print_http(report["http"])
    if not args.skip_memory:
        evaluations = args.evaluations or (20_000 if args.quick else FULL_EVALUATIONS)
        _say(f"\n(c) memory: {evaluations:,} in-process evaluations after a warm-up ...")
        report["memory"] = inprocess.measure_memory(service, requests, evaluations, warmup=1_000 if args.quick else 20_000)
        _print_memory(report["memory"])
    if args.profile:
        report["profile_top"] = inprocess.profile_decisions(service, requests, args.profile)
        _say(f"\nprofile of {args.profile:,} in-process decisions (cProfile, by own time):\n{report['profile_top']}")
    if args.profile_http:
        from .wsgi_profile import profile_http

        report["http_profile"] = profile_http(args.profile_http, database_url=args.database_url, api_key=args.api_key)
        _print_http_profile(report["http_profile"])
    report["machine"]["load_average_at_end"] = _load()
    report["verdict"] = _verdict(report)
    _say("\ntargets: " + "; ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in report["verdict"].items()))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    _say(f"results written to {output}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: small counts, 2 s of HTTP load each")
    parser.add_argument("--evaluations", type=int,
                        help=f"evaluations for the memory part (default {FULL_EVALUATIONS:,}; quick 20,000)")
    parser.add_argument("--decisions", type=int, help="timed in-process decisions (default 50,000; quick 2,000)")
    parser.add_argument("--duration", type=float, help="seconds of HTTP load per server (default 10; quick 2)")
    parser.add_argument("--connections", type=int, help="concurrent HTTP connections (default: wrk 2 x workers x threads; python 2 x CPUs)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                        help="HTTP load generator: wrk if installed (auto), or Python keep-alive processes")
    parser.add_argument("--database-url", help="decision log database for the HTTP part (default: a throwaway SQLite file)")
    parser.add_argument("--api-key", help="a 'caller' API key in --database-url (made for the run in the throwaway database)")
    parser.add_argument("--skip-http", action="store_true", help="leave out part (b)")
    parser.add_argument("--skip-memory", action="store_true", help="leave out part (c)")
    parser.add_argument("--profile", type=int, nargs="?", const=20_000, default=0, metavar="N",
                        help="also print a cProfile of N in-process decisions (N defaults to 20,000)")
    parser.add_argument("--profile-http", type=int, nargs="?", const=2_000, default=0, metavar="N",
                        help="also time both apps in-process as WSGI calls and profile N /v1/triage requests (N: 2,000)")
    parser.add_argument("--output", default=str(RESULTS_DIR / "latest.json"), help="where to write the JSON results")
    return parser


def _print_latency(latency: dict) -> None:
    _say(f"\n(a) in-process, one thread, TriageService.decide over the request mix ({latency['decisions']:,} decisions)")
    _say(f"    {latency['decisions_per_second']:,.0f} decisions/s   ({latency['cpu_us_per_decision']:.1f} µs of CPU per decision)")
    _say(f"    median {latency['median_us']:.1f} µs   p95 {latency['p95_us']:.1f} µs   p99 {latency['p99_us']:.1f} µs"
         f"   (target: median ≤ {TARGET_MEDIAN_US:.0f} µs)")
    _say(f"    routes: {latency['routing_mix']}")


def _print_http(http: dict) -> None:
    g = http["gunicorn"]
    _say(f"    gunicorn.conf.py: {g['workers']} workers x {g['threads']} threads ({g['worker_class']}); {http['client']}, "
         f"{http['connections']} connections, {http['seconds']:.0f} s each; {http['cpus']} CPUs shared with the client; "
         f"decision log: {http['database']}")
    for name in ("triage", "bare"):
        part = http[name]
        latency = "  ".join(f"{k} {v:.1f} ms" for k, v in part["latency_ms"].items())
        _say(f"    {part['path']:<11} {part['requests_per_second']:>9,.0f} requests/s  ({part['requests']:,} requests, "
             f"{part['errors']} errors)  {latency}")
    _say(f"    ratio /v1/triage : bare = {http['ratio']:.1%}   (target: ≥ {TARGET_RATIO:.0%})")


def _print_memory(memory: dict) -> None:
    _say(f"    RSS {memory['rss_before_mb']:.1f} MB after warm-up -> {memory['rss_after_mb']:.1f} MB after "
         f"{memory['evaluations']:,} evaluations ({memory['seconds']:.0f} s)")
    _say(f"    growth {memory['rss_growth_mb']:+.2f} MB   (target: < {TARGET_RSS_GROWTH_MB:.0f} MB over {FULL_EVALUATIONS:,})")
    _say("    trail (evaluations: RSS MB): " + ", ".join(f"{p['evaluations']:,}: {p['rss_mb']:.1f}" for p in memory["trail"]))


def _print_http_profile(profile: dict) -> None:
    _say(f"\nHTTP in-process (WSGI calls, one thread, {profile['requests']:,} requests each):")
    _say(f"    /v1/triage {profile['triage_us']:,.0f} µs per request, bare endpoint {profile['bare_us']:,.0f} µs "
         f"(CPU-bound ratio {profile['bare_us'] / profile['triage_us']:.1%})")
    _say("    share of /v1/triage time: " + "; ".join(f"{k} {v:.0%}" for k, v in profile["phase_shares"].items()))
    _say(profile["profile_top"])


def _verdict(report: dict) -> dict:
    verdict = {"median": report["latency"]["median_us"] <= TARGET_MEDIAN_US}
    if "http" in report:
        verdict["http ratio"] = (report["http"]["ratio"] or 0) >= TARGET_RATIO
    if "memory" in report:
        full = report["memory"]["evaluations"] >= FULL_EVALUATIONS
        verdict["memory" if full else "memory (short run)"] = report["memory"]["rss_growth_mb"] < TARGET_RSS_GROWTH_MB
    return verdict


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _load() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def _say(text: str) -> None:
    print(text, flush=True)


if __name__ == "__main__":
    sys.exit(main())
