"""Rule conditions in plain English, and which part of a condition failed.

Used to show rules to people (GET /v1/rulesets/active) and to explain near
misses in decisions. Nothing here decides anything: durable_rules does that.
"""

from __future__ import annotations

from .catalogue import FACTS
from .model import AllOf, Always, AnyOf, Comparison, DerivedRef

_OP_WORDS = {"==": "is", "!=": "is not", ">=": "is at least", "<=": "is at most", ">": "is more than", "<": "is less than"}
_NEEDS = {"==": "", "!=": "not ", ">=": "at least ", "<=": "at most ", ">": "more than ", "<": "less than "}


def describe(condition) -> str:
    """A condition as a reader would say it."""
    if isinstance(condition, Always):
        return "always"
    if isinstance(condition, DerivedRef):
        return f"not {condition.name}" if condition.negated else condition.name
    if isinstance(condition, Comparison):
        return _describe_leaf(condition)
    joiner = " and " if isinstance(condition, AllOf) else " or "
    parts = [describe(item) for item in condition.items]
    text = joiner.join(f"({part})" if " and " in part or " or " in part else part for part in parts)
    return text


def _describe_leaf(leaf: Comparison) -> str:
    if isinstance(leaf.value, bool):
        spec = FACTS[leaf.fact]
        return spec.meaning if leaf.value == (leaf.op == "==") else spec.negative or f"not: {spec.meaning}"
    return f"{leaf.fact} {_OP_WORDS[leaf.op]} {leaf.value}"


def holds(condition, facts: dict) -> bool:
    """Whether a condition holds for these facts (for explanations only)."""
    if isinstance(condition, Always):
        return True
    if isinstance(condition, DerivedRef):
        return holds(condition.condition, facts)
    if isinstance(condition, AllOf):
        return all(holds(item, facts) for item in condition.items)
    if isinstance(condition, AnyOf):
        return any(holds(item, facts) for item in condition.items)
    return _compare(facts[condition.fact], condition.op, condition.value)


def _compare(actual, op: str, expected) -> bool:
    if op == "==":
        return actual == expected
    if op == "!=":
        return actual != expected
    if op == ">=":
        return actual >= expected
    if op == "<=":
        return actual <= expected
    if op == ">":
        return actual > expected
    return actual < expected


def first_failure(condition, facts: dict) -> str | None:
    """The first part of a condition that does not hold, explained; None if it holds."""
    return None if holds(condition, facts) else why_not(condition, facts)


def why_not(condition, facts: dict) -> str:
    """Explain a condition already known not to hold: its first failing part."""
    if isinstance(condition, AllOf):
        failed = next(item for item in condition.items if not holds(item, facts))
        return why_not(failed, facts)
    if isinstance(condition, DerivedRef):
        return f"{describe(condition)} does not hold ({why_not(condition.condition, facts)})"
    if isinstance(condition, AnyOf):
        return f"none of these holds: {describe(condition)}"
    return _leaf_failure(condition, facts)


def _leaf_failure(leaf: Comparison, facts: dict) -> str:
    if isinstance(leaf.value, bool):
        return describe(Comparison(leaf.fact, leaf.op, not leaf.value, leaf.text))
    return f"{leaf.fact} is {facts[leaf.fact]}, but the rule needs it to be {_NEEDS[leaf.op]}{leaf.value}"
