"""Run rule test cases against a rule book and report failures and coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from marshmallow import ValidationError

from schemas import TriageRequestSchema

from ..rulebook.model import Problem, RuleBook
from ..triage import InvalidRequest, TriageService
from .cases import Case, load_cases


@dataclass
class CaseResult:
    """One case's outcome: each failed expectation as (what, expected, actual)."""

    case: Case
    failures: list[tuple[str, object, object]] = field(default_factory=list)
    decision: dict | None = None

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.failures


@dataclass
class TestRun:
    """All case results, file problems, and the rules no case fired."""

    results: list[CaseResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every case passed and every test file could be read."""
        return not self.problems and all(result.passed for result in self.results)

    @property
    def failed(self) -> list[CaseResult]:
        """The cases that failed."""
        return [result for result in self.results if not result.passed]


def run_cases(book: RuleBook, service: TriageService | None = None, rules_dir: str | None = None) -> TestRun:
    """Run the cases in ``<rules_dir>/tests`` (default: the book's own directory)."""
    files = load_cases(rules_dir or book.directory)
    service = service or TriageService(book)
    schema = TriageRequestSchema(categories=book.categories)
    run = TestRun(problems=list(files.problems))
    for case in files.cases:
        run.results.append(run_case(case, service, schema))
    fired = {rule for result in run.results if result.decision for rule in result.decision["rules_fired"]}
    run.uncovered = [rule.id for rule in book.rules if rule.id not in fired]
    return run


def run_case(case: Case, service: TriageService, schema: TriageRequestSchema) -> CaseResult:
    """Decide one case's issue and compare with what it expects."""
    try:
        request = schema.load({"reference": "rule-test", "area": "Test area", **case.issue})
        now = datetime.combine(request["as_of"], time(12), tzinfo=UTC)
        decision = service.decide(request, now, history=_history(case.history))
    except ValidationError as error:
        return CaseResult(case, [("issue", "a valid issue", error.messages)])
    except InvalidRequest as error:
        return CaseResult(case, [("issue", "a valid issue", {error.field: error.message})])
    return CaseResult(case, compare(case.expect, decision), decision)


def _history(history: dict | None) -> dict | None:
    if history is None:
        return None
    return {"times_triaged_before": 0, "times_routed_to_cat_before": 0, **history}


def compare(expect: dict, decision: dict) -> list[tuple[str, object, object]]:
    """Each expectation that the decision does not meet, as (what, expected, actual)."""
    actual = observed(decision)
    failures = []
    for key, wanted in expect.items():
        got = actual[key]
        if key == "agencies":
            got = _agencies_seen(wanted, decision)
            ok = got == _agencies_wanted(wanted)
        elif key == "flags":
            ok = sorted(got) == sorted(wanted)
        elif key == "fired":
            got = [rule for rule in wanted if rule in actual["fired"]]
            ok = got == list(wanted)
        elif key == "not_fired":
            got = [rule for rule in wanted if rule in actual["fired"]]
            ok = not got
        else:
            ok = got == wanted
        if not ok:
            failures.append((key, wanted, got))
    return failures


def observed(decision: dict) -> dict:
    """The parts of a decision that expectations talk about."""
    return {
        "routing": decision["routing"],
        "lead": next(agency["name"] for agency in decision["agencies"] if agency["role"] == "lead"),
        "reasons": [reason["rule"] for reason in decision["reasons"]],
        "flags": [flag["code"] for flag in decision["flags"]],
        "agencies": {agency["name"]: agency["role"] for agency in decision["agencies"]},
        "also_recommended": [route["routing"] for route in decision["also_recommended"]],
        "review_required": decision["review_required"],
        "fired": decision["rules_fired"],
        "not_fired": decision["rules_fired"],
    }


def _agencies_wanted(wanted) -> dict:
    if isinstance(wanted, dict):
        return dict(wanted)
    return {name: "involved" for name in wanted}


def _agencies_seen(wanted, decision: dict) -> dict:
    roles = {agency["name"]: agency["role"] for agency in decision["agencies"]}
    names = wanted if isinstance(wanted, list) else list(wanted)
    if isinstance(wanted, dict):
        return {name: roles.get(name, "absent") for name in names}
    return {name: "involved" if name in roles else "absent" for name in names}
