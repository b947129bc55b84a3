"""The one place that talks to durable_rules.

durable_rules is not thread-safe, and its ``Host`` runs timer threads that race
with callers even under a lock. So this facade drives the C module directly,
holds one process-wide lock over each whole evaluation (assert, read the fired
rules, delete the state), gives each evaluation its own state id, and always
deletes that state. Every ruleset gets a sentinel rule that matches every fact:
deleting the state of a fact that matched nothing can crash the engine.

The fact message is built before the lock is taken, so the lock covers only the
engine calls.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
from dataclasses import dataclass

import durable_rules_engine

from ..rulebook.compiler import ALWAYS_FIELD

_LOCK = threading.Lock()  # process-wide: the C engine's state is global
_NAMES = itertools.count(1)
_SENTINEL = "sentinel"


class EngineError(RuntimeError):
    """durable_rules failed; the message says what it was doing."""


@dataclass(frozen=True)
class EngineRuleset:
    """A ruleset registered with durable_rules under a unique name."""

    name: str
    handle: int


class Engine:
    """Serialised access to durable_rules: register rulesets, evaluate facts."""

    def __init__(self):
        self._sids = itertools.count(1)

    def register(self, label: str, definition: dict) -> EngineRuleset:
        """Register a ruleset under a fresh name (a name can be used only once)."""
        name = f"{re.sub(r'[^a-z0-9_]', '_', label.lower())}_{next(_NAMES)}"
        if _SENTINEL in definition:
            raise EngineError(f"the rule name {_SENTINEL!r} is reserved for the engine's own sentinel rule")
        rules = dict(definition)
        rules[_SENTINEL] = {"all": [{"m": {ALWAYS_FIELD: 1}}]}
        with _LOCK:
            try:
                handle = durable_rules_engine.create_ruleset(name, json.dumps(rules))
            except durable_rules_engine.error as error:
                raise EngineError(f"durable_rules rejected ruleset {name}: {error}") from None
        ruleset = EngineRuleset(name, handle)
        self.evaluate(ruleset, {})  # warm-up: leaves the new ruleset's state nodes initialised
        return ruleset

    def evaluate(self, ruleset: EngineRuleset, facts: dict) -> frozenset[str]:
        """The names of the rules whose conditions the facts satisfy."""
        sid = f"e{next(self._sids)}"  # count() hands out each number once, lock or not
        message = _message(facts, sid)
        with _LOCK:
            try:
                fired = self._fire(ruleset, message)
            except (durable_rules_engine.error, EngineError) as error:
                self._delete_state_quietly(ruleset, sid)  # the state may never have been made: report the real error
                raise EngineError(f"durable_rules failed evaluating {ruleset.name}: {error}") from None
            self._delete_state(ruleset, sid)
            return fired

    @staticmethod
    def _fire(ruleset: EngineRuleset, message: str) -> frozenset[str]:
        code, state = durable_rules_engine.assert_fact(ruleset.handle, message)
        if code not in (0, 3):
            raise EngineError(f"durable_rules refused the facts for {ruleset.name} (code {code})")
        fired = set()
        result = durable_rules_engine.start_action_for_state(ruleset.handle, state)
        action = result[1] if result else None
        while action:
            fired.add(_rule_name(action))
            action = durable_rules_engine.complete_and_start_action(ruleset.handle, state)
        fired.discard(_SENTINEL)
        return frozenset(fired)

    @staticmethod
    def _delete_state_quietly(ruleset: EngineRuleset, sid: str) -> None:
        with contextlib.suppress(durable_rules_engine.error):
            durable_rules_engine.delete_state(ruleset.handle, sid)

    @staticmethod
    def _delete_state(ruleset: EngineRuleset, sid: str) -> None:
        try:
            durable_rules_engine.delete_state(ruleset.handle, sid)
        except durable_rules_engine.error as error:
            raise EngineError(f"durable_rules could not delete state {sid} of {ruleset.name}: {error}") from None


def _message(facts: dict, sid: str) -> str:
    """The fact as JSON, with the facade's own state id, fact id and always-true field last (they win)."""
    return json.dumps({**facts, "sid": sid, "id": "f", ALWAYS_FIELD: 1})


def _rule_name(action: str) -> str:
    """The rule name in an action message ``{"r3": {...}}``, without parsing it all."""
    if not action.startswith('{"'):
        return next(iter(json.loads(action)))
    return action[2:action.index('"', 2)]
