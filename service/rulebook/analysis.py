"""Warnings about rules that can never matter: contradictions and shadowing.

Conditions are expanded into "any of these conjunctions" form and each
conjunction is checked fact by fact. Expansion is capped; past the cap a rule
is given the benefit of the doubt and no warning is raised.
"""

from __future__ import annotations

from itertools import product

from .catalogue import BOOL, CODE, FACTS
from .model import Always, AnyOf, Comparison, DerivedRef, Rule, RuleBook, negate
from .problems import Problems

CAP = 4096


class TooComplex(Exception):
    """The expansion grew past the cap."""


def warn_unreachable(book: RuleBook, problems: Problems) -> None:
    """Add a warning for each rule that can never fire or never decide a route."""
    for rule in book.rules:
        if rule.kind in ("agency_table", "derived"):
            continue
        try:
            if not satisfiable([rule.when], book):
                problems.warning(rule.file, rule.line, rule.id, "can never fire: its conditions contradict each other")
            elif _always_shadowed(rule, book):
                problems.warning(rule.file, rule.line, rule.id,
                                 f"never decides the route: a rule for a route listed before '{rule.route}' always holds too")
        except TooComplex:
            continue


def _always_shadowed(rule: Rule, book: RuleBook) -> bool:
    if rule.kind != "route" or rule.fallback:
        return False
    rank = book.precedence(rule.route)
    higher = [other.when for other in book.rules
              if other.kind == "route" and not other.fallback and book.precedence(other.route) < rank]
    if any(isinstance(when, Always) for when in higher):
        return True
    return bool(higher) and not satisfiable([rule.when, *(negate(when) for when in higher)], book)


def satisfiable(conditions: list, book: RuleBook) -> bool:
    """Whether some facts could make every condition hold at once."""
    terms = [()]
    for condition in conditions:
        terms = [a + b for a, b in product(terms, _dnf(condition))]
        if len(terms) > CAP:
            raise TooComplex
    return any(_consistent(term, book) for term in terms)


def _dnf(condition) -> list[tuple]:
    if isinstance(condition, Always):
        return [()]
    if isinstance(condition, Comparison):
        return [(condition,)]
    if isinstance(condition, DerivedRef):
        return _dnf(condition.condition)
    if isinstance(condition, AnyOf):
        return [term for item in condition.items for term in _dnf(item)]
    terms = [()]
    for item in condition.items:
        terms = [a + b for a, b in product(terms, _dnf(item))]
        if len(terms) > CAP:
            raise TooComplex
    return terms


def _consistent(term: tuple, book: RuleBook) -> bool:
    by_fact: dict[str, list[Comparison]] = {}
    for leaf in term:
        by_fact.setdefault(leaf.fact, []).append(leaf)
    return all(_fact_possible(fact, leaves, book) for fact, leaves in by_fact.items())


def _fact_possible(fact: str, leaves: list[Comparison], book: RuleBook) -> bool:
    spec = FACTS[fact]
    if spec.type in (BOOL, CODE):
        values = {True, False} if spec.type == BOOL else set(book.categories if fact == "category" else spec.codes)
        for leaf in leaves:
            values = {v for v in values if (v == leaf.value) == (leaf.op == "==")}
        return bool(values)
    low, high, excluded = 0, None, set()
    for leaf in leaves:
        value = leaf.value
        if leaf.op == "==":
            low, high = max(low, value), value if high is None else min(high, value)
        elif leaf.op == "!=":
            excluded.add(value)
        elif leaf.op in (">=", ">"):
            low = max(low, value + (leaf.op == ">"))
        else:
            bound = value - (leaf.op == "<")
            high = bound if high is None else min(high, bound)
    if high is None:
        return True
    return high >= low and (high - low + 1) > len({v for v in excluded if low <= v <= high})
