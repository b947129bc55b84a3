"""flask rules check|test|diff: the policy officer's walkthrough, broken files, warnings."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import text

from service.ruletests import load_cases
from tests.conftest import make_issue
from tests.service.rulebook.broken import (
    BROKEN,
    BROKEN_IDS,
    CHANGED_CASE,
    NEVER_FIRES,
    SHADOWED,
    UNKNOWN_FACT,
    changed_case_line,
    raise_persistence_threshold,
    update_changed_case,
)
from tests.service.rulebook.test_loader import append, line_of
from tests.service.rulesets.apps import persistent_for_three_months, triage

CSV_HEADER = ["source", "reference", "item", "routing_live", "routing_candidate", "flags_added", "flags_removed",
              "agencies_added", "agencies_removed", "rules_now_firing", "rules_no_longer_firing", "error"]
CHANGE_LINE = re.compile(r"^- (?P<source>decision|test case) (?P<reference>\S+) \[(?P<item>[^\]]+)\]: ")


@pytest.fixture
def four_months(rules_copy):
    """The copy with persistence raised from 3 to 4 months."""
    raise_persistence_threshold(rules_copy)
    return rules_copy


def rules(app, *args):
    """Run ``flask rules ...`` in the app."""
    return app.test_cli_runner().invoke(args=["rules", *map(str, args)])


def lines_starting(output: str, prefix: str) -> list[str]:
    """The output lines that start with ``prefix``."""
    return [line for line in output.splitlines() if line.startswith(prefix)]


# --- the walkthrough: persistence from 3 to 4 months ------------------------------------


def test_walkthrough_1_check_passes_after_raising_the_threshold(app, four_months):
    result = rules(app, "check", four_months)
    assert (result.exit_code, result.output.strip()) == (0, f"{four_months}: OK, no errors (0 warning(s)).")


def test_walkthrough_2_test_fails(app, four_months):
    assert rules(app, "test", four_months).exit_code == 1


def test_walkthrough_2_test_names_the_case_that_changes_with_its_file_and_line(app, four_months):
    output = rules(app, "test", four_months).output
    assert lines_starting(output, "FAIL ") == [f"FAIL tests/routing_test.yaml:{changed_case_line(four_months)}: {CHANGED_CASE}"]


def test_walkthrough_2_test_shows_expected_against_actual(app, four_months):
    output = rules(app, "test", four_months).output
    assert "    routing: expected 'community_led_solution', got 'cat'" in output.splitlines()


def test_walkthrough_2_test_counts_one_failure(app, four_months):
    total = len(load_cases(four_months).cases)
    assert f"{total - 1} passed, 1 failed" in rules(app, "test", four_months).output.splitlines()


def test_walkthrough_3_test_passes_once_the_case_is_updated(app, four_months):
    update_changed_case(four_months)
    assert rules(app, "test", four_months).exit_code == 0


@pytest.fixture
def recorded(client):
    """Decisions recorded on the shipped (live) rules, by reference."""
    issues = [persistent_for_three_months(reference="CLS-1"),
              make_issue(reference="PREREQ-1", category="noise", first_reported="2026-07-15", reports_last_6_months=3),
              make_issue(reference="QUIET-1")]
    return {issue["reference"]: triage(client, issue) for issue in issues}


def text_rows(output: str) -> list[tuple]:
    """(source, reference, item) of each change the text diff lists."""
    return [(m["source"], m["reference"], m["item"]) for m in map(CHANGE_LINE.match, output.splitlines()) if m]


def decision_line(output: str, reference: str) -> str:
    """The one line the text diff gives a recorded decision."""
    (line,) = lines_starting(output, f"- decision {reference} ")
    return line


def test_walkthrough_4_diff_lists_the_affected_recorded_references(app, recorded, four_months):
    update_changed_case(four_months)
    result = rules(app, "diff", four_months)
    assert {ref for source, ref, _ in text_rows(result.output) if source == "decision"} == {"CLS-1", "PREREQ-1"}


def test_walkthrough_4_diff_names_each_decision_id(app, recorded, four_months):
    output = rules(app, "diff", four_months).output
    assert f"[{recorded['CLS-1']['decision_id']}]" in decision_line(output, "CLS-1")


def test_walkthrough_4_diff_names_the_routing_change_and_the_rules_responsible(app, recorded, four_months):
    line = decision_line(rules(app, "diff", four_months).output, "CLS-1")
    assert "routing community_led_solution -> cat" in line
    assert line.endswith("(rules: -cls_recommended, -derived_persistent)")


def test_walkthrough_4_diff_names_a_flag_change(app, recorded, four_months):
    line = decision_line(rules(app, "diff", four_months).output, "PREREQ-1")
    assert "-flag cls_prerequisite_missing" in line
    assert "-cat_cls_prerequisite_missing" in line


def test_walkthrough_4_diff_counts_the_changes(app, recorded, four_months):
    output = rules(app, "diff", four_months).output
    assert "Changes: 2 routing(s), 1 flag set(s), 2 agency set(s)." in output.splitlines()


def test_walkthrough_4_diff_as_csv_starts_with_a_header(app, recorded, four_months):
    result = rules(app, "diff", four_months, "--format", "csv")
    assert (result.exit_code, next(csv.reader(io.StringIO(result.output)))) == (0, CSV_HEADER)


def test_walkthrough_4_diff_as_csv_has_the_same_rows_as_the_text(app, recorded, four_months):
    as_text = text_rows(rules(app, "diff", four_months).output)
    as_csv = [(row["source"], row["reference"], row["item"]) for row in csv.DictReader(io.StringIO(rules(
        app, "diff", four_months, "--format", "csv").output))]
    assert as_csv == as_text and len(as_csv) == 3


def test_walkthrough_4_diff_as_csv_gives_routing_and_rules_in_columns(app, recorded, four_months):
    output = rules(app, "diff", four_months, "--format", "csv").output
    row = next(row for row in csv.DictReader(io.StringIO(output)) if row["reference"] == "CLS-1")
    assert (row["routing_live"], row["routing_candidate"], row["rules_no_longer_firing"]) == (
        "community_led_solution", "cat", "cls_recommended derived_persistent")


def test_walkthrough_4_diff_since_leaves_out_older_decisions(app, recorded, four_months):
    with app.extensions["database"].engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET evaluated_at = '2020-01-01 00:00:00' WHERE reference = 'PREREQ-1'"))
    output = rules(app, "diff", four_months, "--since", "2025-01-01").output
    assert {ref for source, ref, _ in text_rows(output) if source == "decision"} == {"CLS-1"}


def test_diff_refuses_a_since_that_is_not_a_date(app, four_months):
    assert rules(app, "diff", four_months, "--since", "last week").exit_code == 2


def test_diff_of_a_broken_candidate_exits_1_and_names_the_problem(app, rules_copy):
    UNKNOWN_FACT.apply(rules_copy)
    result = rules(app, "diff", rules_copy)
    assert result.exit_code == 1
    assert UNKNOWN_FACT.message in result.output


# --- rules check: each broken kind --------------------------------------------------------


@pytest.mark.parametrize("broken", BROKEN, ids=BROKEN_IDS)
def test_check_exits_1_on_a_broken_file(app, rules_copy, broken):
    broken.apply(rules_copy)
    assert rules(app, "check", rules_copy).exit_code == 1


@pytest.mark.parametrize("broken", BROKEN, ids=BROKEN_IDS)
def test_check_prints_file_line_rule_and_message(app, rules_copy, broken):
    broken.apply(rules_copy)
    printed = lines_starting(rules(app, "check", rules_copy).output, broken.prefix(rules_copy))
    assert any(broken.message in line for line in printed), rules(app, "check", rules_copy).output


def test_check_without_a_directory_checks_the_apps_rules(app_on, rules_copy):
    app = app_on(rules_copy)
    UNKNOWN_FACT.apply(rules_copy)
    assert rules(app, "check").exit_code == 1


def test_check_of_the_shipped_rules_passes(app):
    assert rules(app, "check").exit_code == 0


def test_check_summarises_the_errors(app, rules_copy):
    UNKNOWN_FACT.apply(rules_copy)
    assert rules(app, "check", rules_copy).output.splitlines()[-1] == f"{rules_copy}: 1 error(s), 0 warning(s)."


# --- rules check: warnings ----------------------------------------------------------------


def test_check_prints_a_never_fire_warning(app, rules_copy):
    append(rules_copy, "flags.yaml", NEVER_FIRES)
    line = line_of(rules_copy, "flags.yaml", "id: flag_never")
    expected = f"flags.yaml:{line}: flag_never: warning: can never fire: its conditions contradict each other"
    assert expected in rules(app, "check", rules_copy).output.splitlines()


def test_check_prints_a_shadowing_warning(app, rules_copy):
    append(rules_copy, "routing.yaml", SHADOWED)
    line = line_of(rules_copy, "routing.yaml", "id: cat_when_cat_asks_to_escalate")
    assert lines_starting(rules(app, "check", rules_copy).output,
                          f"routing.yaml:{line}: cat_when_cat_asks_to_escalate: warning: never decides the route")


def test_check_with_only_warnings_exits_0(app, rules_copy):
    append(rules_copy, "flags.yaml", NEVER_FIRES)
    append(rules_copy, "routing.yaml", SHADOWED)
    result = rules(app, "check", rules_copy)
    assert (result.exit_code, result.output.splitlines()[-1]) == (0, f"{rules_copy}: OK, no errors (2 warning(s)).")


# --- rules test: problems and coverage ------------------------------------------------------


def test_test_of_the_shipped_rules_passes_with_full_coverage(app, book):
    result = rules(app, "test")
    coverage = f"Coverage: every one of the {len(book.rules)} rules is fired by some test case."
    assert (result.exit_code, result.output.splitlines()[-1]) == (0, coverage)


def test_test_lists_the_rules_no_case_fires(app, rules_copy):
    (rules_copy / "tests" / "flags_test.yaml").unlink()
    uncovered = lines_starting(rules(app, "test", rules_copy).output, "Rules no test case fires")
    assert uncovered == [
        "Rules no test case fires (3): agency_police_for_hate, flag_vulnerable_victim, flag_high_crime_area"]


def test_test_prints_a_case_file_problem_with_its_line_and_exits_1(app, rules_copy):
    (rules_copy / "tests" / "extra_test.yaml").write_text("cases:\n  - name: No date\n    issue: {category: noise}\n"
                                                          "    expect: {routing: cat}\n")
    result = rules(app, "test", rules_copy)
    assert result.exit_code == 1
    assert "tests/extra_test.yaml:3: No date: 'issue' must be a mapping that includes as_of" in result.output.splitlines()


def test_test_of_broken_rules_exits_1_and_prints_the_problem(app, rules_copy):
    UNKNOWN_FACT.apply(rules_copy)
    result = rules(app, "test", rules_copy)
    assert result.exit_code == 1
    assert lines_starting(result.output, UNKNOWN_FACT.prefix(rules_copy))
