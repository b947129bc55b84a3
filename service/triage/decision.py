"""Assemble a decision from the rules that fired.

No routing, flag or agency is decided here: the rules decided by firing. This
module only orders what fired (route precedence comes from the rule files),
fills in the reason templates and merges the agencies.

It runs once per request, so it works in one pass over what fired, looks routes
up by code in dicts, and makes fact values plain only when a template quotes them.
"""

from __future__ import annotations

from ..rulebook.model import ROLES, Rule, RuleBook
from ..rulebook.templates import PlainValues, render

_TABLE_REASONS = {
    "lead": "Lead agency for {category_label} in the agency table",
    "support": "Supports on {category_label} in the agency table",
    "invited": "Invited for {category_label} in the agency table",
}
_ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
_APPLIED_KINDS = frozenset(("flag", "agency", "agency_table"))


class DecisionError(RuntimeError):
    """The rules fired in a way the rule book should have made impossible."""


def assemble(book: RuleBook, facts: dict, fired: list[Rule]) -> dict:
    """The routing, reasons, agencies, flags and next steps for one issue."""
    fired_ids = {rule.id for rule in fired}
    facts = {**facts, **{name: f"derived_{name}" in fired_ids for name in book.derived}}
    plain = PlainValues(facts, book.parameters)  # renders as plain_values({**parameters, **facts})
    held = _routes_held(fired, book)
    routing = next(iter(held))
    applied = held[routing] + [rule for rule in fired if rule.kind in _APPLIED_KINDS]
    flags = _flags(applied, plain)
    return {
        "routing": routing,
        "routing_label": book.route(routing).label,
        "also_recommended": [
            {"routing": code, "routing_label": book.route(code).label, "reasons": _reasons(rules, plain)}
            for code, rules in list(held.items())[1:]
        ],
        "reasons": _reasons(held[routing], plain),
        "agencies": _agencies(applied, plain),
        "next_steps": _unique(render(step, plain) for rule in applied for step in rule.next_steps),
        "flags": flags,
        "review_required": book.route(routing).review_required or any(r.review_required for r in applied),
        "facts": facts,
        "rules_fired": [rule.id for rule in fired],
    }


def _routes_held(fired: list[Rule], book: RuleBook) -> dict[str, list[Rule]]:
    """Route code -> the rules that chose it, in precedence order."""
    routing = [rule for rule in fired if rule.kind == "route" and not rule.fallback]
    if not routing:
        routing = [rule for rule in fired if rule.fallback]
    if not routing:
        raise DecisionError("no routing rule fired, and the fallback rule did not fire either")
    held: dict[str, list[Rule]] = {}
    for rule in sorted(routing, key=lambda r: book.precedence(r.route)):
        held.setdefault(rule.route, []).append(rule)
    return held


def _reasons(rules: list[Rule], plain: dict) -> list[dict]:
    return [{"rule": rule.id, "text": render(rule.reason, plain)} for rule in rules]


def _flags(rules: list[Rule], plain: dict) -> list[dict]:
    flags = {}
    for rule in rules:
        if rule.flag and rule.flag not in flags:
            flags[rule.flag] = {"code": rule.flag, "text": render(rule.reason, plain), "rule": rule.id}
    return list(flags.values())


def _agencies(rules: list[Rule], plain: dict) -> list[dict]:
    merged: dict[str, dict] = {}
    rank = _ROLE_RANK
    for rule in rules:
        for outcome in rule.agencies:
            template = _TABLE_REASONS[outcome.role] if rule.kind == "agency_table" else rule.reason
            reason = render(template, plain)
            entry = merged.get(outcome.name)
            if entry is None:
                merged[outcome.name] = {"name": outcome.name, "role": outcome.role, "reason": reason}
                continue
            if entry["reason"] != reason and reason not in entry["reason"]:
                entry["reason"] = f"{entry['reason']}; {reason}"
            if rank[outcome.role] < rank[entry["role"]]:
                entry["role"] = outcome.role
    agencies = sorted(merged.values(), key=lambda a: rank[a["role"]])
    if sum(agency["role"] == "lead" for agency in agencies) != 1:
        raise DecisionError(f"expected exactly one lead agency, got {agencies}")
    return agencies


def _unique(items) -> list:
    return list(dict.fromkeys(items))
