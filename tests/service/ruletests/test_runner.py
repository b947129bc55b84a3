"""Running rule test cases: each expectation kind, coverage, and the shipped cases themselves."""

from __future__ import annotations

import pytest

from schemas import TriageRequestSchema
from service.ruletests import Case, load_cases, run_cases
from service.ruletests.runner import run_case
from tests.conftest import RULES_DIR
from tests.service.rulebook.broken import copy_rules

# A hate-motivated graffiti report: routed to the CAT, led by Street Pride, the police support, flagged for review.
ISSUE = {"category": "graffiti", "first_reported": "2026-10-01", "reports_last_6_months": 1, "hate_motivated": True,
         "as_of": "2026-11-01"}

MET = {
    "routing": ("routing", "cat"),
    "lead": ("lead", "Street Pride"),
    "reasons": ("reasons", ["cat_local_issue"]),
    "flags": ("flags", ["hate_incident"]),
    "agencies as a mapping": ("agencies", {"Neighbourhood Police Team": "support"}),
    "agencies as a list": ("agencies", ["Neighbourhood Police Team", "Street Pride"]),
    "also_recommended": ("also_recommended", []),
    "review_required": ("review_required", True),
    "fired": ("fired", ["agency_police_for_hate", "flag_hate_incident"]),
    "not_fired": ("not_fired", ["flag_vulnerable_victim"]),
}

NOT_MET = {  # expectation -> (what the case says, what the runner must report it got)
    "routing": ("routing", "borough_tasking", "cat"),
    "lead": ("lead", "Green Spaces", "Street Pride"),
    "reasons": ("reasons", ["bt_cat_requests_escalation"], ["cat_local_issue"]),
    "flags": ("flags", [], ["hate_incident"]),
    "agencies with the wrong role": ("agencies", {"Neighbourhood Police Team": "lead"}, {"Neighbourhood Police Team": "support"}),
    "agencies not involved": ("agencies", ["Fire Service"], {"Fire Service": "absent"}),
    "also_recommended": ("also_recommended", ["community_led_solution"], []),
    "review_required": ("review_required", False, True),
    "fired": ("fired", ["agency_police_for_hate", "flag_vulnerable_victim"], ["agency_police_for_hate"]),
    "not_fired": ("not_fired", ["flag_vulnerable_victim", "agency_police_for_hate"], ["agency_police_for_hate"]),
}


@pytest.fixture(scope="module")
def schema(book):
    """The request schema for the shipped categories."""
    return TriageRequestSchema(categories=book.categories)


def case(expect: dict, issue: dict | None = None, history: dict | None = None) -> Case:
    """A case built in code, as if read from tests/probe_test.yaml line 1."""
    return Case("probe", "tests/probe_test.yaml", 1, issue or ISSUE, history, expect)


# --- each expectation kind --------------------------------------------------------------


@pytest.mark.parametrize(("key", "wanted"), MET.values(), ids=MET.keys())
def test_an_expectation_that_holds_passes(triage_service, schema, key, wanted):
    result = run_case(case({key: wanted}), triage_service, schema)
    assert result.failures == []


@pytest.mark.parametrize(("key", "wanted", "got"), NOT_MET.values(), ids=NOT_MET.keys())
def test_an_expectation_that_fails_reports_expected_and_actual(triage_service, schema, key, wanted, got):
    result = run_case(case({key: wanted}), triage_service, schema)
    assert result.failures == [(key, wanted, got)]


def test_flags_are_compared_in_any_order(triage_service, schema):
    issue = {**ISSUE, "vulnerable_victim": True}
    assert run_case(case({"flags": ["vulnerable_victim", "hate_incident"]}, issue), triage_service, schema).passed


def test_reasons_are_compared_in_order(triage_service, schema):
    issue = {**ISSUE, "cat_requests_escalation": True, "other_areas_affected": ["Bloxwich"]}
    reversed_order = ["bt_cat_requests_escalation", "bt_spans_other_areas"]
    result = run_case(case({"reasons": reversed_order}, issue), triage_service, schema)
    assert result.failures == [("reasons", reversed_order, ["bt_spans_other_areas", "bt_cat_requests_escalation"])]


