"""Warnings about rules that never matter: contradictions, shadowing, and the expansion cap."""

from __future__ import annotations

import pytest

from service.rulebook import check_directory, load_rulebook
from service.rulebook.analysis import CAP, TooComplex, satisfiable, warn_unreachable
from service.rulebook.model import AllOf, AnyOf, Comparison
from service.rulebook.problems import Problems
from tests.service.rulebook.test_loader import append, line_of

NEVER = "can never fire: its conditions contradict each other"
SHADOWED = "never decides the route"


def add_rule(directory, rule_id: str, conditions: list[str], outcome: str = "flag: probe", file: str = "flags.yaml") -> int:
    """Append a rule whose ``when`` is all of ``conditions``; the line it starts on."""
    items = "".join(f"        - {condition}\n" for condition in conditions)
    append(directory, file, f"""
  - id: {rule_id}
    description: A rule added by the test.
    when:
      all:
{items}    {outcome}
    reason: "Added by the test"
""")
    return line_of(directory, file, f"id: {rule_id}")


def warnings_for(directory, rule_id: str) -> list[tuple]:
    """(file, line, severity, message) of each problem the rule has; the rules must still load."""
    book = load_rulebook(directory)
    return [(p.file, p.line, p.severity, p.message) for p in book.warnings if p.rule == rule_id]


def either(*conditions: str) -> AnyOf:
    """Any of several yes/no facts, as parsed."""
    return AnyOf(tuple(Comparison(fact, "==", True, fact) for fact in conditions))


def pairs(count: int) -> AllOf:
    """All of ``count`` two-way choices: 2**count conjunctions once expanded."""
    return AllOf(tuple(either("raised_at_nap", "raised_at_jag") for _ in range(count)))


# --- the shipped rules ------------------------------------------------------------------


def test_the_shipped_rules_raise_no_never_fire_or_shadowing_warnings(book):
    problems = Problems()
    warn_unreachable(book, problems)
    assert problems.items == []


def test_every_shipped_route_and_flag_rule_can_fire(book):
    assert all(satisfiable([rule.when], book) for rule in book.rules if rule.kind in ("route", "flag", "agency"))


# --- contradictions ---------------------------------------------------------------------

CONTRADICTIONS = {
    "whole-number range": ["months_ongoing >= 5", "months_ongoing < 2"],
    "strict bounds leave only an excluded value": ["months_ongoing > 1", "months_ongoing < 3", "months_ongoing != 2"],
    "equal and not equal": ["local_actions_count == 2", "local_actions_count != 2"],
    "a count below zero": ["months_ongoing < 0"],
    "yes and no": ["raised_at_nap", "not raised_at_nap"],
    "two categories": ["category == graffiti", "category == noise"],
    "in and not in the same codes": ["jag_cls_decision in [pending, endorsed]", "jag_cls_decision not in [pending, endorsed]"],
    "a derived fact and its negation": ["persistent", "not persistent"],
    "a derived fact and a fact it rules out": ["persistent", "months_ongoing < 3"],
}


@pytest.mark.parametrize("conditions", CONTRADICTIONS.values(), ids=CONTRADICTIONS.keys())
def test_a_rule_whose_conditions_contradict_is_warned_about(rules_copy, conditions):
    line = add_rule(rules_copy, "flag_probe", conditions)
    assert warnings_for(rules_copy, "flag_probe") == [("flags.yaml", line, "warning", NEVER)]


SATISFIABLE = {
    "a one-value range": ["months_ongoing >= 2", "months_ongoing < 3"],
    "strict bounds around one value": ["months_ongoing > 1", "months_ongoing < 3"],
    "a range with its ends excluded": ["months_ongoing >= 1", "months_ongoing <= 3", "months_ongoing != 1", "months_ongoing != 3"],
    "zero": ["local_actions_count == 0"],
    "a derived fact and another fact": ["persistent", "not raised_at_nap"],
    "not one code": ["category != graffiti"],
    "in and not in different codes": ["jag_cls_decision in [pending, endorsed]", "jag_cls_decision not in [pending]"],
}


@pytest.mark.parametrize("conditions", SATISFIABLE.values(), ids=SATISFIABLE.keys())
def test_a_rule_that_can_just_fire_is_not_warned_about(rules_copy, conditions):
    add_rule(rules_copy, "flag_probe", conditions)
    assert warnings_for(rules_copy, "flag_probe") == []


