"""Property: whatever rule files it is given, the checker answers with a RuleBook or with problems, never a crash.

The inputs are random YAML text, random values in every section, and mutations of
the shipped rules/*.yaml (lines deleted, duplicated, re-indented or swapped, values
replaced, random keys added), as a policy officer's typing slips might make them.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from service.rulebook import Problem, RuleBook, RuleBookError, load_rulebook_texts
from service.rulebook.files import SECTIONS
from tests.conftest import RULES_DIR

SHIPPED = {path.name: path.read_text(encoding="utf-8") for path in sorted(RULES_DIR.glob("*.yaml"))}
SHIPPED_DOCUMENTS = {name: yaml.load(text, Loader=yaml.CSafeLoader) or {} for name, text in SHIPPED.items()}  # noqa: S506
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NAMES = st.sampled_from(sorted(SHIPPED))

# --- strategies -------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["always", "true", "route", "cat", "persistent", "months_ongoing >= 3", "{area}", "lead",
                     "borough_tasking", "Street Pride", "graffiti", "a ==", ">= 3", "- x", "&a", "*a", "{"]),
)
KEYS = st.one_of(st.sampled_from([*SECTIONS, "id", "when", "all", "any", "not", "route", "flag", "reason", "fallback",
                                  "agencies", "next_steps", "review", "name", "role", "code", "label", "lead",
                                  "support", "invited", "description", "persistent_min_months"]),
                 st.text(max_size=12), st.integers(-3, 3), st.booleans())
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                      max_leaves=12)


def _dump(value, **options) -> str:
    return yaml.dump(value, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, **options)


@st.composite
def random_sections(draw) -> dict[str, bytes]:
    """Shipped files with some sections replaced by random values, or random documents of sections."""
    files = {}
    for name, shipped in SHIPPED_DOCUMENTS.items():
        document = dict(shipped)
        for section in list(document):
            if draw(st.booleans()):
                document[section] = draw(VALUES)
        if draw(st.integers(0, 4)) == 0:
            document[draw(KEYS)] = draw(VALUES)
        files[name] = _dump(document).encode("utf-8")
    return files


FACT_NAMES = st.sampled_from(["months_ongoing", "reports_last_6_months", "persistent", "category", "raised_at_nap",
                              "persistent_min_months", "other_areas_count", "unknown_fact", "area", ""])
OPERATORS = st.sampled_from(["==", "!=", ">=", "<=", ">", "<", "=", "=>", "in", ""])
CONDITION_TEXT = st.builds(lambda fact, op, value: f"{fact} {op} {value}".strip(), FACT_NAMES, OPERATORS,
                           st.one_of(st.integers(-5, 10**20).map(str), FACT_NAMES, st.text(max_size=8),
                                     st.sampled_from(["true", "false", "null", "graffiti", "3.5", "'x'", "[1]"])))
CONDITIONS = st.recursive(st.one_of(CONDITION_TEXT, SCALARS),
                          lambda inner: st.one_of(st.dictionaries(st.sampled_from(["all", "any", "not", "when", "x"]),
                                                                  st.lists(inner, max_size=3) | inner, max_size=2),
                                                  st.lists(inner, max_size=3)),
                          max_leaves=8)


@st.composite
def random_rule_fields(draw) -> dict[str, bytes]:
    """The shipped files with random values in a few fields of rules, routes, derived facts and the agency table."""
    documents = copy.deepcopy(SHIPPED_DOCUMENTS)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(documents)))
        section = draw(st.sampled_from(sorted(documents[name]) or ["rules"]))
        container = documents[name].get(section)
        if isinstance(container, list) and container:
            item = draw(st.sampled_from(container))
            target = item if isinstance(item, dict) else None
        elif isinstance(container, dict) and container:
            item = container[draw(st.sampled_from(sorted(container, key=str)))]
            target = item if isinstance(item, dict) else container
        else:
            target = None
        if target is None:
            continue
        key = draw(st.one_of(st.sampled_from(sorted(target, key=str) or ["when"]), KEYS))
        target[key] = draw(CONDITIONS if key in ("when", "all", "any", "not") else st.one_of(VALUES, CONDITIONS))
    return {name: _dump(document).encode("utf-8") for name, document in documents.items()}


def _delete(lines, i, draw):
    return lines[:i] + lines[i + 1:]


def _duplicate(lines, i, draw):
    return lines[:i + 1] + lines[i:]


def _swap(lines, i, draw):
    j = draw(st.integers(0, len(lines) - 1))
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def _swap_values(lines, i, draw):
    j = draw(st.integers(0, len(lines) - 1))
    if ":" not in lines[i] or ":" not in lines[j]:
        return lines
    lines = list(lines)
    (key_i, _, value_i), (key_j, _, value_j) = lines[i].partition(":"), lines[j].partition(":")
    lines[i], lines[j] = f"{key_i}:{value_j}", f"{key_j}:{value_i}"
    return lines


def _replace_value(lines, i, draw):
    key, colon, _ = lines[i].partition(":")
    value = draw(SCALARS)
    text = _dump(value, default_flow_style=True).strip().removesuffix("...").strip() if draw(st.booleans()) else str(value)
    return lines[:i] + [f"{key}{colon or ':'} {text}"] + lines[i + 1:]


def _reindent(lines, i, draw):
    stripped = lines[i].lstrip(" ")
    return lines[:i] + [" " * draw(st.integers(0, 10)) + stripped] + lines[i + 1:]


def _insert_key(lines, i, draw):
    indent = len(lines[i]) - len(lines[i].lstrip(" "))
    key = draw(KEYS)
    value = _dump(draw(VALUES), default_flow_style=True).strip()
    return lines[:i] + [f"{' ' * indent}{key}: {value}"] + lines[i:]


def _insert_text(lines, i, draw):
    return lines[:i] + [draw(st.text(max_size=30))] + lines[i:]


MUTATIONS = (_delete, _duplicate, _swap, _swap_values, _replace_value, _reindent, _insert_key, _insert_text)


@st.composite
def mutated_shipped(draw) -> dict[str, bytes]:
    """The shipped rule files with a few random edits."""
    files = dict(SHIPPED)
    for _ in range(draw(st.integers(1, 6))):
        name = draw(NAMES)
        lines = files[name].splitlines()
        if not lines:
            continue
        mutation = draw(st.sampled_from(MUTATIONS))
        lines = mutation(lines, draw(st.integers(0, len(lines) - 1)), draw)
        files[name] = "\n".join(lines) + "\n"
    if draw(st.integers(0, 5)) == 0:
        del files[draw(NAMES)]
    return {name: text.encode("utf-8") for name, text in files.items()}


RANDOM_TEXT = st.dictionaries(st.text(min_size=1, max_size=12).map(lambda s: s + ".yaml"),
                              st.one_of(st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
                                        st.binary(max_size=100)),
                              max_size=3)
RANDOM_DOCUMENTS = st.dictionaries(st.sampled_from(["a.yaml", "b.yaml", "ruleset.yaml"]),
                                   st.dictionaries(KEYS, VALUES, max_size=6).map(
                                       lambda d: _dump(d).encode("utf-8")),
                                   max_size=3)

# --- the property -----------------------------------------------------------------------


def assert_checked(files: dict[str, bytes]) -> None:
    """The checker returns a book or raises RuleBookError naming file, line, rule and message for each problem."""
    try:
        book = load_rulebook_texts(files)
    except RuleBookError as error:
        assert error.problems, "RuleBookError with no problems"
        assert any(problem.severity == "error" for problem in error.problems)
        problems = error.problems
    else:
        assert isinstance(book, RuleBook)
        problems = list(book.warnings)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.file, str) and problem.file, problem
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert isinstance(problem.rule, str), problem  # may be empty: an unknown section named ""
        assert isinstance(problem.message, str) and problem.message, problem
        assert problem.severity in ("error", "warning"), problem


def test_the_shipped_rules_load():
    assert_checked({name: text.encode() for name, text in SHIPPED.items()})


@FUZZ
@given(files=RANDOM_TEXT)
@example(files={"a.yaml": b"\xff\xfe"})
@example(files={"a.yaml": b"rules: &a [*a]"})
@example(files={"a.yaml": b"- just\n- a list\n"})
@example(files={"a.yaml": b"? [a, b]\n: c\n"})
@example(files={})
def test_random_text_is_checked_not_crashed(files):
    assert_checked(files)


@FUZZ
@given(files=RANDOM_DOCUMENTS)
def test_random_documents_are_checked_not_crashed(files):
    assert_checked(files)


@FUZZ
@given(files=random_sections())
def test_random_sections_are_checked_not_crashed(files):
    assert_checked(files)


@FUZZ
@given(files=random_rule_fields())
@example(files={**{name: text.encode() for name, text in SHIPPED.items()},
                "extra.yaml": b"rules:\n  - id: x\n    when: {all: []}\n    route: cat\n"})
def test_random_rule_fields_are_checked_not_crashed(files):
    assert_checked(files)


@FUZZ
@given(files=mutated_shipped())
def test_mutated_shipped_rules_are_checked_not_crashed(files):
    assert_checked(files)


@pytest.mark.parametrize("text", [
    b"rules: " + b"[" * 300 + b"]" * 300,
    b"rules:\n" + b"".join(b"  " * depth + b"- k:\n" for depth in range(1, 1200)),
    b"rules:\n  - id: deep\n    when: " + b"{all: [" * 200 + b"persistent" + b"]}" * 200 + b"\n",
], ids=["flow lists", "block mappings", "nested conditions"])
def test_deeply_nested_yaml_is_a_problem_not_a_crash(text):
    files = {name: data.encode() for name, data in SHIPPED.items()}
    assert_checked({**files, "deep.yaml": text})
