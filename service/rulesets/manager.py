"""Putting rule versions live: at start-up, on reload, and in every worker.

A reload loads the rule directory, checks it and runs its test cases; only if
all pass is the version stored in the database and named live on the chain
head row. Every triage locks that row, so each worker notices a new version
before its next decision and switches to it (loading the stored files), and
every decision records the version that made it. A failed reload changes
nothing.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..audit import record_event
from ..db import ChainHead, Database, RulesetVersion
from ..rulebook import RuleBook, RuleBookError, load_rulebook, load_rulebook_texts
from ..ruletests import run_cases
from ..triage import TriageService
from ..triage.ruleset import LiveRuleset, make_live

log = logging.getLogger(__name__)


@dataclass
class ReloadResult:
    """What a reload did: the live version afterwards, and why it failed if it did."""

    loaded: bool
    version: str
    previous_version: str
    problems: list[str] = field(default_factory=list)
    test_failures: list[str] = field(default_factory=list)


class RulesetManager:
    """Owns which rule version is live in this process and in the database."""

    def __init__(self, service: TriageService, database: Database, rules_dir: str):
        self.service = service
        self.database = database
        self.rules_dir = rules_dir
        self._known: dict[str, LiveRuleset] = {service.live.version: service.live}
        self._lock = threading.Lock()

    def publish(self, actor: str) -> None:
        """Name the service's current rules live in the database (at start-up)."""
        with self.database.transaction() as session:
            head = ChainHead.locked(session)
            self._store(session, head, self.service.live.book, actor)

    def reload(self, actor: str) -> ReloadResult:
        """Load, check and test the rule directory; put it live only if all pass."""
        self.follow()  # this process may be behind: report (and keep) the version that is really live
        previous = self.service.live.version
        try:
            book = load_rulebook(self.rules_dir)
        except RuleBookError as error:
            return self._refused(actor, previous, problems=[str(p) for p in error.problems if p.severity == "error"])
        live = self._live_for(book)
        run = run_cases(book, TriageService(book, self.service.engine, self.service.timezone.key, live=live))
        if not run.passed:
            failures = [f"{r.case.file}:{r.case.line}: {r.case.name}: "
                        + "; ".join(f"{what} expected {exp!r}, got {act!r}" for what, exp, act in r.failures)
                        for r in run.failed]
            return self._refused(actor, previous, problems=[str(p) for p in run.problems], test_failures=failures)
        with self.database.transaction() as session:
            self._store(session, ChainHead.locked(session), book, actor)
            record_event(session, actor, "rules.reload", book.version, outcome="loaded", previous_version=previous)
        self.service.activate(live)
        log.info("rules reloaded by %s: version %s -> %s", actor, previous, book.version)
        return ReloadResult(True, book.version, previous)

    def follow(self) -> None:
        """Catch up with the version the database names live (a plain read of the head row, no lock)."""
        with self.database.reading() as session:
            head = session.get(ChainHead, 1)
            if head is not None:
                self.sync(session, head)

    def sync(self, session, head: ChainHead) -> None:
        """Switch to the version the database names live, if this process is behind."""
        wanted = head.ruleset_version
        if wanted is None or wanted == self.service.live.version:
            return
        live = self._known.get(wanted)
        if live is None:
            stored = session.get(RulesetVersion, wanted)
            files = {name: text.encode() for name, text in json.loads(stored.files_json).items()}
            live = self._live_for(load_rulebook_texts(files, self.rules_dir))
        self.service.activate(live)

    def _live_for(self, book: RuleBook) -> LiveRuleset:
        with self._lock:
            if book.version not in self._known:
                self._known[book.version] = make_live(book, self.service.engine)
            return self._known[book.version]

    @staticmethod
    def _store(session, head: ChainHead, book: RuleBook, actor: str) -> None:
        now = datetime.now(UTC)
        if session.get(RulesetVersion, book.version) is None:
            files = {name: data.decode("utf-8") for name, data in book.files.items()}
            session.add(RulesetVersion(version=book.version, name=book.name, files_json=json.dumps(files),
                                       first_activated_at=now, first_activated_by=actor))
        if head.ruleset_version != book.version:
            head.ruleset_version, head.ruleset_activated_at = book.version, now

    def _refused(self, actor: str, previous: str, problems=(), test_failures=()) -> ReloadResult:
        for line in [*problems, *test_failures]:
            log.warning("reload refused, version %s stays live: %s", previous, line)
        with self.database.transaction() as session:
            record_event(session, actor, "rules.reload", previous, outcome="refused",
                         problems=list(problems), test_failures=list(test_failures))
        return ReloadResult(False, previous, previous, list(problems), list(test_failures))

