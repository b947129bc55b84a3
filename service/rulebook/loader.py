"""Load a rule directory into a checked RuleBook.

This is where rules are *loaded*: ``load_rulebook`` reads the YAML files, checks
every section and rule, and returns a RuleBook or raises RuleBookError listing
each problem as ``file:line: rule: message``. ``compiler`` then turns the book
into durable_rules JSON, and ``service.engine`` evaluates it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from . import rules as rule_parts
from . import sections
from .analysis import warn_unreachable
from .catalogue import FACTS
from .conditions import ConditionContext
from .files import RawBook, read_directory, read_texts
from .model import RuleBook
from .problems import Problems, RuleBookError


def load_rulebook(directory: str | Path) -> RuleBook:
    """Read, check and return the rule book in ``directory``."""
    problems = Problems()
    raw = read_directory(Path(directory), problems)
    return _build(raw, problems)


def load_rulebook_texts(contents: dict[str, bytes], directory: str = "<upload>") -> RuleBook:
    """Check and return a rule book given as ``{file name: bytes}``."""
    problems = Problems()
    raw = read_texts(directory, contents, problems)
    return _build(raw, problems)


def check_directory(directory: str | Path) -> list:
    """Every problem (errors and warnings) in a rule directory, without raising."""
    try:
        book = load_rulebook(directory)
    except RuleBookError as error:
        return error.problems
    return list(book.warnings)


def _build(raw: RawBook, problems: Problems) -> RuleBook:
    if problems.errors:  # a file that cannot be read would only cause a cascade of follow-on errors
        raise RuleBookError(problems.errors)
    name, description = sections.ruleset_identity(raw, problems)
    parameters = sections.parameters(raw, problems)
    routes = sections.routes(raw, problems)
    categories = sections.categories(raw, problems)
    agencies = sections.agencies(raw, problems)
    ctx = ConditionContext(parameters, categories, {}, set())
    derived = rule_parts.derived_facts(raw, ctx, problems)
    known = {
        "routes": [route.code for route in routes],
        "agencies": agencies,
        "names": set(FACTS) | set(ctx.derived) | set(parameters),
    }
    table = rule_parts.agency_table(raw, categories, agencies, problems)
    rules = rule_parts.rules(raw, ctx, known, problems)
    _check_fallback(raw, rules, problems)
    _warn_unused_parameters(raw, parameters, ctx, rules, problems)
    if problems.errors:
        raise RuleBookError(problems.errors + problems.warnings)
    book = RuleBook(
        name=name, description=description, version=raw.version, directory=raw.directory,
        parameters=parameters, routes=routes, categories=categories, agencies=agencies,
        derived=dict(ctx.derived), rules=tuple(derived + table + rules),
        loaded_at=datetime.now(UTC), files=dict(raw.contents),
    )
    warn_unreachable(book, problems)
    book.warnings = tuple(problems.warnings)
    return book


def _check_fallback(raw: RawBook, rules: list, problems: Problems) -> None:
    fallbacks = [rule for rule in rules if rule.fallback]
    if len(fallbacks) > 1:
        extra = fallbacks[1]
        problems.error(extra.file, extra.line, extra.id,
                       f"only one fallback rule is allowed; '{fallbacks[0].id}' is already the fallback")
    elif not fallbacks:
        problems.error(raw.directory, 1, "rules",
                       "no fallback rule: add a rule with 'when: always' and 'fallback: true' so every issue gets a route")


def _warn_unused_parameters(raw: RawBook, parameters: dict, ctx, rules: list, problems: Problems) -> None:
    from .templates import template_names

    quoted = {name for rule in rules for text in (rule.reason, *rule.next_steps) for name in template_names(text)}
    located = raw.sections.get("parameters")
    for name in parameters:
        if name not in ctx.used_parameters and name not in quoted:
            problems.warning(located.file, located.value.line_of(name), "parameters",
                             f"parameter '{name}' is defined but no rule uses it")
