"""A rule book made live: compiled, registered with the engine, ready to evaluate."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Engine, EngineRuleset
from ..rulebook.catalogue import FACTS
from ..rulebook.compiler import compile_rulebook
from ..rulebook.model import AllOf, AnyOf, Comparison, DerivedRef, Rule, RuleBook
from .near_miss import NearMissPlan


@dataclass(frozen=True)
class LiveRuleset:
    """A checked rule book and its registered durable_rules ruleset."""

    book: RuleBook
    engine_ruleset: EngineRuleset
    rules_by_name: dict  # engine rule name -> (position in the book, Rule)
    tested_facts: tuple  # the facts some rule tests: only these go to the engine
    near_misses: NearMissPlan  # explains the routes that did not hold

    @property
    def name(self) -> str:
        """The ruleset's name from the rule files."""
        return self.book.name

    @property
    def version(self) -> str:
        """The content hash of the rule files."""
        return self.book.version

    def fired_rules(self, engine: Engine, facts: dict) -> list[Rule]:
        """The rules whose conditions hold for these facts, in book order."""
        engine_facts = {name: facts[name] for name in self.tested_facts}
        names = engine.evaluate(self.engine_ruleset, engine_facts)
        return [rule for _, rule in sorted(self.rules_by_name[name] for name in names)]


def make_live(book: RuleBook, engine: Engine) -> LiveRuleset:
    """Compile a rule book and register it with the engine under a fresh name."""
    compiled = compile_rulebook(book)
    registered = engine.register(f"{book.name}_{book.version}", compiled.definition)
    position = {rule.id: (index, rule) for index, rule in enumerate(book.rules)}
    rules_by_name = {name: position[rule_id] for name, rule_id in compiled.rule_ids.items()}
    tested = sorted({fact for rule in book.rules for fact in facts_tested(rule.when)})
    return LiveRuleset(book, registered, rules_by_name, tuple(name for name in FACTS if name in tested), NearMissPlan(book))


def facts_tested(condition) -> set[str]:
    """The facts a condition tree compares."""
    if isinstance(condition, Comparison):
        return {condition.fact}
    if isinstance(condition, DerivedRef):
        return facts_tested(condition.condition)
    if isinstance(condition, (AllOf, AnyOf)):
        return set().union(*(facts_tested(item) for item in condition.items))
    return set()
