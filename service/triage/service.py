"""Triage one issue: derive facts, let the rules fire, assemble the decision.

``TriageService`` is the domain entry point shared by the HTTP API, the CLI and
the tests. It holds the live ruleset and swaps it atomically on reload.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from ..engine import Engine
from ..rulebook import RuleBook
from .decision import assemble
from .facts import derive_facts
from .ruleset import LiveRuleset, make_live


class TriageService:
    """Evaluates issues against the live ruleset."""

    def __init__(self, book: RuleBook, engine: Engine | None = None, timezone: str = "Europe/London",
                 live: LiveRuleset | None = None):
        self.engine = engine or Engine()
        self.timezone = ZoneInfo(timezone)
        self.live: LiveRuleset = live or make_live(book, self.engine)

    def activate(self, live: LiveRuleset) -> None:
        """Make ``live`` the ruleset for every decision started from now on."""
        self.live = live

    @property
    def categories(self) -> dict:
        """The category codes the live rules accept, with their labels."""
        return self.live.book.categories

    def decide(self, request: dict, now: datetime, history: dict | None = None) -> dict:
        """The decision for one validated request, evaluated at ``now`` (aware).

        ``history`` gives the earlier decisions for the same reference (see
        ``service.decisions``); without it the issue is taken as new.
        """
        live = self.live  # one version for the whole evaluation, even if a reload lands meanwhile
        as_of = request.get("as_of") or now.astimezone(self.timezone).date()
        facts = derive_facts(request, live.book, as_of, history)
        decision = assemble(live.book, facts, live.fired_rules(self.engine, facts))
        misses = live.near_misses.near_misses(decision["facts"], decision["routing"], decision["also_recommended"])
        return {
            "decision_id": str(uuid.uuid4()),
            "reference": request["reference"],
            **decision,
            "not_chosen": misses,
            "ruleset": {"name": live.name, "version": live.version},
            "as_of": as_of.isoformat(),
            "evaluated_at": now.isoformat(timespec="milliseconds"),
        }
