"""Candidate fact values for a compiled rule book: valid codes, bools, and ints at its thresholds."""

from __future__ import annotations

from service.rulebook.catalogue import BOOL, CODE, FACTS, INT

from .reference import leaves, rule_expression

LARGEST = 100_000  # the request schema's largest count


def thresholds(definition: dict) -> dict[str, set[int]]:
    """Every int constant each fact is compared with in a compiled definition."""
    found: dict[str, set[int]] = {}
    for rule in definition.values():
        for _, fact, constant in leaves(rule_expression(rule)):
            if isinstance(constant, int) and not isinstance(constant, bool):
                found.setdefault(fact, set()).add(constant)
    return found


def int_boundaries(constants: set[int]) -> list[int]:
    """Zero, one, the largest count, and each constant with its neighbours (never negative)."""
    around = {value + step for value in constants for step in (-1, 0, 1)}
    return sorted(value for value in {0, 1, LARGEST, *around} if value >= 0)


def fact_choices(facts: tuple, categories: dict, definition: dict) -> dict[str, list]:
    """For each fact, the values worth trying: every code or bool, ints at the boundaries."""
    limits = thresholds(definition)
    choices = {}
    for name in facts:
        spec = FACTS[name]
        if spec.type == BOOL:
            choices[name] = [False, True]
        elif spec.type == CODE:
            choices[name] = sorted(categories) if name == "category" else list(spec.codes)
        elif spec.type == INT:
            choices[name] = int_boundaries(limits.get(name, set()))
        else:
            raise ValueError(f"{name} is {spec.type}: it must never reach the engine")
    return choices
