"""Rule test cases: YAML files in ``<rules>/tests/`` pairing an issue with what to expect.

    cases:
      - name: A local graffiti report stays at the CAT
        issue: {reference: T1, area: Blakenall, category: graffiti,
                first_reported: 2026-10-01, reports_last_6_months: 1, as_of: 2026-11-01}
        history: {times_triaged_before: 3, times_routed_to_cat_before: 3}   # optional
        expect:
          routing: cat
          lead: Street Pride
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ..rulebook.model import Problem
from ..rulebook.yaml_lines import LineDict, LineList, error_line, load_yaml

EXPECT_KEYS = {
    "routing": "the route code",
    "lead": "the lead agency's name",
    "reasons": "the rule ids behind the reasons, in order",
    "flags": "every flag code raised (an empty list means none)",
    "agencies": "agency names that must be involved, or a mapping of name to role",
    "also_recommended": "the other route codes that also held, in order",
    "review_required": "true or false",
    "fired": "rule ids that must fire",
    "not_fired": "rule ids that must not fire",
}
CASE_KEYS = ("name", "issue", "history", "expect")
HISTORY_KEYS = ("times_triaged_before", "times_routed_to_cat_before")


@dataclass
class Case:
    """One test case: an issue, its history, and the expected outcome."""

    name: str
    file: str
    line: int
    issue: dict
    history: dict | None
    expect: dict


@dataclass
class CaseFiles:
    """The cases read from a directory, and any problems with the files."""

    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_cases(rules_dir: str | Path) -> CaseFiles:
    """Every case in ``<rules_dir>/tests/*.yaml``."""
    found = CaseFiles()
    folder = Path(rules_dir) / "tests"
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.y*ml")):
        _read_file(f"tests/{path.name}", path.read_text(encoding="utf-8"), found)
    return found


def _read_file(name: str, text: str, found: CaseFiles) -> None:
    try:
        document = load_yaml(text)
    except yaml.YAMLError as error:
        found.problems.append(Problem(name, error_line(error), "-", f"YAML syntax: {getattr(error, 'problem', error)}"))
        return
    cases = document.get("cases") if isinstance(document, LineDict) else None
    if not isinstance(cases, LineList):
        found.problems.append(Problem(name, 1, "-", "a test file needs a 'cases:' list"))
        return
    for index, item in enumerate(cases):
        case = _case(name, item, cases.line_of(index), found.problems)
        if case is not None:
            found.cases.append(case)


def _case(file: str, item, line: int, problems: list[Problem]) -> Case | None:
    label = item.get("name") if isinstance(item, LineDict) else None
    label = label if isinstance(label, str) and label else f"case at line {line}"
    before = len(problems)
    if not isinstance(item, LineDict):
        problems.append(Problem(file, line, label, "a case must be a mapping with name, issue and expect"))
        return None
    for key in item:
        if key not in CASE_KEYS:
            problems.append(Problem(file, item.line_of(key), label, f"unknown key '{key}'. Allowed: {', '.join(CASE_KEYS)}"))
    for key in ("name", "issue", "expect"):
        if key not in item:
            problems.append(Problem(file, line, label, f"missing key '{key}'"))
    issue, expect, history = item.get("issue"), item.get("expect"), item.get("history")
    if not isinstance(issue, LineDict) or "as_of" not in issue:
        problems.append(Problem(file, item.line_of("issue"), label, "'issue' must be a mapping that includes as_of"))
    if not isinstance(expect, LineDict) or not expect:
        problems.append(Problem(file, item.line_of("expect"), label, "'expect' must say what to expect"))
    else:
        for key in expect:
            if key not in EXPECT_KEYS:
                problems.append(Problem(file, expect.line_of(key), label,
                                        f"unknown expectation '{key}'. Allowed: {', '.join(EXPECT_KEYS)}"))
    if history is not None and (not isinstance(history, LineDict) or set(history) - set(HISTORY_KEYS)):
        problems.append(Problem(file, item.line_of("history"), label, f"'history' may only give {', '.join(HISTORY_KEYS)}"))
    if len(problems) > before:
        return None
    return Case(label, file, line, _plain(issue), dict(history) if history else None, dict(expect))


def _plain(value):
    """YAML values as JSON would carry them (dates as ISO text)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
