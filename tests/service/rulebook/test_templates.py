"""Reason and next-step templates: only known names, nothing that reaches into Python."""

from __future__ import annotations

import pytest

from service.rulebook.templates import TemplateError, check_template, plain_values, render, template_names

KNOWN = {"area", "other_areas", "raised_at_nap", "months_ongoing"}


def test_template_names_lists_the_names_in_order():
    assert template_names("{area} and {other_areas}, again {area}") == ["area", "other_areas", "area"]


def test_a_template_without_braces_names_nothing():
    assert template_names("A local issue") == []


def test_doubled_braces_are_literal_braces():
    assert template_names("{{not a name}} but {area}") == ["area"]


def test_a_template_naming_known_names_passes():
    check_template("Spans {area} and {other_areas}", KNOWN)  # raises TemplateError if it does not pass


def test_an_unknown_name_is_refused():
    with pytest.raises(TemplateError, match="'{location}', which is not a fact or parameter"):
        check_template("Seen at {location}", KNOWN)


@pytest.mark.parametrize(
    "template",
    [
        "{area.__class__}",
        "{area.__class__.__init__.__globals__}",
        "{area[0]}",
        "{area!r}",
        "{months_ongoing:>10}",
        "{}",
        "{0}",
    ],
)
def test_anything_but_a_plain_name_is_refused(template):
    with pytest.raises(TemplateError, match="must be just a fact or parameter name"):
        template_names(template)


@pytest.mark.parametrize("template", ["{area", "area}", "{area} }"])
def test_an_unbalanced_brace_is_refused(template):
    with pytest.raises(TemplateError, match="cannot read template"):
        template_names(template)


def test_render_fills_in_values():
    assert render("In {area} for {months_ongoing} months", plain_values({"area": "Blakenall", "months_ongoing": 4})) == (
        "In Blakenall for 4 months"
    )


def test_render_writes_true_as_yes():
    assert render("At the NAP: {raised_at_nap}", plain_values({"raised_at_nap": True})) == "At the NAP: yes"


def test_render_writes_false_as_no():
    assert render("At the NAP: {raised_at_nap}", plain_values({"raised_at_nap": False})) == "At the NAP: no"


def test_plain_values_keeps_zero_and_one_as_numbers():
    assert plain_values({"a": 0, "b": 1}) == {"a": "0", "b": "1"}


def test_render_keeps_doubled_braces_as_single_braces():
    assert render("{{x}} {area}", plain_values({"area": "Here"})) == "{x} Here"
