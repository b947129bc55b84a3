"""``flask --app wsgi keys create|revoke|list``: API keys for calling systems."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..auth import ROLES, KeyProblem, create_key, list_keys, revoke_key

keys_cli = AppGroup("keys", help="Create, revoke and list API keys.")


@keys_cli.command("create")
@click.option("--name", required=True, help="Who the key is for, e.g. 'ecins-walsall'.")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the key may do.")
def create_command(name, role):
    """Create a key; it is shown once and only its hash is kept."""
    try:
        key = create_key(current_app.extensions["database"], name, role, actor="cli")
    except KeyProblem as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {role} key {name!r}. Store it now: it will not be shown again.")
    click.echo(key)


@keys_cli.command("revoke")
@click.argument("name")
def revoke_command(name):
    """Revoke a key at once."""
    try:
        revoke_key(current_app.extensions["database"], name, actor="cli")
    except KeyProblem as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Revoked key {name!r}.")


@keys_cli.command("list")
def list_command():
    """List keys (names, roles and dates; never the keys)."""
    for key in list_keys(current_app.extensions["database"]):
        state = f"revoked {key['revoked_at']:%Y-%m-%d}" if key["revoked_at"] else "live"
        click.echo(f"{key['name']}\t{key['role']}\tcreated {key['created_at']:%Y-%m-%d} by {key['created_by']}\t{state}")
