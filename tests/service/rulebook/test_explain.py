"""Rule conditions in plain English, whether they hold, and the first part that failed."""

from __future__ import annotations

import pytest

from service.rulebook.explain import describe, first_failure, holds
from service.rulebook.model import AllOf, Always, AnyOf, Comparison, DerivedRef, negate


def fact(name: str, value=True, op: str = "==") -> Comparison:
    """One parsed leaf: ``name op value``."""
    return Comparison(name, op, value, f"{name} {op} {value}")


def rule_when(book, rule_id: str):
    """The condition of a shipped rule."""
    return next(rule.when for rule in book.rules if rule.id == rule_id)


PERSISTENT = DerivedRef("persistent", AllOf((fact("months_ongoing", 3, ">="), fact("reports_last_6_months", 3, ">="))))
NAP, JAG = fact("raised_at_nap"), fact("raised_at_jag")
QUIET = {"months_ongoing": 1, "reports_last_6_months": 1, "raised_at_nap": False, "raised_at_jag": False,
         "jag_cls_decision": "not_considered", "residents_willing_to_lead": False, "category": "graffiti"}


# --- describe ---------------------------------------------------------------------------


def test_a_true_yes_no_fact_reads_as_its_meaning():
    assert describe(NAP) == "raised at the Neighbourhood Action Panel"


def test_a_false_yes_no_fact_reads_as_its_negative_phrasing():
    assert describe(fact("raised_at_nap", False)) == "not raised at the Neighbourhood Action Panel"


def test_not_equal_to_true_reads_as_the_negative_phrasing():
    assert describe(fact("residents_willing_to_lead", True, "!=")) == "no residents are ready to take the lead"


def test_not_equal_to_false_reads_as_the_positive_phrasing():
    assert describe(fact("hate_motivated", False, "!=")) == "the issue is hate-motivated"


@pytest.mark.parametrize(("op", "words"), [
    (">=", "is at least"), ("<=", "is at most"), (">", "is more than"), ("<", "is less than"), ("==", "is"), ("!=", "is not"),
])
def test_a_comparison_reads_with_words_for_its_operator(op, words):
    assert describe(fact("months_ongoing", 3, op)) == f"months_ongoing {words} 3"


def test_a_code_comparison_names_the_code():
    assert describe(fact("category", "graffiti")) == "category is graffiti"


def test_always_reads_as_always():
    assert describe(Always()) == "always"


def test_a_derived_fact_reads_as_its_name():
    assert describe(PERSISTENT) == "persistent"


def test_a_negated_derived_fact_reads_as_not_its_name():
    assert describe(negate(PERSISTENT)) == "not persistent"


def test_all_of_joins_with_and():
    assert describe(AllOf((NAP, fact("months_ongoing", 3, ">=")))) == (
        "raised at the Neighbourhood Action Panel and months_ongoing is at least 3")


def test_any_of_joins_with_or():
    assert describe(AnyOf((NAP, JAG))) == "raised at the Neighbourhood Action Panel or raised at the Joint Action Group"


def test_a_group_inside_a_group_is_bracketed():
    assert describe(AllOf((PERSISTENT, AnyOf((NAP, JAG))))) == (
        "persistent and (raised at the Neighbourhood Action Panel or raised at the Joint Action Group)")


def test_a_shipped_rule_reads_as_a_sentence(book):
    assert describe(rule_when(book, "cls_jag_endorsed")) == (
        "persistent and (raised at the Neighbourhood Action Panel or raised at the Joint Action Group) "
        "and jag_cls_decision is endorsed and residents are ready to take the lead")


def test_an_in_list_reads_as_alternatives(book):
    assert "(jag_cls_decision is not_considered or jag_cls_decision is pending)" in describe(rule_when(book, "cls_recommended"))


def test_a_derived_fact_definition_shows_its_parameter_values(book):
    assert describe(book.derived["persistent"]) == "months_ongoing is at least 3 and reports_last_6_months is at least 3"


# --- holds ------------------------------------------------------------------------------


def test_always_holds_for_any_facts():
    assert holds(Always(), {}) is True


@pytest.mark.parametrize(("op", "value", "expected"), [
    ("==", 3, True), ("==", 4, False), ("!=", 4, True), ("!=", 3, False), (">=", 3, True), (">=", 4, False),
    ("<=", 3, True), ("<=", 2, False), (">", 2, True), (">", 3, False), ("<", 4, True), ("<", 3, False),
])
def test_a_comparison_holds_by_its_operator(op, value, expected):
    assert holds(fact("months_ongoing", value, op), {"months_ongoing": 3}) is expected


