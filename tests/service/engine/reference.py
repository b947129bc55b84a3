"""A plain-Python reference interpreter of compiled durable_rules conditions.

It understands exactly the shapes ``service.rulebook.compiler`` emits:
``{fact: value}`` equality, ``{"$neq"|"$gt"|"$gte"|"$lt"|"$lte": {fact: value}}``,
``{"$and": [...]}`` and ``{"$or": [...]}``. Anything else raises ValueError, so
a new shape from the compiler cannot be silently misread.
"""

from __future__ import annotations

import operator

from service.rulebook.compiler import ALWAYS_FIELD

COMPARISONS = {
    "$neq": operator.ne,
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$lt": operator.lt,
    "$lte": operator.le,
}
CONSTANT_TYPES = (bool, int, str)


def holds(expression: dict, facts: dict) -> bool:
    """Whether one compiled expression holds for a fact."""
    if not isinstance(expression, dict) or not expression:
        raise ValueError(f"not an expression: {expression!r}")
    if len(expression) == 1:
        key, value = next(iter(expression.items()))
        if key == "$and":
            return all(holds(part, facts) for part in _parts(key, value))
        if key == "$or":
            return any(holds(part, facts) for part in _parts(key, value))
        if key in COMPARISONS:
            fact, constant = _leaf(key, value)
            return fact in facts and COMPARISONS[key](facts[fact], constant)
    return all(_equal(fact, constant, facts) for fact, constant in expression.items())


def fired(definition: dict, facts: dict) -> frozenset[str]:
    """The names of the rules in a compiled definition whose condition holds."""
    asserted = {**facts, ALWAYS_FIELD: 1}
    return frozenset(name for name, rule in definition.items() if holds(rule_expression(rule), asserted))


def rule_expression(rule: dict) -> dict:
    """The single ``m`` pattern of a compiled rule ``{"all": [{"m": ...}]}``."""
    patterns = rule.get("all")
    if set(rule) != {"all"} or not isinstance(patterns, list) or len(patterns) != 1 or set(patterns[0]) != {"m"}:
        raise ValueError(f"not a single-pattern rule: {rule!r}")
    return patterns[0]["m"]


def leaves(expression: dict):
    """Every (operator, fact, constant) comparison in an expression."""
    key, value = next(iter(expression.items()))
    if len(expression) == 1 and key in ("$and", "$or"):
        for part in _parts(key, value):
            yield from leaves(part)
    elif len(expression) == 1 and key in COMPARISONS:
        yield (key, *_leaf(key, value))
    else:
        for fact, constant in expression.items():
            yield ("$eq", fact, constant)


def _parts(key: str, value) -> list:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{key} needs a non-empty list, not {value!r}")
    return value


def _leaf(key: str, value) -> tuple[str, object]:
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError(f"{key} needs exactly one {{fact: value}}, not {value!r}")
    fact, constant = next(iter(value.items()))
    return fact, _constant(fact, constant)


def _equal(fact: str, constant, facts: dict) -> bool:
    if fact.startswith("$"):
        raise ValueError(f"unknown operator {fact}")
    return fact in facts and facts[fact] == _constant(fact, constant)


def _constant(fact: str, constant):
    if not isinstance(constant, CONSTANT_TYPES):
        raise ValueError(f"{fact} is compared with {constant!r}, which is not a constant")
    return constant
