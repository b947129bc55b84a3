"""Schemathesis against the service's own OpenAPI spec, with a valid admin key.

Every operation gets Schemathesis' deterministic coverage cases (boundary values,
each constraint broken in turn, and methods the spec does not list) and a
derandomized Hypothesis run of positive and negative cases. Each response must:
not be a 5xx; match the spec's status codes, content types and schemas; refuse
any request the spec forbids; refuse methods it does not list; and need the key.

Findings not yet fixed are listed in FINDINGS: each is left out of the main runs
for its operation only, and reproduced exactly by an xfail test of its own.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from service.auth import create_key
from tests.conftest import RULES_DIR
from tests.service.auth.support import bearer, make_app, module_database

CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, unsupported_method, ignored_auth)
OPERATIONS = (
    "GET /healthz",
    "POST /v1/triage",
    "POST /v1/triage/batch",
    "GET /v1/decisions",
    "GET /v1/decisions/{decision_id}",
    "GET /v1/rulesets/active",
    "POST /v1/rulesets/validate",
    "POST /v1/rulesets/reload",
    "GET /v1/keys",
    "POST /v1/keys",
    "DELETE /v1/keys/{name}",
    "GET /v1/audit",
)
NOT_FUZZED = {"POST /v1/rulesets/reload"}  # loads and tests the whole rule directory per call: see test_reload_*
HAS_INPUT = {"POST /v1/triage", "POST /v1/triage/batch", "GET /v1/decisions", "POST /v1/rulesets/validate",
             "POST /v1/keys", "GET /v1/audit"}  # the others have nothing a negative case could break
FUZZ = settings(max_examples=25, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck))


@dataclass(frozen=True)
class Finding:
    """A check an operation fails today, why, and the request that shows it."""

    operation: str
    check: object
    reason: str
    query: dict | None = None
    active: bool = True  # False where the bug does not show (e.g. only on SQLite)


FINDINGS: tuple[Finding, ...] = ()


def checks_for(operation: str) -> list:
    """Every check, less the findings that still fail for this operation."""
    failing = {finding.check for finding in FINDINGS if finding.operation == operation and finding.active}
    return [check for check in CHECKS if check not in failing]


# --- the app and its spec ------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_app(database_template, tmp_path_factory):
    """The app on its own database; rate limits off, as Schemathesis sends hundreds of requests a minute."""
    with module_database(database_template, tmp_path_factory.mktemp("schemathesis")) as url:
        app = make_app(url, RATELIMIT_ENABLED=False)
        yield app
        app.extensions["database"].dispose()


@pytest.fixture(scope="module")
def auth(api_app):
    """A valid admin key's header."""
    return bearer(create_key(api_app.extensions["database"], "schemathesis-admin", "admin", actor="tests"))


@pytest.fixture(scope="module")
def api_schema(api_app):
    """The spec as the app serves it."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", api_app)
    schema.config.generation.update(with_security_parameters=False)  # the key is ours: see ``auth``
    return schema


def call_and_check(case, auth, checks) -> None:
    """Send a case with the key and run the checks; fail with Schemathesis' report."""
    __tracebackhide__ = True
    try:
        case.call_and_validate(headers=auth, checks=checks)
    except FailureGroup as failures:
        raise AssertionError(str(failures)) from None


def test_every_operation_in_the_spec_is_tested(api_schema):
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels == set(OPERATIONS)


# --- coverage cases: deterministic, including methods the spec does not list ---------------


@pytest.mark.parametrize("label", sorted(set(OPERATIONS) - NOT_FUZZED))
def test_coverage_cases_pass_every_check(api_schema, auth, label):
    operation = api_schema.find_operation_by_label(label)
    checks, failures = checks_for(label), []
    cases = api_schema.iter_coverage_cases(operation, generation_modes=list(GenerationMode),
                                           generation_config=api_schema.config.generation)
    for case in cases:
        try:
            call_and_check(case, auth, checks)
        except AssertionError as failure:
            failures.append(str(failure))
    assert not failures, f"{len(failures)} failing case(s); the first:\n" + "\n".join(failures[:2])


