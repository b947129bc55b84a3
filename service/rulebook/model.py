"""The rule book's data: conditions, rules, routes and the loaded book itself.

Everything here is plain, immutable data. ``loader`` builds it from YAML,
``compiler`` turns it into durable_rules JSON and ``explain`` reads it back out
in plain English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

OPERATORS = ("==", "!=", ">=", "<=", ">", "<")
NEGATED = {"==": "!=", "!=": "==", ">=": "<", "<": ">=", "<=": ">", ">": "<="}
ROLES = ("lead", "support", "invited")


@dataclass(frozen=True)
class Comparison:
    """One fact compared with one constant, e.g. ``months_ongoing >= 3``."""

    fact: str
    op: str
    value: bool | int | str
    text: str


@dataclass(frozen=True)
class AllOf:
    """Every condition holds."""

    items: tuple


@dataclass(frozen=True)
class AnyOf:
    """At least one condition holds."""

    items: tuple


@dataclass(frozen=True)
class Always:
    """Holds for every issue."""

    text: str = "always"


@dataclass(frozen=True)
class DerivedRef:
    """A named derived fact (e.g. ``persistent``) used as a condition."""

    name: str
    condition: object
    negated: bool = False


Condition = Comparison | AllOf | AnyOf | Always | DerivedRef


def negate(condition: Condition) -> Condition:
    """The condition that holds exactly when ``condition`` does not."""
    if isinstance(condition, Comparison):
        text = f"not ({condition.text})"
        if isinstance(condition.value, bool):
            return Comparison(condition.fact, condition.op, not condition.value, text)
        return Comparison(condition.fact, NEGATED[condition.op], condition.value, text)
    if isinstance(condition, AllOf):
        return AnyOf(tuple(negate(item) for item in condition.items))
    if isinstance(condition, AnyOf):
        return AllOf(tuple(negate(item) for item in condition.items))
    if isinstance(condition, DerivedRef):
        return DerivedRef(condition.name, negate(condition.condition), not condition.negated)
    raise ValueError("'always' cannot be negated")


@dataclass(frozen=True)
class AgencyOutcome:
    """An agency a rule brings in, with its role."""

    name: str
    role: str


@dataclass(frozen=True)
class Rule:
    """One rule: when its condition holds, its outcome applies."""

    id: str
    description: str
    when: Condition
    reason: str
    file: str
    line: int
    kind: str  # "route", "flag", "agency", "agency_table" or "derived"
    route: str | None = None
    fallback: bool = False
    flag: str | None = None
    next_steps: tuple[str, ...] = ()
    agencies: tuple[AgencyOutcome, ...] = ()
    review_required: bool = False


@dataclass(frozen=True)
class Route:
    """A destination, in precedence order within the book."""

    code: str
    label: str
    review_required: bool


@dataclass(frozen=True)
class Problem:
    """Something wrong (or suspicious) in a rule file, with where it is."""

    file: str
    line: int
    rule: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}: {self.rule}: {prefix}{self.message}"


@dataclass
class RuleBook:
    """A complete, checked set of rule files."""

    name: str
    description: str
    version: str
    directory: str
    parameters: dict
    routes: tuple[Route, ...]
    categories: dict
    agencies: dict
    derived: dict
    rules: tuple[Rule, ...]
    loaded_at: datetime
    warnings: tuple[Problem, ...] = field(default_factory=tuple)
    files: dict = field(default_factory=dict)  # file name -> bytes, exactly as read

    def __post_init__(self):
        self._routes = {route.code: route for route in self.routes}
        self._precedence = {route.code: index for index, route in enumerate(self.routes)}

    def route(self, code: str) -> Route:
        """The route with this code."""
        return self._routes[code]

    def precedence(self, code: str) -> int:
        """Lower numbers win when several routes hold."""
        return self._precedence[code]
