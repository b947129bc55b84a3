"""Parsing the ``when:`` part of a rule into a condition tree."""

from __future__ import annotations

import textwrap

import pytest

from service.rulebook.catalogue import BOOL, CODE, FACTS, INT, JAG_CLS_DECISIONS, TEXT
from service.rulebook.conditions import ConditionContext, ConditionError, parse_when
from service.rulebook.model import AllOf, Always, AnyOf, Comparison, DerivedRef, negate
from service.rulebook.yaml_lines import load_yaml

LINE = 7
PARAMETERS = {"min_months": 3, "strict": True, "usual_category": "graffiti", "label_text": "three"}
CATEGORIES = {"graffiti": "Graffiti", "litter": "Litter", "noise": "Noise"}
PERSISTENT = AllOf((Comparison("months_ongoing", ">=", 3, "months_ongoing >= 3"),
                    Comparison("reports_last_6_months", ">=", 3, "reports_last_6_months >= 3")))

INT_FACT = next(name for name, spec in FACTS.items() if spec.type == INT)
BOOL_FACT = next(name for name, spec in FACTS.items() if spec.type == BOOL)
TEXT_FACT = next(name for name, spec in FACTS.items() if spec.type == TEXT)


def context() -> ConditionContext:
    """A context with a few parameters, categories and one derived fact."""
    return ConditionContext(dict(PARAMETERS), dict(CATEGORIES), {"persistent": PERSISTENT}, set())


def leaf(text: str, ctx: ConditionContext | None = None):
    """Parse one condition written as text on line LINE."""
    return parse_when(text, LINE, ctx or context())


def when(yaml_text: str, ctx: ConditionContext | None = None):
    """Parse a ``when:`` block written in YAML, as the loader would."""
    document = load_yaml(textwrap.dedent(yaml_text).lstrip("\n"))
    return parse_when(document["when"], document.line_of("when"), ctx or context())


def parse_error(text: str) -> ConditionError:
    """The ConditionError that parsing one text condition raises."""
    with pytest.raises(ConditionError) as caught:
        leaf(text)
    return caught.value


# --- leaves ---------------------------------------------------------------


def test_always_holds_for_every_issue():
    assert isinstance(leaf("always"), Always)


def test_a_bare_yes_no_fact_means_it_is_true():
    assert leaf("raised_at_nap") == Comparison("raised_at_nap", "==", True, "raised_at_nap")


def test_not_before_a_yes_no_fact_means_it_is_false():
    assert leaf("not raised_at_nap") == Comparison("raised_at_nap", "==", False, "not raised_at_nap")


@pytest.mark.parametrize("op", ["==", "!=", ">=", "<=", ">", "<"])
def test_a_whole_number_compares_with_an_int(op):
    assert leaf(f"months_ongoing {op} 4") == Comparison("months_ongoing", op, 4, f"months_ongoing {op} 4")


def test_a_negative_int_is_read_as_an_int():
    assert leaf("months_ongoing > -1").value == -1


def test_spaces_around_the_operator_are_optional():
    assert leaf("months_ongoing>=4") == Comparison("months_ongoing", ">=", 4, "months_ongoing>=4")


@pytest.mark.parametrize(("written", "op"), [("=", "=="), ("is", "=="), ("is not", "!=")])
def test_operator_synonyms_are_normalised(written, op):
    assert leaf(f"jag_cls_decision {written} endorsed").op == op


def test_a_parameter_is_replaced_by_its_value():
    assert leaf("months_ongoing >= min_months").value == PARAMETERS["min_months"]


def test_a_parameter_used_is_recorded():
    ctx = context()
    leaf("months_ongoing >= min_months", ctx)
    assert ctx.used_parameters == {"min_months"}


def test_a_yes_no_parameter_compares_with_a_yes_no_fact():
    assert leaf("raised_at_nap == strict").value is PARAMETERS["strict"]


@pytest.mark.parametrize(("written", "value"), [("true", True), ("yes", True), ("false", False), ("no", False), ("True", True)])
def test_a_yes_no_fact_compares_with_true_or_false(written, value):
    assert leaf(f"raised_at_nap == {written}").value is value


def test_a_code_fact_compares_with_one_of_its_codes():
    assert leaf("jag_cls_decision != declined") == Comparison("jag_cls_decision", "!=", "declined", "jag_cls_decision != declined")


