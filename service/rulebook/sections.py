"""Checking the settings sections: ruleset, parameters, routes, categories, agencies."""

from __future__ import annotations

import re

from .catalogue import FACTS
from .files import RawBook
from .model import Route
from .problems import Problems
from .yaml_lines import LineDict, LineList

CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def section(book: RawBook, key: str, kind: type, problems: Problems, required: bool = True):
    """A section's value if it has the expected shape, else an empty one."""
    located = book.sections.get(key)
    if located is None:
        if required:
            problems.error(book.directory, 1, key, f"section '{key}' is missing")
        return kind(), "", 1
    if not isinstance(located.value, kind):
        shape = "a mapping" if kind is LineDict else "a list"
        problems.error(located.file, located.line, key, f"'{key}' must be {shape}")
        return kind(), located.file, located.line
    return located.value, located.file, located.line


def ruleset_identity(book: RawBook, problems: Problems) -> tuple[str, str]:
    """The ruleset's name and description."""
    value, file, line = section(book, "ruleset", LineDict, problems)
    name = value.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name):
        problems.error(file or book.directory, value.line_of("name") if value else line, "ruleset",
                       "'name' must be 1-64 letters, digits, '-', '_' or '.'")
        name = "unnamed"
    for key in value:
        if key not in ("name", "description"):
            problems.error(file, value.line_of(key), "ruleset", f"unknown key '{key}'. Allowed: name, description")
    return name, str(value.get("description") or "").strip()


def parameters(book: RawBook, problems: Problems) -> dict:
    """Named thresholds: whole numbers, yes/no values or codes."""
    value, file, _ = section(book, "parameters", LineDict, problems, required=False)
    result = {}
    for name, param in value.items():
        line = value.line_of(name)
        if not isinstance(name, str) or not CODE.match(name):
            problems.error(file, line, "parameters", f"parameter name {name!r} must be lower_case_with_underscores")
        elif name in FACTS:
            problems.error(file, line, "parameters", f"parameter '{name}' has the same name as a fact")
        elif isinstance(param, float) or not isinstance(param, (int, bool, str)):
            problems.error(file, line, "parameters", f"parameter '{name}' must be a whole number, true/false or a code, not {param!r}")
        else:
            result[name] = param
    return result


def routes(book: RawBook, problems: Problems) -> tuple[Route, ...]:
    """The routes in precedence order."""
    value, file, line = section(book, "routes", LineList, problems)
    result = []
    for index, item in enumerate(value):
        item_line = value.line_of(index)
        if not isinstance(item, LineDict):
            problems.error(file, item_line, "routes", "each route needs code, label and review")
            continue
        route = _route(item, file, problems)
        if route and any(r.code == route.code for r in result):
            problems.error(file, item_line, "routes", f"route '{route.code}' is listed twice")
        elif route:
            result.append(route)
    if not result and value:
        problems.error(file, line, "routes", "at least one route is needed")
    return tuple(result)


def _route(item: LineDict, file: str, problems: Problems) -> Route | None:
    for key in item:
        if key not in ("code", "label", "review"):
            problems.error(file, item.line_of(key), "routes", f"unknown key '{key}'. Allowed: code, label, review")
    code, label, review = item.get("code"), item.get("label"), item.get("review", False)
    if not isinstance(code, str) or not CODE.match(code):
        problems.error(file, item.line, "routes", "a route's 'code' must be lower_case_with_underscores")
        return None
    if not isinstance(label, str) or not label.strip():
        problems.error(file, item.line, code, "a route needs a plain-English 'label'")
        return None
    if not isinstance(review, bool):
        problems.error(file, item.line_of("review"), code, "'review' must be true or false")
        return None
    return Route(code, label.strip(), review)


def categories(book: RawBook, problems: Problems) -> dict:
    """Category codes and their plain-English labels."""
    value, file, _ = section(book, "categories", LineDict, problems)
    result = {}
    for code, label in value.items():
        line = value.line_of(code)
        if not isinstance(code, str) or not CODE.match(code):
            problems.error(file, line, "categories", f"category code {code!r} must be lower_case_with_underscores")
        elif not isinstance(label, str) or not label.strip():
            problems.error(file, line, "categories", f"category '{code}' needs a plain-English label")
        else:
            result[code] = label.strip()
    return result


def agencies(book: RawBook, problems: Problems) -> tuple[str, ...]:
    """The canonical agency names."""
    value, file, _ = section(book, "agencies", LineList, problems)
    result = []
    for index, name in enumerate(value):
        line = value.line_of(index)
        if not isinstance(name, str) or not name.strip():
            problems.error(file, line, "agencies", f"an agency must be a name, not {name!r}")
        elif name in result:
            problems.error(file, line, "agencies", f"agency '{name}' is listed twice")
        else:
            result.append(name)
    return tuple(result)

