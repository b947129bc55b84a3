"""Compiling condition trees and rule books into durable_rules JSON."""

from __future__ import annotations

import json

import pytest

from service.rulebook.catalogue import FACTS
from service.rulebook.compiler import ALWAYS_FIELD, compile_condition, compile_rulebook
from service.rulebook.model import AllOf, Always, AnyOf, Comparison, DerivedRef, negate

AT_NAP = Comparison("raised_at_nap", "==", True, "raised_at_nap")
OLD = Comparison("months_ongoing", ">=", 3, "months_ongoing >= 3")
MANY = Comparison("reports_last_6_months", ">=", 3, "reports_last_6_months >= 3")
NOISE = Comparison("category", "==", "noise", "category == noise")
PERSISTENT = AllOf((OLD, MANY))

DURABLE_OPERATORS = {"!=": "$neq", ">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte"}


def walk(expression: dict):
    """Every leaf of a compiled expression as (operator, {fact: value})."""
    (key, value), = expression.items()
    if key in ("$and", "$or"):
        for part in value:
            yield from walk(part)
    elif key.startswith("$"):
        yield key, value
    else:
        yield "==", expression


def test_equality_is_a_plain_fact_value_pair():
    assert compile_condition(NOISE) == {"category": "noise"}


@pytest.mark.parametrize(("op", "durable"), sorted(DURABLE_OPERATORS.items()))
def test_each_other_operator_wraps_the_pair(op, durable):
    assert compile_condition(Comparison("months_ongoing", op, 4, "")) == {durable: {"months_ongoing": 4}}


def test_a_yes_no_value_is_emitted_as_a_json_boolean():
    assert json.dumps(compile_condition(AT_NAP)) == '{"raised_at_nap": true}'


def test_a_false_value_stays_false():
    assert compile_condition(negate(AT_NAP)) == {"raised_at_nap": False}


def test_an_int_is_emitted_as_a_json_integer():
    assert json.dumps(compile_condition(OLD)) == '{"$gte": {"months_ongoing": 3}}'


def test_always_tests_the_field_every_asserted_fact_carries():
    assert compile_condition(Always()) == {ALWAYS_FIELD: 1}


def test_all_of_becomes_and():
    assert compile_condition(AllOf((AT_NAP, OLD))) == {"$and": [{"raised_at_nap": True}, {"$gte": {"months_ongoing": 3}}]}


def test_any_of_becomes_or():
    assert compile_condition(AnyOf((AT_NAP, NOISE))) == {"$or": [{"raised_at_nap": True}, {"category": "noise"}]}


def test_a_one_item_group_is_just_its_item():
    assert compile_condition(AnyOf((OLD,))) == compile_condition(OLD)


def test_groups_nest():
    tree = AllOf((AnyOf((AT_NAP, NOISE)), OLD))
    assert compile_condition(tree) == {"$and": [{"$or": [{"raised_at_nap": True}, {"category": "noise"}]}, {"$gte": {"months_ongoing": 3}}]}


def test_a_derived_fact_is_inlined():
    assert compile_condition(DerivedRef("persistent", PERSISTENT)) == compile_condition(PERSISTENT)


def test_a_negated_derived_fact_inlines_the_negation():
    negated = negate(DerivedRef("persistent", PERSISTENT))
    assert compile_condition(negated) == {"$or": [{"$lt": {"months_ongoing": 3}}, {"$lt": {"reports_last_6_months": 3}}]}


def test_a_derived_fact_inside_a_group_is_inlined_in_place():
    tree = AllOf((DerivedRef("persistent", PERSISTENT), AT_NAP))
    assert compile_condition(tree) == {"$and": [compile_condition(PERSISTENT), {"raised_at_nap": True}]}


def test_something_else_cannot_be_compiled():
    with pytest.raises(TypeError):
        compile_condition("months_ongoing >= 3")


# --- the whole book -------------------------------------------------------


def test_every_rule_is_compiled_under_a_short_name(book):
    compiled = compile_rulebook(book)
    assert list(compiled.definition) == [f"r{index}" for index in range(len(book.rules))]


def test_rule_names_map_back_to_rule_ids_in_book_order(book):
    compiled = compile_rulebook(book)
    assert list(compiled.rule_ids.values()) == [rule.id for rule in book.rules]


def test_each_rule_has_one_pattern_on_the_asserted_fact(book):
    for name, rule in compile_rulebook(book).definition.items():
        assert list(rule) == ["all"], name
        assert len(rule["all"]) == 1 and list(rule["all"][0]) == ["m"], name


def test_each_rule_compiles_its_condition(book):
    compiled = compile_rulebook(book)
    for index, rule in enumerate(book.rules):
        assert compiled.definition[f"r{index}"]["all"][0]["m"] == compile_condition(rule.when)


def test_the_definition_is_json(book):
    definition = compile_rulebook(book).definition
    assert json.loads(json.dumps(definition)) == definition


def test_no_emitted_expression_compares_two_facts(book):
    for name, rule in compile_rulebook(book).definition.items():
        for op, pair in walk(rule["all"][0]["m"]):
            (fact, value), = pair.items()
            assert fact in FACTS or fact == ALWAYS_FIELD, (name, op, fact)
            assert isinstance(value, (bool, int, str)), (name, op, pair)
            assert not (isinstance(value, str) and value in FACTS), (name, op, pair)


def test_no_emitted_number_is_a_float(book):
    for name, rule in compile_rulebook(book).definition.items():
        for _, pair in walk(rule["all"][0]["m"]):
            assert not isinstance(next(iter(pair.values())), float), name


def test_the_fallback_rule_compiles_to_always(book):
    index = next(index for index, rule in enumerate(book.rules) if rule.fallback)
    assert compile_rulebook(book).definition[f"r{index}"]["all"][0]["m"] == {ALWAYS_FIELD: 1}
