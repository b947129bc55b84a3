"""The line-aware YAML loader: every mapping and list knows where it was written."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from service.rulebook.yaml_lines import LineDict, LineList, error_line, load_yaml


def load(text: str):
    """Load dedented YAML text."""
    return load_yaml(textwrap.dedent(text).lstrip("\n"))


def line_containing(text: str, needle: str) -> int:
    """The 1-based line of the first line of dedented ``text`` containing ``needle``."""
    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


NESTED = """
    # a comment first
    ruleset:
      name: demo

    rules:
      - id: first
        when: raised_at_nap
      - id: second
        when:
          any: [raised_at_nap, raised_at_jag]
"""


def test_mappings_load_as_line_dicts():
    document = load(NESTED)
    assert isinstance(document, LineDict)
    assert isinstance(document["ruleset"], LineDict)


def test_lists_load_as_line_lists():
    document = load(NESTED)
    assert isinstance(document["rules"], LineList)
    assert isinstance(document["rules"][1]["when"]["any"], LineList)


def test_a_key_knows_its_line():
    document = load(NESTED)
    assert document.line_of("rules") == line_containing(NESTED, "rules:")


def test_a_nested_mapping_knows_its_own_line():
    document = load(NESTED)
    assert document["ruleset"].line == line_containing(NESTED, "name: demo")


def test_a_list_item_mapping_starts_on_its_dash_line():
    document = load(NESTED)
    assert document["rules"][1].line == line_containing(NESTED, "id: second")


def test_a_nested_key_knows_its_line():
    document = load(NESTED)
    assert document["rules"][1].line_of("when") == line_containing(NESTED, "id: second") + 1


def test_a_block_mapping_value_starts_on_its_first_key():
    document = load(NESTED)
    assert document["rules"][1]["when"].line == line_containing(NESTED, "any: [")


def test_list_items_know_their_lines():
    document = load(NESTED)
    rules = document["rules"]
    assert [rules.line_of(0), rules.line_of(1)] == [line_containing(NESTED, "id: first"), line_containing(NESTED, "id: second")]


def test_flow_list_items_share_their_line():
    document = load(NESTED)
    items = document["rules"][1]["when"]["any"]
    assert items.line_of(0) == items.line_of(1) == line_containing(NESTED, "any: [")


def test_an_unknown_key_falls_back_to_the_mapping_line():
    document = load(NESTED)
    first = document["rules"][0]
    assert first.line_of("no_such_key") == first.line


def test_an_index_out_of_range_falls_back_to_the_list_line():
    document = load(NESTED)
    rules = document["rules"]
    assert rules.line_of(5) == rules.line_of(-1) == rules.line


def test_each_mapping_has_its_own_key_lines():
    document = load(NESTED)
    first, second = document["rules"]
    assert first.key_lines is not second.key_lines
    assert first.line_of("id") != second.line_of("id")


def test_values_keep_their_yaml_types():
    document = load("""
        number: 3
        flag: true
        text: hello
    """)
    assert document == {"number": 3, "flag": True, "text": "hello"}
    assert isinstance(document["flag"], bool)


def test_merge_keys_are_flattened():
    document = load("""
        base: &base
          lead: Street Pride
        row:
          <<: *base
          support: [Green Spaces]
    """)
    assert document["row"] == {"lead": "Street Pride", "support": ["Green Spaces"]}


def test_an_empty_document_is_none():
    assert load_yaml("# only a comment\n") is None


def test_a_duplicate_key_is_an_error_on_its_line():
    text = """
        rules:
          - id: one
            when: raised_at_nap
            when: raised_at_jag
    """
    with pytest.raises(yaml.YAMLError, match="duplicate key 'when'") as caught:
        load(text)
    assert error_line(caught.value) == line_containing(text, "when: raised_at_jag")


def test_a_mapping_key_is_refused():
    text = """
        ? {a: 1}
        : value
    """
    with pytest.raises(yaml.YAMLError, match="a key must be plain text"):
        load(text)


def test_a_syntax_error_reports_its_line():
    text = """
        rules:
          - id: one
            flag: cross_area: oops
    """
    with pytest.raises(yaml.YAMLError) as caught:
        load(text)
    assert error_line(caught.value) == line_containing(text, "oops")


def test_python_tags_are_refused():
    with pytest.raises(yaml.YAMLError):
        load_yaml("value: !!python/object/apply:os.getcwd []\n")


def test_an_error_without_a_mark_is_on_line_one():
    assert error_line(yaml.YAMLError("no position")) == 1
