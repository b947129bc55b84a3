"""Derive the facts the rules see from a validated triage request.

Python only derives facts here; every routing, flag and agency decision is made
by the rules. Time comes from the ``as_of`` argument, so replays are repeatable.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..rulebook.model import RuleBook

UNRESOLVED = ("not_resolved", "partly_resolved")


class InvalidRequest(ValueError):
    """A request whose fields are well-formed but do not make sense together."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def whole_months(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 if under a month).

    A month from the 31st ends on the last day of a shorter month (the
    corresponding-date rule): 31 January to 28 February is one month.
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    end_of_month = (end + timedelta(days=1)).day == 1
    if end.day < start.day and not end_of_month:
        months -= 1
    return max(months, 0)


NO_HISTORY = {"times_triaged_before": 0, "times_routed_to_cat_before": 0}


def derive_facts(request: dict, book: RuleBook, as_of: date, history: dict | None = None) -> dict:
    """Every catalogue fact for one request, as of a given date, with its history."""
    history = history or NO_HISTORY
    first_reported = request["first_reported"]
    if first_reported > as_of:
        raise InvalidRequest("first_reported", f"must not be after as_of ({as_of.isoformat()})")
    unavailable = [r["name"] for r in request.get("resources_requested", ()) if not r["available_locally"]]
    others = list(request.get("other_areas_affected", ()))
    outcomes = [action["outcome"] for action in request.get("local_actions", ())]
    return {
        "category": request["category"],
        "raised_by": request.get("raised_by", "resident"),
        "months_ongoing": whole_months(first_reported, as_of),
        "reports_last_6_months": request["reports_last_6_months"],
        "raised_at_nap": request.get("raised_at_nap", False),
        "raised_at_jag": request.get("raised_at_jag", False),
        "nap_priority_rank": request.get("nap_priority_rank") or 0,
        "jag_cls_decision": request.get("jag_cls_decision", "not_considered"),
        "resources_requested_count": len(request.get("resources_requested", ())),
        "resources_unavailable_count": len(unavailable),
        "other_areas_count": len(others),
        "local_actions_count": len(outcomes),
        "local_actions_unresolved_count": sum(outcome in UNRESOLVED for outcome in outcomes),
        "local_actions_in_progress_count": outcomes.count("in_progress"),
        "local_actions_resolved_count": outcomes.count("resolved"),
        "cat_requests_escalation": request.get("cat_requests_escalation", False),
        "high_crime_area": request.get("high_crime_area", False),
        "vulnerable_victim": request.get("vulnerable_victim", False),
        "hate_motivated": request.get("hate_motivated", False),
        "residents_willing_to_lead": request.get("residents_willing_to_lead", False),
        "times_triaged_before": history["times_triaged_before"],
        "times_routed_to_cat_before": history["times_routed_to_cat_before"],
        "reference": request["reference"],
        "area": request["area"],
        "category_label": book.categories[request["category"]],
        "resources_unavailable": _listed(unavailable),
        "other_areas": _listed(others),
        "first_reported": first_reported.isoformat(),
        "as_of": as_of.isoformat(),
    }


def _listed(names: list[str]) -> str:
    """Names as a reader would list them: 'a', 'a and b', 'a, b and c'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