# --- fuzzed cases: derandomized Hypothesis, positive and negative --------------------------

FUZZED = [pytest.param(label, mode, id=f"{label} {mode.value}")
          for label in OPERATIONS if label not in NOT_FUZZED
          for mode in GenerationMode if mode is GenerationMode.POSITIVE or label in HAS_INPUT]


@pytest.mark.parametrize(("label", "mode"), FUZZED)
def test_fuzzed_cases_pass_every_check(api_schema, auth, label, mode):
    operation = api_schema.find_operation_by_label(label)
    checks = checks_for(label)

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        call_and_check(case, auth, checks)

    run()


@pytest.fixture(scope="module")
def categories(api_app):
    """The live category codes: random ones are almost always refused, so few random requests reach the rules."""
    return sorted(api_app.extensions["triage"].categories)


def test_fuzzed_triage_with_known_categories_passes_every_check(api_schema, auth, categories):
    operation = api_schema.find_operation_by_label("POST /v1/triage")
    checks = checks_for("POST /v1/triage")

    @FUZZ
    @given(case=operation.as_strategy(), category=st.sampled_from(categories))
    def run(case, category):
        case.body["category"] = category
        call_and_check(case, auth, checks)

    run()


def test_fuzzed_batches_with_known_categories_pass_every_check(api_schema, auth, categories):
    single = api_schema.find_operation_by_label("POST /v1/triage").as_strategy()
    batch = api_schema.find_operation_by_label("POST /v1/triage/batch")
    checks = checks_for("POST /v1/triage/batch")

    @FUZZ
    @given(items=st.lists(st.tuples(single, st.sampled_from(categories)), min_size=1, max_size=4))
    def run(items):
        body = [{**case.body, "category": category} for case, category in items]
        call_and_check(batch.Case(body={"items": body}, media_type="application/json"), auth, checks)

    run()


# --- the reload endpoint: one success, one refusal ------------------------------------------


def test_reload_conforms_when_it_loads(api_schema, auth):
    case = api_schema.find_operation_by_label("POST /v1/rulesets/reload").Case()
    call_and_check(case, auth, checks_for("POST /v1/rulesets/reload"))


@pytest.fixture
def broken_rules_app(database_template, tmp_path):
    """An app whose rule directory is broken after start-up, so a reload is refused."""
    rules = shutil.copytree(RULES_DIR, tmp_path / "rules")
    with module_database(database_template, tmp_path) as url:
        app = make_app(url, RULES_DIR=str(rules), RATELIMIT_ENABLED=False)
        with open(rules / "ruleset.yaml", "a") as handle:
            handle.write("\nnot_a_section: 1\n")
        yield app
        app.extensions["database"].dispose()


def test_reload_conforms_when_it_refuses(broken_rules_app):
    auth = bearer(create_key(broken_rules_app.extensions["database"], "officer", "officer", actor="tests"))
    schema = schemathesis.openapi.from_wsgi("/openapi.json", broken_rules_app)
    case = schema.find_operation_by_label("POST /v1/rulesets/reload").Case()
    response = case.call(headers=auth)
    assert response.status_code == 422
    case.validate_response(response, checks=list(checks_for("POST /v1/rulesets/reload")), headers=auth)


# --- findings, one test each: they pass once fixed, and then the xfail must go ----------------


@pytest.mark.parametrize("finding", [
    pytest.param(finding, id=f"{finding.operation} {finding.check.__name__}",
                 marks=pytest.mark.xfail(finding.active, strict=True, reason=finding.reason))
    for finding in FINDINGS
])
def test_finding(api_schema, auth, finding):
    case = api_schema.find_operation_by_label(finding.operation).Case(query=finding.query)
    call_and_check(case, auth, [finding.check])
