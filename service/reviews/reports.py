"""What the partnership has achieved: the LNP progress report and rule feedback."""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from ..db import Database, DecisionRecord, DecisionRule, Review

ROUTINGS = ("cat", "borough_tasking", "community_led_solution")
COLUMNS = ("area", "month", "triaged", *ROUTINGS, "reviewed", "overridden")


def _latest_reviews(session) -> dict[int, str]:
    """decision seq -> the action of its latest review."""
    latest = select(func.max(Review.id)).group_by(Review.decision_seq)
    rows = session.execute(select(Review.decision_seq, Review.action).where(Review.id.in_(latest)))
    return dict(rows.all())


def area_report(database: Database, timezone: str = "Europe/London") -> list[dict]:
    """Per area and month (in the service's time zone): triaged, routed to each destination, reviewed, overridden."""
    zone = ZoneInfo(timezone)
    counts: dict[tuple[str, str], dict] = defaultdict(lambda: dict.fromkeys(COLUMNS[2:], 0))
    with database.reading() as session:
        latest = _latest_reviews(session)
        rows = session.execute(select(DecisionRecord.seq, DecisionRecord.area, DecisionRecord.evaluated_at,
                                      DecisionRecord.routing).execution_options(yield_per=1000))
        for seq, area, evaluated_at, routing in rows:
            cell = counts[(area, f"{evaluated_at.astimezone(zone):%Y-%m}")]
            cell["triaged"] += 1
            cell[routing] = cell.get(routing, 0) + 1
            if seq in latest:
                cell["reviewed"] += 1
                cell["overridden"] += latest[seq] == "override"
    return [{"area": area, "month": month, **cell} for (area, month), cell in sorted(counts.items())]


def rule_feedback(database: Database) -> list[dict]:
    """Per rule: decisions it fired in, decisions it drove, and how many of those chairs overrode."""
    with database.reading() as session:
        latest = _latest_reviews(session)
        stats: dict[str, dict] = defaultdict(lambda: {"fired": 0, "drove": 0, "reviewed": 0, "overridden": 0})
        for seq, rule_id, drove in session.execute(select(DecisionRule.decision_seq, DecisionRule.rule_id,
                                                          DecisionRule.drove_routing)):
            entry = stats[rule_id]
            entry["fired"] += 1
            if drove:
                entry["drove"] += 1
                entry["reviewed"] += seq in latest
                entry["overridden"] += latest.get(seq) == "override"
    rows = [{"rule": rule, **entry, "override_rate": entry["overridden"] / entry["reviewed"] if entry["reviewed"] else 0.0}
            for rule, entry in stats.items()]
    return sorted(rows, key=lambda row: (-row["override_rate"], -row["overridden"], row["rule"]))