def test_every_failed_expectation_of_a_case_is_reported(triage_service, schema):
    result = run_case(case({"routing": "borough_tasking", "lead": "Green Spaces", "review_required": True}), triage_service, schema)
    assert [what for what, _, _ in result.failures] == ["routing", "lead"]


def test_a_case_history_is_used(triage_service, schema):
    issue = {**ISSUE, "hate_motivated": False}
    result = run_case(case({"routing": "borough_tasking"}, issue, {"times_routed_to_cat_before": 3}), triage_service, schema)
    assert result.passed


def test_an_invalid_issue_fails_the_case_and_says_why(triage_service, schema):
    result = run_case(case({"routing": "cat"}, {**ISSUE, "category": "grafitti"}), triage_service, schema)
    assert [(what, expected) for what, expected, _ in result.failures] == [("issue", "a valid issue")]


def test_an_issue_reported_after_as_of_fails_the_case(triage_service, schema):
    result = run_case(case({"routing": "cat"}, {**ISSUE, "first_reported": "2026-12-01"}), triage_service, schema)
    assert result.failures == [("issue", "a valid issue", {"first_reported": "must not be after as_of (2026-11-01)"})]


# --- a run over a directory: coverage and file problems ---------------------------------


@pytest.fixture
def one_case_dir(tmp_path):
    """The shipped rules with a single test case: a hate-motivated graffiti report."""
    directory = copy_rules(tmp_path)
    for path in (directory / "tests").glob("*.yaml"):
        path.unlink()
    (directory / "tests" / "only_test.yaml").write_text(
        "cases:\n  - name: Hate-motivated graffiti\n"
        "    issue: {category: graffiti, first_reported: 2026-10-01, reports_last_6_months: 1, hate_motivated: true, as_of: 2026-11-01}\n"
        "    expect: {routing: cat}\n")
    return directory


def test_coverage_lists_the_rules_no_case_fires(book, triage_service, one_case_dir):
    run = run_cases(book, triage_service, rules_dir=str(one_case_dir))
    assert {"bt_cat_requests_escalation", "cls_recommended", "flag_vulnerable_victim", "agency_table_noise"} <= set(run.uncovered)


def test_coverage_leaves_out_the_rules_a_case_fires(book, triage_service, one_case_dir):
    run = run_cases(book, triage_service, rules_dir=str(one_case_dir))
    assert {"cat_local_issue", "flag_hate_incident", "agency_police_for_hate", "agency_table_graffiti"} & set(run.uncovered) == set()


def test_coverage_lists_uncovered_rules_in_book_order(book, triage_service, one_case_dir):
    run = run_cases(book, triage_service, rules_dir=str(one_case_dir))
    order = [rule.id for rule in book.rules]
    assert run.uncovered == sorted(run.uncovered, key=order.index)


def test_a_run_with_a_case_file_problem_does_not_pass(book, triage_service, one_case_dir):
    (one_case_dir / "tests" / "broken_test.yaml").write_text("cases: [\n")
    run = run_cases(book, triage_service, rules_dir=str(one_case_dir))
    assert (run.passed, [p.file for p in run.problems]) == (False, ["tests/broken_test.yaml"])


def test_a_run_with_a_failing_case_does_not_pass(book, triage_service, one_case_dir):
    path = one_case_dir / "tests" / "only_test.yaml"
    path.write_text(path.read_text().replace("routing: cat", "routing: borough_tasking"))
    run = run_cases(book, triage_service, rules_dir=str(one_case_dir))
    assert (run.passed, [result.case.name for result in run.failed]) == (False, ["Hate-motivated graffiti"])


# --- the shipped test cases in rules/tests, run by pytest -------------------------------

SHIPPED = load_cases(RULES_DIR)


def test_the_shipped_case_files_have_no_problems():
    assert [str(problem) for problem in SHIPPED.problems] == []


@pytest.mark.parametrize("shipped_case", SHIPPED.cases, ids=[f"{c.file}:{c.line}" for c in SHIPPED.cases])
def test_shipped_rule_case_passes(triage_service, schema, shipped_case):
    result = run_case(shipped_case, triage_service, schema)
    assert result.failures == [], f"{shipped_case.name}: {result.failures}"


def test_the_shipped_cases_fire_every_shipped_rule(book, triage_service):
    assert run_cases(book, triage_service).uncovered == []
