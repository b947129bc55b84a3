"""The benchmark's in-process part runs and gives numbers (no timing is asserted)."""

import json
import numbers
from datetime import UTC, datetime

from bench import inprocess, workload
from bench.run import main, run_inprocess


def test_quick_in_process_run_gives_positive_figures():
    results = run_inprocess(quick=True, decisions=300, evaluations=1_000)

    latency = results["latency"]
    for key in ("decisions_per_second", "median_us", "p95_us", "p99_us", "mean_us", "seconds"):
        assert isinstance(latency[key], numbers.Real) and latency[key] > 0, key
    assert latency["median_us"] <= latency["p95_us"] <= latency["p99_us"]
    assert sum(latency["routing_mix"].values()) == latency["decisions"] == 300

    memory = results["memory"]
    assert memory["evaluations"] == 1_000
    assert memory["rss_before_mb"] > 0 and memory["rss_after_mb"] > 0
    assert isinstance(memory["rss_growth_mb"], numbers.Real)
    assert [point["evaluations"] for point in memory["trail"]][-1] == 1_000


def test_every_issue_in_the_mix_goes_where_its_label_says():
    service, requests = inprocess.build_service()
    expected = {body["reference"]: label.split(":")[0].split()[0] for _, label, body in workload.MIX}
    for request in requests:
        decision = service.decide(request, now=datetime.now(UTC))
        assert decision["routing"] == expected[request["reference"]], request["reference"]


def test_quick_command_line_run_writes_its_results(tmp_path):
    output = tmp_path / "latest.json"
    assert main(["--quick", "--skip-http", "--decisions", "200", "--evaluations", "500", "--output", str(output)]) == 0
    report = json.loads(output.read_text())
    assert report["latency"]["decisions_per_second"] > 0
    assert report["memory"]["evaluations"] == 500
    assert set(report["verdict"]) == {"median", "memory (short run)"}
