"""``flask --app wsgi decisions verify|purge``: check and maintain the decision log."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from ..decisions import parse_age, purge_older_than, verify

decisions_cli = AppGroup("decisions", help="Check and maintain the decision log.")


@decisions_cli.command("verify")
def verify_command():
    """Check that no recorded decision has been altered, removed or reordered."""
    result = verify(current_app.extensions["database"])
    for problem in result.problems:
        click.echo(f"TAMPERED: {problem}", err=True)
    if not result.intact:
        click.echo(f"FAILED: {len(result.problems)} problem(s) in {result.checked} record(s).", err=True)
        raise SystemExit(1)
    click.echo(f"OK: {result.checked} record(s) verified; the chain is intact.")


@decisions_cli.command("purge")
@click.option("--older-than", "older_than", required=True, help="Age such as 365d or 52w.")
def purge_command(older_than: str):
    """Remove decisions older than the given age, keeping the chain verifiable."""
    try:
        age = parse_age(older_than)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--older-than") from None
    removed = purge_older_than(current_app.extensions["database"], age, datetime.now(UTC))
    click.echo(f"Purged {removed} decision(s) older than {older_than}.")

