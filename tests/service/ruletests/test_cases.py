"""Reading rule test case files: good cases load, bad ones say file, line and case."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.ruletests import load_cases
from tests.service.rulebook.test_loader import line_of

FILE = "tests/cases_test.yaml"
GOOD = """\
cases:
  - name: Graffiti stays at the CAT
    issue: {category: graffiti, first_reported: 2026-10-01, reports_last_6_months: 1, as_of: 2026-11-01}
    history: {times_triaged_before: 1}
    expect:
      routing: cat
"""


def write_cases(directory: Path, text: str, name: str = "cases_test.yaml") -> Path:
    """A test case file in ``directory/tests``."""
    folder = directory / "tests"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return directory


def problems(directory: Path) -> list[tuple]:
    """(file, line, case, message) of each problem in the case files."""
    return [(p.file, p.line, p.rule, p.message) for p in load_cases(directory).problems]


def only_problem(directory: Path) -> tuple:
    """The one problem in the case files."""
    found = problems(directory)
    assert len(found) == 1, found
    return found[0]


# --- good files -------------------------------------------------------------------------


def test_a_case_is_read_with_its_name_file_and_line(tmp_path):
    case = load_cases(write_cases(tmp_path, GOOD)).cases[0]
    assert (case.name, case.file, case.line) == ("Graffiti stays at the CAT", FILE, 2)


def test_dates_in_an_issue_are_read_as_iso_text(tmp_path):
    case = load_cases(write_cases(tmp_path, GOOD)).cases[0]
    assert (case.issue["first_reported"], case.issue["as_of"]) == ("2026-10-01", "2026-11-01")


def test_history_and_expectations_are_read(tmp_path):
    case = load_cases(write_cases(tmp_path, GOOD)).cases[0]
    assert (case.history, case.expect) == ({"times_triaged_before": 1}, {"routing": "cat"})


def test_a_good_file_has_no_problems(tmp_path):
    assert problems(write_cases(tmp_path, GOOD)) == []


def test_files_are_read_in_name_order(tmp_path):
    write_cases(tmp_path, GOOD.replace("Graffiti stays", "B graffiti stays"), name="b_test.yaml")
    write_cases(tmp_path, GOOD.replace("Graffiti stays", "A graffiti stays"), name="a_test.yaml")
    assert [case.file for case in load_cases(tmp_path).cases] == ["tests/a_test.yaml", "tests/b_test.yaml"]


def test_a_directory_without_tests_has_no_cases_and_no_problems(tmp_path):
    found = load_cases(tmp_path)
    assert (found.cases, found.problems) == ([], [])


def test_a_bad_case_does_not_hide_the_good_ones(tmp_path):
    text = GOOD + "  - name: Broken\n    expect: {routing: cat}\n"
    assert [case.name for case in load_cases(write_cases(tmp_path, text)).cases] == ["Graffiti stays at the CAT"]


# --- problems, each with file:line ------------------------------------------------------


def test_an_issue_without_as_of_is_a_problem_at_the_issue_line(tmp_path):
    write_cases(tmp_path, GOOD.replace(", as_of: 2026-11-01", ""))
    assert only_problem(tmp_path) == (FILE, 3, "Graffiti stays at the CAT", "'issue' must be a mapping that includes as_of")


def test_an_unknown_expectation_is_a_problem_at_its_line(tmp_path):
    write_cases(tmp_path, GOOD + "      route: cat\n")
    file, line, case, message = only_problem(tmp_path)
    assert (file, line, case) == (FILE, line_of(tmp_path, FILE, "route: cat"), "Graffiti stays at the CAT")
    assert message.startswith("unknown expectation 'route'. Allowed: routing, lead, reasons")


def test_bad_yaml_is_a_problem_at_the_line_yaml_points_to(tmp_path):
    write_cases(tmp_path, GOOD.replace("      routing: cat\n", "      routing: cat: oops\n"))
    file, line, case, message = only_problem(tmp_path)
    assert (file, line, case) == (FILE, line_of(tmp_path, FILE, "cat: oops"), "-")
    assert message.startswith("YAML syntax:")


def test_a_file_without_a_cases_list_is_a_problem(tmp_path):
    write_cases(tmp_path, "tests:\n  - name: x\n")
    assert only_problem(tmp_path) == (FILE, 1, "-", "a test file needs a 'cases:' list")


def test_an_unknown_case_key_is_a_problem_at_its_line(tmp_path):
    write_cases(tmp_path, GOOD.replace("    history:", "    notes: why\n    history:"))
    file, line, _, message = only_problem(tmp_path)
    assert (file, line) == (FILE, line_of(tmp_path, FILE, "notes: why"))
    assert message.startswith("unknown key 'notes'")


def test_a_case_without_expect_is_a_problem(tmp_path):
    write_cases(tmp_path, GOOD[: GOOD.index("    expect:")])
    assert (FILE, 2, "Graffiti stays at the CAT", "missing key 'expect'") in problems(tmp_path)


def test_a_case_with_an_empty_expect_is_a_problem(tmp_path):
    write_cases(tmp_path, GOOD.replace("    expect:\n      routing: cat\n", "    expect: {}\n"))
    assert only_problem(tmp_path) == (FILE, 5, "Graffiti stays at the CAT", "'expect' must say what to expect")


def test_history_with_an_unknown_key_is_a_problem(tmp_path):
    write_cases(tmp_path, GOOD.replace("{times_triaged_before: 1}", "{times_escalated: 1}"))
    file, line, _, message = only_problem(tmp_path)
    assert (file, line) == (FILE, 4)
    assert message.startswith("'history' may only give times_triaged_before")


def test_a_case_without_a_name_is_labelled_by_its_line(tmp_path):
    write_cases(tmp_path, GOOD.replace("  - name: Graffiti stays at the CAT\n    issue:", "  - issue:"))
    assert only_problem(tmp_path)[2] == "case at line 2"


@pytest.mark.parametrize("item", ["just text", "[1, 2]"])
def test_a_case_that_is_not_a_mapping_is_a_problem(tmp_path, item):
    write_cases(tmp_path, f"cases:\n  - {item}\n")
    assert only_problem(tmp_path)[:3] == (FILE, 2, "case at line 2")
