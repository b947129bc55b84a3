"""Near misses: for each route not chosen, the first condition that kept it out.

This explains; it does not decide. durable_rules has already decided which
rules fired; here the conditions of the routes that did not hold are read back
against the same facts to say why, e.g. "Community Led Solution group not
recommended: none of these holds: raised at the Neighbourhood Action Panel or
raised at the Joint Action Group".

It runs for every decision, so ``NearMissPlan`` turns each route rule's
top-level conditions into Python predicates once per rule book.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from ..rulebook.explain import why_not
from ..rulebook.model import AllOf, Always, AnyOf, Comparison, DerivedRef, Rule, RuleBook

_COMPARE = {"==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


@dataclass(frozen=True)
class _Candidate:
    rule: Rule
    items: tuple  # (predicate, condition) for each top-level condition


@dataclass(frozen=True)
class _RoutePlan:
    code: str
    label: str
    has_fallback: bool
    candidates: tuple[_Candidate, ...]


class NearMissPlan:
    """Each route's rules, ready to say which condition failed."""

    def __init__(self, book: RuleBook):
        self.labels = {route.code: route.label for route in book.routes}
        self.routes = tuple(_plan_route(book, route.code, route.label) for route in book.routes)

    def near_misses(self, facts: dict, routing: str, also_recommended: list[dict]) -> list[dict]:
        """One entry per route that neither won nor held, in precedence order."""
        held = {routing, *(route["routing"] for route in also_recommended)}
        return [self._miss(route, facts, routing) for route in self.routes if route.code not in held]

    def _miss(self, route: _RoutePlan, facts: dict, routing: str) -> dict:
        if route.has_fallback or not route.candidates:
            return {"routing": route.code, "routing_label": route.label, "rule": None,
                    "text": f"{route.label} not chosen: {self.labels[routing]} takes precedence"}
        closest, failed, failing_node = None, None, None
        for candidate in route.candidates:  # the first rule with the fewest failing conditions
            count, first = 0, None
            for holds, node in candidate.items:
                if not holds(facts):
                    count += 1
                    first = first or node
            if failed is None or count < failed:
                closest, failed, failing_node = candidate, count, first
        why = why_not(failing_node, facts) if failing_node is not None else "its rules did not fire"
        return {"routing": route.code, "routing_label": route.label, "rule": closest.rule.id,
                "text": f"{route.label} not recommended: {why}"}


def _plan_route(book: RuleBook, code: str, label: str) -> _RoutePlan:
    rules = [rule for rule in book.rules if rule.kind == "route" and rule.route == code]
    candidates = tuple(
        _Candidate(rule, tuple((predicate(item), item) for item in _top_level(rule.when)))
        for rule in rules if not rule.fallback
    )
    return _RoutePlan(code, label, any(rule.fallback for rule in rules), candidates)


def _top_level(condition) -> tuple:
    return condition.items if isinstance(condition, AllOf) else (condition,)


def predicate(condition):
    """A condition as a Python function of the facts (for explanations only)."""
    if isinstance(condition, Comparison):
        compare, fact, value = _COMPARE[condition.op], condition.fact, condition.value
        return lambda facts: compare(facts[fact], value)
    if isinstance(condition, DerivedRef):
        return predicate(condition.condition)
    if isinstance(condition, Always):
        return lambda facts: True
    parts = tuple(predicate(item) for item in condition.items)
    if isinstance(condition, AnyOf):
        return lambda facts: any(part(facts) for part in parts)
    return lambda facts: all(part(facts) for part in parts)
