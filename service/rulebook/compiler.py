"""Compile a RuleBook into a durable_rules ruleset definition.

Each rule becomes one durable_rules rule named ``r<index>`` whose single pattern
tests the asserted fact. Only comparisons of one fact with a constant are
emitted (durable_rules crashes on fact-to-fact comparisons inside $and/$or), and
integers are emitted as integers (it rejects floats in exponent form).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import AllOf, Always, AnyOf, Comparison, DerivedRef, RuleBook

ALWAYS_FIELD = "triage"  # every asserted fact carries triage=1, so Always can match it
_OPS = {"!=": "$neq", ">=": "$gte", "<=": "$lte", ">": "$gt", "<": "$lt"}


@dataclass(frozen=True)
class CompiledBook:
    """The durable_rules definition of a book and the map back to rule ids."""

    definition: dict
    rule_ids: dict  # engine rule name -> rule id


def compile_rulebook(book: RuleBook) -> CompiledBook:
    """Every rule of the book as a durable_rules rule."""
    definition, rule_ids = {}, {}
    for index, rule in enumerate(book.rules):
        name = f"r{index}"
        definition[name] = {"all": [{"m": compile_condition(rule.when)}]}
        rule_ids[name] = rule.id
    return CompiledBook(definition, rule_ids)


def compile_condition(condition) -> dict:
    """One condition tree as a durable_rules expression."""
    if isinstance(condition, Comparison):
        if condition.op == "==":
            return {condition.fact: condition.value}
        return {_OPS[condition.op]: {condition.fact: condition.value}}
    if isinstance(condition, DerivedRef):
        return compile_condition(condition.condition)
    if isinstance(condition, Always):
        return {ALWAYS_FIELD: 1}
    if isinstance(condition, (AllOf, AnyOf)):
        parts = [compile_condition(item) for item in condition.items]
        if len(parts) == 1:
            return parts[0]
        return {"$and" if isinstance(condition, AllOf) else "$or": parts}
    raise TypeError(f"cannot compile {condition!r}")
