"""``flask --app wsgi rules check|test|diff``: the policy officer's toolkit."""

from __future__ import annotations

import csv
import sys
from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from ..rulebook import RuleBookError, check_directory, load_rulebook
from ..ruletests import run_cases
from ..ruletests.diff import diff_rules
from ..triage import TriageService

rules_cli = AppGroup("rules", help="Check, test and compare rule files.")


def _directory(directory: str | None) -> str:
    return directory or current_app.config["RULES_DIR"]


def _load_or_exit(directory: str):
    try:
        return load_rulebook(directory)
    except RuleBookError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{directory}: the rule files have errors; fix them first (see `rules check`).", err=True)
        raise SystemExit(1) from None


@rules_cli.command("check")
@click.argument("directory", required=False)
def check_command(directory):
    """Check rule files for mistakes without starting the service."""
    directory = _directory(directory)
    problems = check_directory(directory)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    if errors:
        click.echo(f"{directory}: {errors} error(s), {warnings} warning(s).")
        raise SystemExit(1)
    click.echo(f"{directory}: OK, no errors ({warnings} warning(s)).")


@rules_cli.command("test")
@click.argument("directory", required=False)
def test_command(directory):
    """Run the test cases in DIRECTORY/tests and report failures and coverage."""
    directory = _directory(directory)
    book = _load_or_exit(directory)
    run = run_cases(book)
    for problem in run.problems:
        click.echo(str(problem))
    for result in run.failed:
        click.echo(f"FAIL {result.case.file}:{result.case.line}: {result.case.name}")
        for what, expected, actual in result.failures:
            click.echo(f"    {what}: expected {expected!r}, got {actual!r}")
    passed = len(run.results) - len(run.failed)
    click.echo(f"{passed} passed, {len(run.failed)} failed")
    if run.uncovered:
        click.echo(f"Rules no test case fires ({len(run.uncovered)}): {', '.join(run.uncovered)}")
    else:
        click.echo(f"Coverage: every one of the {len(book.rules)} rules is fired by some test case.")
    if not run.passed:
        raise SystemExit(1)


@rules_cli.command("diff")
@click.argument("candidate")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only decisions evaluated on or after this date.")
@click.option("--format", "output", type=click.Choice(["text", "csv"]), default="text", show_default=True)
def diff_command(candidate, since, output):
    """Show what CANDIDATE rules would change in recorded decisions and test cases."""
    live = TriageService(_load_or_exit(_directory(None)))
    proposed = TriageService(_load_or_exit(candidate))
    since_day: date | None = since.date() if since else None
    diff = diff_rules(live, proposed, current_app.extensions["database"], since_day)
    if output == "csv":
        _write_csv(diff)
        return
    click.echo(f"Replayed {diff.replayed} item(s) (recorded decisions and test cases) through the live rules "
               f"({live.live.version}) and the candidate ({proposed.live.version}).")
    click.echo(f"Changes: {diff.routings} routing(s), {diff.flags} flag set(s), {diff.agencies} agency set(s).")
    for change in diff.changes:
        click.echo(_describe(change))


def _describe(change) -> str:
    if change.error:
        return f"- {change.source} {change.reference} [{change.item}]: {change.error}"
    parts = [f"routing {change.routing[0]} -> {change.routing[1]}" if change.routing[0] != change.routing[1] else ""]
    parts += [f"+flag {f}" for f in change.flags_added] + [f"-flag {f}" for f in change.flags_removed]
    parts += [f"+agency {a}" for a in change.agencies_added] + [f"-agency {a}" for a in change.agencies_removed]
    rules = [f"+{r}" for r in change.rules_now_firing] + [f"-{r}" for r in change.rules_no_longer_firing]
    return (f"- {change.source} {change.reference} [{change.item}]: {'; '.join(p for p in parts if p)}"
            f"  (rules: {', '.join(rules) or 'none'})")


def _write_csv(diff) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(["source", "reference", "item", "routing_live", "routing_candidate", "flags_added", "flags_removed",
                     "agencies_added", "agencies_removed", "rules_now_firing", "rules_no_longer_firing", "error"])
    for c in diff.changes:
        writer.writerow([c.source, c.reference, c.item, *c.routing, " ".join(c.flags_added), " ".join(c.flags_removed),
                         "; ".join(c.agencies_added), "; ".join(c.agencies_removed), " ".join(c.rules_now_firing),
                         " ".join(c.rules_no_longer_firing), c.error])
