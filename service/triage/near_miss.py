"""Near misses: for each route not chosen, the first condition that kept it out.

This explains; it does not decide. durable_rules has already decided which
rules fired; here the conditions of the routes that did not hold are read back
against the same facts to say why, e.g. "Community Led Solution group not
recommended: not raised at the Neighbourhood Action Panel or the Joint Action Group".
"""

from __future__ import annotations

from ..rulebook.explain import first_failure, holds
from ..rulebook.model import AllOf, RuleBook


def near_misses(book: RuleBook, facts: dict, routing: str, also_recommended: list[dict]) -> list[dict]:
    """One entry per route that neither won nor held, in precedence order."""
    held = {routing, *(route["routing"] for route in also_recommended)}
    chosen_label = book.route(routing).label
    misses = []
    for route in book.routes:
        if route.code in held:
            continue
        rules = [rule for rule in book.rules if rule.kind == "route" and rule.route == route.code]
        candidates = [rule for rule in rules if not rule.fallback]
        if any(rule.fallback for rule in rules) or not candidates:
            misses.append({"routing": route.code, "routing_label": route.label, "rule": None,
                           "text": f"{route.label} not chosen: {chosen_label} takes precedence"})
            continue
        closest = min(candidates, key=lambda rule: _conditions_failed(rule.when, facts))  # first in book order on ties
        misses.append({"routing": route.code, "routing_label": route.label, "rule": closest.id,
                       "text": f"{route.label} not recommended: {first_failure(closest.when, facts)}"})
    return misses


def _conditions_failed(condition, facts: dict) -> int:
    """How many of a rule's top-level conditions fail (the closest miss has the fewest)."""
    items = condition.items if isinstance(condition, AllOf) else (condition,)
    return sum(not holds(item, facts) for item in items)