def test_a_contradiction_is_a_warning_so_the_rules_still_load(rules_copy):
    add_rule(rules_copy, "flag_probe", CONTRADICTIONS["whole-number range"])
    assert "flag_probe" in {rule.id for rule in load_rulebook(rules_copy).rules}


# --- shadowing --------------------------------------------------------------------------


def test_a_cat_rule_that_a_borough_tasking_rule_always_beats_is_warned_about(rules_copy):
    line = add_rule(rules_copy, "cat_probe", ["cat_requests_escalation"], outcome="route: cat", file="routing.yaml")
    message = "never decides the route: a rule for a route listed before 'cat' always holds too"
    assert warnings_for(rules_copy, "cat_probe") == [("routing.yaml", line, "warning", message)]


def test_a_rule_covered_by_several_higher_rules_together_is_shadowed(rules_copy):
    add_rule(rules_copy, "cat_probe", ["any: [cat_requests_escalation, other_areas_count >= 2]"], outcome="route: cat",
             file="routing.yaml")
    assert [SHADOWED in w[3] for w in warnings_for(rules_copy, "cat_probe")] == [True]


def test_a_cls_rule_that_borough_tasking_always_beats_is_shadowed(rules_copy):
    add_rule(rules_copy, "cls_probe", ["resources_unavailable_count >= 2"], outcome="route: community_led_solution",
             file="routing.yaml")
    assert [SHADOWED in w[3] for w in warnings_for(rules_copy, "cls_probe")] == [True]


def test_a_lower_rule_that_can_still_decide_the_route_is_not_shadowed(rules_copy):
    add_rule(rules_copy, "cat_probe", ["any: [cat_requests_escalation, raised_at_nap]"], outcome="route: cat", file="routing.yaml")
    assert warnings_for(rules_copy, "cat_probe") == []


def test_a_rule_for_the_same_route_does_not_shadow(rules_copy):
    add_rule(rules_copy, "bt_probe", ["cat_requests_escalation"], outcome="route: borough_tasking", file="routing.yaml")
    assert warnings_for(rules_copy, "bt_probe") == []


def test_a_flag_rule_is_never_shadowed_by_a_route_rule(rules_copy):
    add_rule(rules_copy, "flag_probe", ["cat_requests_escalation"])
    assert warnings_for(rules_copy, "flag_probe") == []


def test_a_rule_that_can_never_fire_is_not_also_called_shadowed(rules_copy):
    add_rule(rules_copy, "cat_probe", ["cat_requests_escalation", "not cat_requests_escalation"], outcome="route: cat",
             file="routing.yaml")
    assert [w[3] for w in warnings_for(rules_copy, "cat_probe")] == [NEVER]


def test_an_always_route_rule_shadows_every_lower_route_rule(rules_copy):
    append(rules_copy, "routing.yaml", """
  - id: bt_everything
    description: Everything goes to the Borough Tasking Group.
    when: always
    route: borough_tasking
    reason: "Everything"
""")
    shadowed = {p.rule for p in check_directory(rules_copy) if SHADOWED in p.message}
    assert {"cls_recommended", "cat_no_resident_lead"} <= shadowed


# --- the expansion cap ------------------------------------------------------------------


def test_an_expansion_at_the_cap_is_still_checked(book):
    assert CAP == 2**12
    assert satisfiable([pairs(12)], book) is True


def test_an_expansion_past_the_cap_is_too_complex(book):
    with pytest.raises(TooComplex):
        satisfiable([pairs(13)], book)


def test_the_cap_counts_the_conditions_checked_together(book):
    with pytest.raises(TooComplex):
        satisfiable([pairs(7), pairs(7)], book)


def contradiction_with_choices(choices: int) -> list[str]:
    """A contradiction alongside ``choices`` two-way choices."""
    return [*CONTRADICTIONS["whole-number range"], *["any: [raised_at_nap, raised_at_jag]"] * choices]


def test_a_contradiction_within_the_cap_is_found(rules_copy):
    add_rule(rules_copy, "flag_probe", contradiction_with_choices(12))
    assert [w[3] for w in warnings_for(rules_copy, "flag_probe")] == [NEVER]


def test_a_rule_past_the_cap_gets_the_benefit_of_the_doubt(rules_copy):
    add_rule(rules_copy, "flag_probe", contradiction_with_choices(13))
    assert warnings_for(rules_copy, "flag_probe") == []
