"""Checking rules, derived facts and the agency table, and turning them into Rules."""

from __future__ import annotations

from .catalogue import FACTS
from .conditions import ConditionContext, ConditionError, check_engine_limits, parse_when
from .files import RawBook
from .model import ROLES, AgencyOutcome, Always, Comparison, Rule
from .problems import Problems
from .sections import CODE, section
from .templates import TemplateError, check_template
from .yaml_lines import LineDict, LineList

RULE_KEYS = ("id", "description", "when", "reason", "route", "fallback", "flag", "review", "next_steps", "agencies")
REQUIRED_KEYS = ("id", "description", "when", "reason")
DERIVED_KEYS = ("description", "when")
TABLE_KEYS = ("lead", "support", "invited")


def derived_facts(book: RawBook, ctx: ConditionContext, problems: Problems) -> list[Rule]:
    """Parse derived facts in order; each may use those defined before it."""
    value, file, _ = section(book, "derived_facts", LineDict, problems, required=False)
    result = []
    for name, item in value.items():
        line = value.line_of(name)
        if not isinstance(name, str) or not CODE.match(name) or name in FACTS or name in ctx.parameters:
            problems.error(file, line, str(name), "a derived fact needs a new lower_case_with_underscores name")
            continue
        if not isinstance(item, LineDict) or not _keys_ok(item, DERIVED_KEYS, DERIVED_KEYS, file, name, problems):
            if not isinstance(item, LineDict):
                problems.error(file, line, name, "a derived fact needs 'description' and 'when'")
            continue
        try:
            condition = parse_when(item["when"], item.line_of("when"), ctx)
        except ConditionError as error:
            problems.error(file, error.line, name, str(error))
            continue
        if isinstance(condition, Always):
            problems.error(file, item.line_of("when"), name, "a derived fact that always holds says nothing: give it conditions")
            continue
        ctx.derived[name] = condition
        result.append(Rule(f"derived_{name}", str(item["description"]), condition, str(item["description"]),
                           file, line, "derived"))
    return result


def agency_table(book: RawBook, categories: dict, agencies: tuple, problems: Problems) -> list[Rule]:
    """One rule per category row: the lead and supporting agencies for it."""
    value, file, line = section(book, "agency_table", LineDict, problems)
    result = []
    for category, row in value.items():
        row_line = value.line_of(category)
        rule_id = f"agency_table_{category}"
        if category not in categories:
            problems.error(file, row_line, rule_id, f"unknown category '{category}'. Known: {', '.join(categories)}")
            continue
        if not isinstance(row, LineDict) or not _keys_ok(row, TABLE_KEYS, ("lead",), file, rule_id, problems):
            if not isinstance(row, LineDict):
                problems.error(file, row_line, rule_id, "a row needs 'lead' and may have 'support' and 'invited'")
            continue
        outcomes = _table_outcomes(row, agencies, file, rule_id, problems)
        if outcomes is not None:
            reason = f"Agency table row for {categories[category].lower()} issues"
            when = Comparison("category", "==", category, f"category == {category}")
            result.append(Rule(rule_id, reason, when, reason, file, row_line, "agency_table", agencies=outcomes))
    for category in categories:
        if file and category not in value:
            problems.error(file, line, "agency_table", f"category '{category}' has no row: every category needs a lead")
    return result


def _table_outcomes(row: LineDict, agencies: tuple, file: str, rule_id: str, problems: Problems):
    outcomes = []
    for role in TABLE_KEYS:
        names = row.get(role, [])
        names = [names] if role == "lead" else names
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            shape = "an agency name" if role == "lead" else "a list of agency names"
            problems.error(file, row.line_of(role), rule_id, f"'{role}' must be {shape}")
            return None
        for name in names:
            if name not in agencies:
                problems.error(file, row.line_of(role), rule_id, f"unknown agency '{name}'. Known: {', '.join(agencies)}")
                return None
            outcomes.append(AgencyOutcome(name, role))
    return tuple(outcomes)


def rules(book: RawBook, ctx: ConditionContext, known: dict, problems: Problems) -> list[Rule]:
    """Every rule in the ``rules:`` sections, checked."""
    result, seen = [], {}
    for item, file in book.rules:
        rule_id = item.get("id")
        label = rule_id if isinstance(rule_id, str) else "rules"
        if not _keys_ok(item, RULE_KEYS, REQUIRED_KEYS, file, label, problems):
            continue
        if not isinstance(rule_id, str) or not CODE.match(rule_id):
            problems.error(file, item.line_of("id"), "rules", f"rule id {rule_id!r} must be lower_case_with_underscores")
            continue
        if rule_id in seen:
            problems.error(file, item.line_of("id"), rule_id, f"duplicate rule id: also defined at {seen[rule_id]}")
            continue
        seen[rule_id] = f"{file}:{item.line_of('id')}"
        rule = _rule(item, file, rule_id, ctx, known, problems)
        if rule is not None:
            result.append(rule)
    return result


