"""In-process figures: TriageService.decide speed, and memory over many evaluations."""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from .workload import validated_requests

ROOT = Path(__file__).resolve().parent.parent


def build_service(rules_dir: str | Path | None = None):
    """A TriageService on the default rules, and the requests of the mix, validated by the API schema."""
    from schemas import TriageRequestSchema
    from service.rulebook import load_rulebook
    from service.triage import TriageService

    service = TriageService(load_rulebook(rules_dir or ROOT / "rules"))
    requests = validated_requests(TriageRequestSchema(categories=service.categories))
    return service, requests


def measure_latency(service, requests: list[dict], decisions: int, warmup: int) -> dict:
    """Decisions per second and per-decision latency, one thread, over the request mix."""
    now = datetime.now(UTC)
    decide = service.decide
    count = len(requests)
    routes = Counter()
    for i in range(warmup):
        decide(requests[i % count], now)
    timings = [0] * decisions
    clock = time.perf_counter_ns
    cpu_started = time.thread_time_ns()
    started = clock()
    for i in range(decisions):
        t0 = clock()
        decision = decide(requests[i % count], now)
        timings[i] = clock() - t0
        routes[decision["routing"]] += 1
    elapsed = (clock() - started) / 1e9
    cpu = (time.thread_time_ns() - cpu_started) / 1e3 / decisions
    timings.sort()
    return {
        "decisions": decisions,
        "seconds": round(elapsed, 3),
        "decisions_per_second": round(decisions / elapsed, 1),
        "median_us": round(statistics.median(timings) / 1000, 1),
        "p95_us": round(_percentile(timings, 0.95) / 1000, 1),
        "p99_us": round(_percentile(timings, 0.99) / 1000, 1),
        "mean_us": round(statistics.fmean(timings) / 1000, 1),
        "cpu_us_per_decision": round(cpu, 1),  # this thread's CPU time: less sensitive to other processes
        "routing_mix": dict(routes),
    }


def measure_memory(service, requests: list[dict], evaluations: int, warmup: int, checkpoints: int = 10) -> dict:
    """Resident memory after a warm-up, and after ``evaluations`` more decisions."""
    now = datetime.now(UTC)
    decide = service.decide
    count = len(requests)
    for i in range(warmup):
        decide(requests[i % count], now)
    gc.collect()
    before = rss_bytes()
    step = max(evaluations // checkpoints, 1)
    trail = []
    started = time.perf_counter()
    done = 0
    while done < evaluations:
        chunk = min(step, evaluations - done)
        for i in range(done, done + chunk):
            decide(requests[i % count], now)
        done += chunk
        trail.append({"evaluations": done, "rss_mb": _mb(rss_bytes())})
    elapsed = time.perf_counter() - started
    gc.collect()
    after = rss_bytes()
    return {
        "evaluations": evaluations,
        "warmup": warmup,
        "seconds": round(elapsed, 1),
        "rss_before_mb": _mb(before),
        "rss_after_mb": _mb(after),
        "rss_growth_mb": _mb(after - before),
        "trail": trail,
    }


def profile_decisions(service, requests: list[dict], decisions: int, top: int = 20) -> str:
    """A cProfile of ``decisions`` decisions, the ``top`` functions by own time, as text."""
    import cProfile
    import io
    import pstats

    now = datetime.now(UTC)
    count = len(requests)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(decisions):
        service.decide(requests[i % count], now)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def rss_bytes() -> int:
    """This process's resident set size now (not the peak)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: fall back to the peak, which can only overstate growth
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _percentile(sorted_values: list[int], fraction: float) -> float:
    index = min(int(round(fraction * (len(sorted_values) - 1))), len(sorted_values) - 1)
    return sorted_values[index]


def _mb(value: int) -> float:
    return round(value / (1024 * 1024), 2)
