"""Properties: durable_rules fires exactly what the plain-Python reference says.

The engine has had wrong-result bugs with ``$or`` (jruizgit/rules #308, #348), so
these compare it with ``reference.py`` for random facts on the default rule book
and for randomly generated rulesets.
"""

from __future__ import annotations

import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.engine import Engine
from service.rulebook.catalogue import BOOL, CODE, CONDITION_FACTS, FACTS, INT
from service.rulebook.compiler import ALWAYS_FIELD, compile_condition, compile_rulebook
from service.rulebook.model import OPERATORS, AllOf, Always, AnyOf, Comparison, DerivedRef, negate
from service.triage.ruleset import make_live

from . import reference
from .samples import LARGEST, fact_choices

CATEGORIES = ("graffiti", "litter", "noise", "other")  # generated rulesets are not checked against a book
SMALL_INTS = st.integers(-2, 6)
GENERATED_RULESETS = 60
PYTHON_OPS = {"==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


@pytest.fixture(scope="module")
def engine():
    """One engine for the module."""
    return Engine()


@pytest.fixture(scope="module")
def live(engine, book):
    """The default rule book, registered once."""
    return make_live(book, engine)


@pytest.fixture(scope="module")
def definition(book):
    """The compiled default rule book."""
    return compile_rulebook(book).definition


# --- strategies -----------------------------------------------------------


def codes_of(fact: str) -> tuple:
    """The codes a code fact may take in generated rulesets."""
    return CATEGORIES if fact == "category" else FACTS[fact].codes


def facts_from(choices: dict) -> st.SearchStrategy:
    """Facts drawn from candidate values; ints also anywhere from 0 to the schema's maximum."""
    strategies = {}
    for name, values in choices.items():
        values_strategy = st.sampled_from(values)
        if FACTS[name].type == INT:
            values_strategy = st.one_of(values_strategy, st.integers(0, LARGEST))
        strategies[name] = values_strategy
    return st.fixed_dictionaries(strategies)


def value_for(fact: str) -> st.SearchStrategy:
    """A valid value for any condition fact, in a small range so comparisons often hold."""
    kind = FACTS[fact].type
    if kind == BOOL:
        return st.booleans()
    if kind == CODE:
        return st.sampled_from(codes_of(fact))
    return SMALL_INTS


@st.composite
def comparisons(draw) -> Comparison:
    """One fact compared with a valid constant using an operator its type allows."""
    fact = draw(st.sampled_from(CONDITION_FACTS))
    ops = OPERATORS if FACTS[fact].type == INT else ("==", "!=")
    op = draw(st.sampled_from(ops))
    value = draw(value_for(fact))
    return Comparison(fact, op, value, f"{fact} {op} {value}")


def groups(children: st.SearchStrategy) -> st.SearchStrategy:
    """all/any groups of one to three conditions, and derived-fact references to them."""
    items = st.lists(children, min_size=1, max_size=3).map(tuple)
    group = st.one_of(st.builds(AllOf, items), st.builds(AnyOf, items))
    return st.one_of(group, st.builds(DerivedRef, st.just("derived"), group))


# Groups of one item compile away, so a tree has fewer $and/$or than leaves:
# 12 leaves keeps every pattern under durable_rules' 15-group limit (error 113).
conditions = st.recursive(comparisons(), groups, max_leaves=12)
top_conditions = st.one_of(conditions, st.just(Always()))
condition_facts = st.fixed_dictionaries({fact: value_for(fact) for fact in CONDITION_FACTS})


def model_holds(condition, facts: dict) -> bool:
    """What a condition tree means, read straight from the model (not the JSON)."""
    if isinstance(condition, Comparison):
        return PYTHON_OPS[condition.op](facts[condition.fact], condition.value)
    if isinstance(condition, AllOf):
        return all(model_holds(item, facts) for item in condition.items)
    if isinstance(condition, AnyOf):
        return any(model_holds(item, facts) for item in condition.items)
    if isinstance(condition, DerivedRef):
        return model_holds(condition.condition, facts)
    if isinstance(condition, Always):
        return True
    raise TypeError(condition)


# --- the default rule book ------------------------------------------------


def test_the_engine_is_sent_every_fact_the_rules_test(live, definition):
    tested = {fact for rule in definition.values() for _, fact, _ in reference.leaves(reference.rule_expression(rule))}
    assert tested - {ALWAYS_FIELD} == set(live.tested_facts)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_default_rules_fire_what_the_reference_says(engine, live, definition, data):
    choices = fact_choices(live.tested_facts, live.book.categories, definition)
    facts = data.draw(facts_from(choices), label="facts")
    assert engine.evaluate(live.engine_ruleset, facts) == reference.fired(definition, facts)


# --- generated rulesets ---------------------------------------------------


@settings(max_examples=GENERATED_RULESETS, deadline=None)
@given(
    trees=st.lists(top_conditions, min_size=1, max_size=6),
    fact_sets=st.lists(condition_facts, min_size=1, max_size=8),
)
def test_generated_rulesets_fire_what_the_reference_says(engine, trees, fact_sets):
    generated = {f"g{index}": {"all": [{"m": compile_condition(tree)}]} for index, tree in enumerate(trees)}
    ruleset = engine.register("generated", generated)  # once per example: rulesets are never freed
    for facts in fact_sets:
        assert engine.evaluate(ruleset, facts) == reference.fired(generated, facts), facts


# --- the compiler keeps the meaning (no engine) ---------------------------


@settings(max_examples=300, deadline=None)
@given(condition=top_conditions, facts=condition_facts)
def test_compiling_keeps_the_meaning_of_a_condition(condition, facts):
    assert reference.holds(compile_condition(condition), {**facts, ALWAYS_FIELD: 1}) == model_holds(condition, facts)


@settings(max_examples=300, deadline=None)
@given(condition=conditions, facts=condition_facts)
def test_negating_a_condition_flips_its_meaning(condition, facts):
    assert model_holds(negate(condition), facts) is (not model_holds(condition, facts))
