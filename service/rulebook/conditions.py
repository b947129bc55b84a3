"""Parse the ``when:`` part of a rule into a condition tree.

A condition is written the way a policy officer would say it::

    when:
      all:
        - persistent                      # a derived fact
        - any: [raised_at_nap, raised_at_jag]
        - jag_cls_decision != declined
        - months_ongoing >= persistent_min_months   # a named parameter

Each leaf compares one fact with one constant or parameter: comparing two facts
is refused, because durable_rules crashes on it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .catalogue import BOOL, CODE, FACTS, INT
from .model import AllOf, Always, AnyOf, Comparison, DerivedRef, negate

_LEAF = re.compile(
    r"^(?P<not>not\s+)?(?P<fact>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?:\s*(?P<op>==|!=|>=|<=|>|<|=|\bis\s+not\b|\bis\b|\bnot\s+in\b|\bin\b)\s*(?P<value>.+?))?\s*$"
)
_SYNONYMS = {"=": "==", "is": "==", "is not": "!="}
_GROUPS = ("all", "any", "none")
_TRUE = {"true", "yes"}
_FALSE = {"false", "no"}


class ConditionError(ValueError):
    """A condition that cannot be understood; ``line`` says where."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass
class ConditionContext:
    """What a condition may refer to: parameters, category codes, derived facts."""

    parameters: dict
    categories: dict
    derived: dict
    used_parameters: set


MAX_GROUPS = 15  # durable_rules refuses a pattern with more and/or groups (error 113)
MAX_ITEMS = 60  # and stays well below its 64-sibling and 512-child limits


def check_engine_limits(condition, line: int) -> None:
    """Refuse conditions durable_rules cannot take, once derived facts and lists are expanded."""
    groups, widest = _size(condition)
    if groups > MAX_GROUPS:
        raise ConditionError(f"too complex for the engine: {groups} all/any groups once derived facts and 'in' lists "
                             f"are expanded (at most {MAX_GROUPS}); split it into several rules", line)
    if widest > MAX_ITEMS:
        raise ConditionError(f"too many conditions in one group ({widest}, at most {MAX_ITEMS}); split it", line)


def _size(condition) -> tuple[int, int]:
    if isinstance(condition, DerivedRef):
        return _size(condition.condition)
    if isinstance(condition, AllOf | AnyOf) and len(condition.items) > 1:
        sizes = [_size(item) for item in condition.items]
        return 1 + sum(g for g, _ in sizes), max(len(condition.items), *(w for _, w in sizes))
    if isinstance(condition, AllOf | AnyOf):
        return _size(condition.items[0])
    return 0, 0


def parse_when(node, line: int, ctx: ConditionContext):
    """Turn a YAML ``when`` value into a condition tree."""
    if node == "always":
        return Always()
    return _parse(node, line, ctx)


def _parse(node, line, ctx):
    if isinstance(node, str):
        return _parse_leaf(node, line, ctx)
    if isinstance(node, dict):
        return _parse_group(node, ctx)
    raise ConditionError(
        f"a condition must be text like 'months_ongoing >= 3' or a group (all/any/none), "
        f"not {node!r}",
        line,
    )


def _parse_group(node, ctx):
    line = node.line
    if len(node) != 1 or next(iter(node)) not in _GROUPS:
        keys = ", ".join(map(str, node)) or "nothing"
        raise ConditionError(f"a condition group needs exactly one of all/any/none, found {keys}", line)
    group, items = next(iter(node.items()))
    if not isinstance(items, list) or not items:
        raise ConditionError(f"'{group}' needs a list of one or more conditions", node.line_of(group))
    parsed = tuple(_parse(item, _item_line(items, i, line), ctx) for i, item in enumerate(items))
    if group == "all":
        return AllOf(parsed)
    if group == "any":
        return AnyOf(parsed)
    return AllOf(tuple(negate(item) for item in parsed))


def _item_line(items, index, default):
    return items.line_of(index) if hasattr(items, "line_of") else default