def test_all_of_holds_when_every_item_holds():
    assert holds(AllOf((NAP, JAG)), {"raised_at_nap": True, "raised_at_jag": True}) is True


def test_all_of_fails_when_one_item_fails():
    assert holds(AllOf((NAP, JAG)), {"raised_at_nap": True, "raised_at_jag": False}) is False


def test_any_of_holds_when_one_item_holds():
    assert holds(AnyOf((NAP, JAG)), {"raised_at_nap": False, "raised_at_jag": True}) is True


def test_any_of_fails_when_no_item_holds():
    assert holds(AnyOf((NAP, JAG)), {"raised_at_nap": False, "raised_at_jag": False}) is False


def test_a_derived_fact_holds_by_its_definition():
    assert holds(PERSISTENT, {**QUIET, "months_ongoing": 3, "reports_last_6_months": 3}) is True


def test_a_negated_derived_fact_holds_when_its_definition_fails():
    assert holds(negate(PERSISTENT), QUIET) is True


# --- first_failure ----------------------------------------------------------------------


def test_a_condition_that_holds_has_no_failure():
    assert first_failure(NAP, {"raised_at_nap": True}) is None


def test_a_failed_yes_no_fact_says_what_is_true_instead():
    assert first_failure(NAP, {"raised_at_nap": False}) == "not raised at the Neighbourhood Action Panel"


def test_a_failed_not_fact_says_the_fact_is_true():
    assert first_failure(fact("raised_at_nap", False), {"raised_at_nap": True}) == "raised at the Neighbourhood Action Panel"


def test_a_failed_number_gives_the_actual_and_the_needed_value():
    assert first_failure(fact("months_ongoing", 3, ">="), {"months_ongoing": 1}) == (
        "months_ongoing is 1, but the rule needs it to be at least 3")


def test_a_failed_upper_bound_says_less_than():
    assert first_failure(fact("months_ongoing", 3, "<"), {"months_ongoing": 4}) == (
        "months_ongoing is 4, but the rule needs it to be less than 3")


def test_a_failed_not_equal_says_not():
    assert first_failure(fact("category", "noise", "!="), {"category": "noise"}) == (
        "category is noise, but the rule needs it to be not noise")


def test_a_failed_equality_says_the_value_needed():
    assert first_failure(fact("jag_cls_decision", "endorsed"), {"jag_cls_decision": "pending"}) == (
        "jag_cls_decision is pending, but the rule needs it to be endorsed")


def test_all_of_explains_its_first_failing_item_only():
    condition = AllOf((fact("months_ongoing", 1, ">="), NAP, JAG))
    assert first_failure(condition, QUIET) == "not raised at the Neighbourhood Action Panel"


def test_any_of_lists_the_alternatives_none_of_which_holds():
    assert first_failure(AnyOf((NAP, JAG)), QUIET) == (
        "none of these holds: raised at the Neighbourhood Action Panel or raised at the Joint Action Group")


def test_a_derived_fact_names_itself_and_its_own_first_failure():
    assert first_failure(PERSISTENT, {**QUIET, "reports_last_6_months": 5}) == (
        "persistent does not hold (months_ongoing is 1, but the rule needs it to be at least 3)")


def test_a_negated_derived_fact_that_holds_is_explained():
    facts = {**QUIET, "months_ongoing": 5, "reports_last_6_months": 5}
    assert first_failure(negate(PERSISTENT), facts).startswith("not persistent does not hold (")


def test_a_cls_rule_not_raised_at_the_nap_or_jag_says_so(book):
    facts = {**QUIET, "months_ongoing": 4, "reports_last_6_months": 4, "residents_willing_to_lead": True}
    assert first_failure(rule_when(book, "cls_recommended"), facts) == (
        "none of these holds: raised at the Neighbourhood Action Panel or raised at the Joint Action Group")


def test_a_cls_rule_for_an_issue_too_young_names_the_months(book):
    facts = {**QUIET, "reports_last_6_months": 4, "raised_at_nap": True, "residents_willing_to_lead": True}
    assert first_failure(rule_when(book, "cls_recommended"), facts) == (
        "persistent does not hold (months_ongoing is 1, but the rule needs it to be at least 3)")
