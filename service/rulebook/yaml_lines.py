"""A YAML loader that remembers the line each mapping and list item came from.

Problems in rule files are reported as ``file:line``, so every mapping the loader
builds is a :class:`LineDict` that knows its own line and the line of each key.
"""

from __future__ import annotations

import yaml


class LineDict(dict):
    """A dict that remembers its line and the line of each of its keys."""

    line: int = 0
    key_lines: dict = {}

    def line_of(self, key) -> int:
        """The line a key was written on, or the mapping's own line."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that remembers its line and the line of each item."""

    line: int = 0
    item_lines: tuple = ()

    def line_of(self, index: int) -> int:
        """The line an item was written on, or the list's own line."""
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loading that records line numbers (1-based)."""

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        self.flatten_mapping(node)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be plain text", key_node.start_mark
                )
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node, deep=False):
        items = LineList(self.construct_object(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = tuple(child.start_mark.line + 1 for child in node.value)
        return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence)


def load_yaml(text: str):
    """Parse YAML text into LineDicts and LineLists; raises yaml.YAMLError."""
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass


def error_line(error: yaml.YAMLError) -> int:
    """The 1-based line a YAML error points at, or 1 when it names none."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else 1