def _parse_leaf(text, line, ctx):
    match = _LEAF.match(text.strip())
    if not match:
        raise ConditionError(f"cannot read condition {text!r}: write it as 'fact', 'not fact' or 'fact >= value'", line)
    name, op, raw = match["fact"], match["op"], match["value"]
    negated = bool(match["not"])
    if name in ctx.derived:
        if op:
            raise ConditionError(f"'{name}' is a yes/no derived fact: write '{name}' or 'not {name}'", line)
        ref = DerivedRef(name, ctx.derived[name])
        return negate(ref) if negated else ref
    spec = _fact_spec(name, line, ctx)
    if op is None:
        if spec.type != BOOL:
            raise ConditionError(f"'{name}' is a {spec.type}: compare it, e.g. '{name} >= 1'", line)
        return Comparison(name, "==", not negated, text.strip())
    if negated:
        raise ConditionError(f"write 'not' only before a yes/no fact, not in {text!r}", line)
    op = re.sub(r"\s+", " ", op)
    if op in ("in", "not in"):
        return _parse_membership(name, op, raw, text.strip(), line, ctx)
    op = _SYNONYMS.get(op, op)
    value = _parse_value(name, op, raw, line, ctx)
    return Comparison(name, op, value, text.strip())


def _fact_spec(name, line, ctx):
    spec = FACTS.get(name)
    if spec is None:
        names = sorted([*(n for n, s in FACTS.items() if s.testable), *ctx.derived])
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise ConditionError(f"unknown fact '{name}'.{hint} Known facts: {', '.join(names)}", line)
    if not spec.testable:
        raise ConditionError(f"'{name}' is text: it can be quoted in a reason but not tested", line)
    return spec


def _parse_membership(name, op, raw, text, line, ctx):
    raw = raw.strip()
    if not (raw.startswith("[") and raw.endswith("]")):
        raise ConditionError(f"'{op}' needs a list in square brackets, e.g. [graffiti, litter]", line)
    values = [part.strip() for part in raw[1:-1].split(",") if part.strip()]
    if not values:
        raise ConditionError(f"'{op}' needs at least one value", line)
    leaf_op = "==" if op == "in" else "!="
    leaves = tuple(
        Comparison(name, leaf_op, _parse_value(name, leaf_op, value, line, ctx), f"{name} {leaf_op} {value}")
        for value in values
    )
    if len(leaves) == 1:
        return Comparison(name, leaf_op, leaves[0].value, text)
    return AnyOf(leaves) if op == "in" else AllOf(leaves)


def _parse_value(name, op, raw, line, ctx):
    spec = FACTS[name]
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        value = raw[1:-1]
    elif raw in ctx.parameters:
        ctx.used_parameters.add(raw)
        value = ctx.parameters[raw]
    elif re.fullmatch(r"-?\d+", raw):
        value = int(raw)
    elif raw.lower() in _TRUE | _FALSE:
        value = raw.lower() in _TRUE
    elif raw in FACTS or raw in ctx.derived:
        raise ConditionError(f"'{name} {op} {raw}' compares two facts; compare a fact with a value or parameter", line)
    elif spec.type == CODE:
        value = raw
    else:
        raise ConditionError(f"'{raw}' is neither a value nor a defined parameter", line)
    return _check_value(spec, op, value, line, ctx)


def _check_value(spec, op, value, line, ctx):
    if spec.type == BOOL:
        if not isinstance(value, bool):
            raise ConditionError(f"'{spec.name}' is yes/no, so it needs true or false, not {value!r}", line)
        if op not in ("==", "!="):
            raise ConditionError(f"'{spec.name}' is yes/no: use == or !=, not {op}", line)
    elif spec.type == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConditionError(f"'{spec.name}' is a whole number, so it needs a number, not {value!r}", line)
    elif spec.type == CODE:
        codes = tuple(ctx.categories) if spec.name == "category" else spec.codes
        if op not in ("==", "!="):
            raise ConditionError(f"'{spec.name}' is a code: use ==, !=, in or not in, not {op}", line)
        if value not in codes:
            raise ConditionError(f"unknown {spec.name} {value!r}. Known: {', '.join(codes)}", line)
    return value