def test_a_category_compares_with_a_category_code():
    assert leaf("category == litter").value == "litter"


def test_a_quoted_code_is_read_without_its_quotes():
    assert leaf("category == 'noise'").value == "noise"


def test_a_code_parameter_compares_with_a_category():
    assert leaf("category == usual_category").value == PARAMETERS["usual_category"]


# --- in / not in ----------------------------------------------------------


def test_in_a_list_holds_when_any_value_matches():
    parsed = leaf("category in [graffiti, litter]")
    assert isinstance(parsed, AnyOf)
    assert [(item.fact, item.op, item.value) for item in parsed.items] == [("category", "==", "graffiti"), ("category", "==", "litter")]


def test_not_in_a_list_holds_when_no_value_matches():
    parsed = leaf("jag_cls_decision not in [declined, pending]")
    assert isinstance(parsed, AllOf)
    assert [(item.op, item.value) for item in parsed.items] == [("!=", "declined"), ("!=", "pending")]


def test_in_a_one_item_list_is_a_plain_comparison():
    assert leaf("category in [noise]") == Comparison("category", "==", "noise", "category in [noise]")


def test_not_in_a_one_item_list_is_a_plain_inequality():
    assert leaf("category not in [noise]") == Comparison("category", "!=", "noise", "category not in [noise]")


def test_in_a_list_of_ints_reads_ints():
    assert [item.value for item in leaf("months_ongoing in [1, 2]").items] == [1, 2]


def test_in_needs_square_brackets():
    assert "square brackets" in str(parse_error("category in graffiti"))


def test_in_needs_at_least_one_value():
    assert "at least one value" in str(parse_error("category in [ , ]"))


def test_in_checks_each_value():
    assert "unknown category 'grafitti'" in str(parse_error("category in [litter, grafitti]"))


# --- groups ---------------------------------------------------------------


def test_all_holds_when_every_item_holds():
    parsed = when("""
        when:
          all:
            - raised_at_nap
            - months_ongoing >= 3
    """)
    assert parsed == AllOf((leaf("raised_at_nap"), leaf("months_ongoing >= 3")))


def test_any_holds_when_one_item_holds():
    parsed = when("""
        when:
          any: [raised_at_nap, raised_at_jag]
    """)
    assert parsed == AnyOf((leaf("raised_at_nap"), leaf("raised_at_jag")))


def test_none_holds_when_no_item_holds():
    parsed = when("""
        when:
          none:
            - raised_at_nap
            - months_ongoing >= 3
    """)
    assert parsed == AllOf((negate(leaf("raised_at_nap")), negate(leaf("months_ongoing >= 3"))))


def test_none_negates_each_comparison():
    parsed = when("""
        when:
          none: [raised_at_nap, months_ongoing >= 3, category == noise]
    """)
    assert [(item.fact, item.op, item.value) for item in parsed.items] == [
        ("raised_at_nap", "==", False), ("months_ongoing", "<", 3), ("category", "!=", "noise")]


def test_groups_nest():
    parsed = when("""
        when:
          all:
            - raised_at_nap
            - any:
                - months_ongoing >= 3
                - none: [residents_willing_to_lead]
    """)
    inner = parsed.items[1]
    assert isinstance(inner, AnyOf)
    assert inner.items[1] == AllOf((Comparison("residents_willing_to_lead", "==", False, "not (residents_willing_to_lead)"),))


def test_a_group_needs_exactly_one_of_all_any_none():
    text = """
        when:
          all: [raised_at_nap]
          any: [raised_at_jag]
    """
    with pytest.raises(ConditionError, match="exactly one of all/any/none") as caught:
        when(text)
    assert caught.value.line == 2


def test_an_unknown_group_name_is_refused():
    with pytest.raises(ConditionError, match="found either"):
        when("""
            when:
              either: [raised_at_nap]
        """)


def test_a_group_needs_a_non_empty_list():
    with pytest.raises(ConditionError, match="'any' needs a list"):
        when("""
            when:
              any: []
        """)


def test_an_error_inside_a_group_is_on_the_items_line():
    text = """
        when:
          all:
            - raised_at_nap
            - unknown_thing >= 3
    """
    with pytest.raises(ConditionError) as caught:
        when(text)
    assert caught.value.line == 4


