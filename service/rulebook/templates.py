"""Reason and next-step templates: ``"Needs {resources_unavailable}"``.

A template may name any fact, derived fact or parameter in braces. Nothing else
is allowed inside the braces (no attribute access, no formatting code), so a
template can never reach into Python.
"""

from __future__ import annotations

import re
from string import Formatter

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TemplateError(ValueError):
    """A template that names something unknown or cannot be read."""


def template_names(template: str) -> list[str]:
    """The names a template interpolates; raises TemplateError if malformed."""
    try:
        parts = list(Formatter().parse(template))
    except ValueError as error:
        raise TemplateError(f"cannot read template {template!r}: {error} (write a literal brace as {{{{ or }}}})") from None
    names = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not _NAME.match(name) or spec or conversion:
            raise TemplateError(f"'{{{name}}}' in a template must be just a fact or parameter name")
        names.append(name)
    return names


def check_template(template: str, known: set[str]) -> None:
    """Raise TemplateError unless every name in the template is known."""
    for name in template_names(template):
        if name not in known:
            raise TemplateError(f"template names '{{{name}}}', which is not a fact or parameter")


def render(template: str, plain: dict) -> str:
    """Fill a checked template with values already made plain by plain_values."""
    return template.format_map(plain)


def plain_values(values: dict) -> dict:
    """Values as a reader would write them: yes/no rather than True/False."""
    return {key: _plain(value) for key, value in values.items()}


class PlainValues(dict):
    """``plain_values`` of several mappings merged, made plain only when a template asks.

    ``PlainValues(facts, parameters)`` renders exactly as
    ``plain_values({**parameters, **facts})`` does (earlier mappings win), but a
    decision quotes only a handful of its ~30 names, so each value is made plain
    the first time a template names it rather than all of them up front.
    """

    __slots__ = ("_sources",)

    def __init__(self, *sources: dict):
        super().__init__()
        self._sources = sources

    def __missing__(self, key):
        for source in self._sources:
            if key in source:
                value = self[key] = _plain(source[key])
                return value
        raise KeyError(key)


def _plain(value) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)
