"""A rule book as plain data a person can read: GET /v1/rulesets/active."""

from __future__ import annotations

from ..rulebook.explain import describe
from ..rulebook.model import Problem, RuleBook


def describe_book(book: RuleBook) -> dict:
    """Name, version, load time, parameters, routes and each rule in readable form."""
    return {
        "name": book.name,
        "version": book.version,
        "description": book.description,
        "loaded_at": book.loaded_at,
        "parameters": book.parameters,
        "routes": [{"code": r.code, "label": r.label, "review_required": r.review_required} for r in book.routes],
        "categories": book.categories,
        "derived_facts": {name: describe(condition) for name, condition in book.derived.items()},
        "rules": [_rule(rule) for rule in book.rules if rule.kind != "derived"],
    }


def _rule(rule) -> dict:
    return {
        "id": rule.id,
        "kind": rule.kind,
        "description": rule.description,
        "conditions": describe(rule.when),
        "route": rule.route,
        "fallback": rule.fallback,
        "flag": rule.flag,
        "agencies": [{"name": a.name, "role": a.role} for a in rule.agencies],
        "next_steps": list(rule.next_steps),
        "reason": rule.reason,
        "review_required": rule.review_required,
        "source": f"{rule.file}:{rule.line}",
    }


def problem_dict(problem: Problem) -> dict:
    """A rule-file problem as JSON."""
    return {"file": problem.file, "line": problem.line, "rule": problem.rule,
            "message": problem.message, "severity": problem.severity, "text": str(problem)}