def _rule(item: LineDict, file: str, rule_id: str, ctx, known: dict, problems: Problems) -> Rule | None:
    errors_before = len(problems.errors)
    try:
        when = parse_when(item["when"], item.line_of("when"), ctx)
        check_engine_limits(when, item.line_of("when"))
    except ConditionError as error:
        problems.error(file, error.line, rule_id, str(error))
        when = None
    route = _choice(item, "route", known["routes"], file, rule_id, problems)
    flag = item.get("flag")
    if flag is not None and (not isinstance(flag, str) or not CODE.match(flag)):
        problems.error(file, item.line_of("flag"), rule_id, "'flag' must be a lower_case_with_underscores code")
    fallback = _boolean(item, "fallback", file, rule_id, problems)
    review = _boolean(item, "review", file, rule_id, problems)
    if fallback and (route is None or not isinstance(when, Always)):
        problems.error(file, item.line_of("fallback"), rule_id, "a fallback rule needs a 'route' and 'when: always'")
    texts = _templates(item, file, rule_id, known["names"], problems)
    outcomes = _agency_outcomes(item, known["agencies"], file, rule_id, problems)
    if not any(key in item for key in ("route", "flag", "agencies", "next_steps")):
        problems.error(file, item.line, rule_id, "a rule needs an outcome: route, flag, agencies or next_steps")
    if len(problems.errors) > errors_before:
        return None
    kind = "route" if route else "flag" if flag else "agency"
    return Rule(rule_id, str(item["description"]), when, texts[0], file, item.line, kind, route=route,
                fallback=fallback, flag=flag, next_steps=tuple(texts[1:]), agencies=outcomes, review_required=review)


def _keys_ok(item: LineDict, allowed, required, file, label, problems: Problems) -> bool:
    ok = True
    for key in item:
        if key not in allowed:
            problems.error(file, item.line_of(key), label, f"unknown key '{key}'. Allowed: {', '.join(allowed)}")
            ok = False
    for key in required:
        if key not in item:
            problems.error(file, item.line, label, f"missing key '{key}'")
            ok = False
    return ok


def _choice(item, key, choices, file, rule_id, problems):
    value = item.get(key)
    if value is not None and value not in choices:
        problems.error(file, item.line_of(key), rule_id, f"unknown {key} {value!r}. Known: {', '.join(choices)}")
        return None
    return value


def _boolean(item, key, file, rule_id, problems) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        problems.error(file, item.line_of(key), rule_id, f"'{key}' must be true or false, not {value!r}")
        return False
    return value


def _templates(item, file, rule_id, names, problems) -> list[str]:
    steps = item.get("next_steps", LineList())
    if not isinstance(steps, LineList) or not all(isinstance(step, str) for step in steps):
        problems.error(file, item.line_of("next_steps"), rule_id, "'next_steps' must be a list of sentences")
        steps = LineList()
    texts = [item["reason"], *steps]
    lines = [item.line_of("reason"), *(steps.line_of(i) for i in range(len(steps)))]
    for text, line in zip(texts, lines, strict=True):
        try:
            if not isinstance(text, str) or not text.strip():
                raise TemplateError("'reason' must be a sentence saying why the rule fired")
            check_template(text, names)
        except TemplateError as error:
            problems.error(file, line, rule_id, str(error))
    return [str(text) for text in texts]


def _agency_outcomes(item, agencies, file, rule_id, problems) -> tuple:
    value = item.get("agencies", LineList())
    if not isinstance(value, LineList):
        problems.error(file, item.line_of("agencies"), rule_id, "'agencies' must be a list of {name, role}")
        return ()
    result = []
    for index, entry in enumerate(value):
        line = value.line_of(index)
        name = entry.get("name") if isinstance(entry, LineDict) else None
        role = entry.get("role") if isinstance(entry, LineDict) else None
        if name not in agencies:
            problems.error(file, line, rule_id, f"unknown agency {name!r}. Known: {', '.join(agencies)}")
        elif role not in ROLES[1:]:
            problems.error(file, line, rule_id, f"role must be support or invited (the agency table names the lead), not {role!r}")
        else:
            result.append(AgencyOutcome(name, role))
    return tuple(result)