def test_a_condition_must_be_text_or_a_group():
    with pytest.raises(ConditionError, match="must be text"):
        leaf(3)


# --- derived facts --------------------------------------------------------


def test_a_derived_fact_is_a_reference_to_its_condition():
    assert leaf("persistent") == DerivedRef("persistent", PERSISTENT)


def test_not_a_derived_fact_negates_its_condition():
    parsed = leaf("not persistent")
    assert parsed.negated is True
    assert parsed.condition == negate(PERSISTENT)


def test_a_derived_fact_cannot_be_compared():
    assert "derived fact" in str(parse_error("persistent == true"))


# --- errors ---------------------------------------------------------------


def test_an_unknown_fact_is_refused():
    error = parse_error("months_gone >= 3")
    assert "unknown fact 'months_gone'" in str(error)
    assert error.line == LINE


def test_an_unknown_fact_error_lists_the_derived_facts():
    assert "persistent" in str(parse_error("nonsense"))


def test_a_text_fact_cannot_be_tested():
    assert f"'{TEXT_FACT}' is text" in str(parse_error(f"{TEXT_FACT} == Blakenall"))


@pytest.mark.parametrize("other", ["reports_last_6_months", "area", "persistent"])
def test_comparing_two_facts_is_refused(other):
    assert "compares two facts" in str(parse_error(f"months_ongoing >= {other}"))


def test_comparing_a_code_fact_with_another_fact_is_refused():
    assert "compares two facts" in str(parse_error("category == raised_by"))


@pytest.mark.parametrize("value", ["'3'", "true", "label_text", "strict"])
def test_a_whole_number_needs_a_number(value):
    assert f"'{INT_FACT}' is a whole number, so it needs a number" in str(parse_error(f"{INT_FACT} >= {value}"))


def test_a_whole_number_refuses_an_undefined_name():
    assert "'three' is neither a value nor a defined parameter" in str(parse_error("months_ongoing >= three"))


def test_a_whole_number_refuses_a_yes_no_value():
    assert "needs a number" in str(parse_error("months_ongoing == true"))


@pytest.mark.parametrize("value", ["1", "'true'", "usual_category"])
def test_a_yes_no_fact_needs_true_or_false(value):
    assert "needs true or false" in str(parse_error(f"{BOOL_FACT} == {value}"))


@pytest.mark.parametrize("op", [">=", "<=", ">", "<"])
def test_a_yes_no_fact_refuses_ordering(op):
    assert "use == or !=" in str(parse_error(f"raised_at_nap {op} true"))


@pytest.mark.parametrize("value", ["1", "true"])
def test_a_code_fact_refuses_a_non_code(value):
    assert "unknown jag_cls_decision" in str(parse_error(f"jag_cls_decision == {value}"))


def test_an_unknown_category_is_refused_with_the_known_ones():
    message = str(parse_error("category == grafitti"))
    assert "unknown category 'grafitti'" in message
    assert all(code in message for code in CATEGORIES)


def test_a_category_from_another_catalogue_is_refused():
    code = JAG_CLS_DECISIONS[0]
    assert f"unknown category '{code}'" in str(parse_error(f"category == {code}"))


@pytest.mark.parametrize("op", [">=", "<=", ">", "<"])
def test_a_code_fact_refuses_ordering(op):
    assert "is a code" in str(parse_error(f"category {op} graffiti"))


def test_a_whole_number_cannot_stand_alone():
    assert f"is a {INT}" in str(parse_error("months_ongoing"))


def test_a_code_cannot_stand_alone():
    assert f"is a {CODE}" in str(parse_error("category"))


def test_not_before_a_comparison_is_refused():
    assert "write 'not' only before a yes/no fact" in str(parse_error("not months_ongoing >= 3"))


def test_unreadable_text_is_refused():
    assert "cannot read condition" in str(parse_error("(months_ongoing >= 3)"))


def test_a_misspelt_fact_suggests_the_closest_name():
    from service.rulebook.conditions import ConditionContext, ConditionError, parse_when

    ctx = ConditionContext({}, {"graffiti": "Graffiti"}, {}, set())
    with pytest.raises(ConditionError, match="Did you mean 'cat_requests_escalation'"):
        parse_when("cat_requests_escalatoin", 3, ctx)
