"""``flask --app wsgi users create|list``: people who sign in to the review pages."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from ..reviews import USER_ROLES, UserProblem, create_user, list_users

users_cli = AppGroup("users", help="People who sign in to the review pages.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(USER_ROLES))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
def create_command(username, role, password_stdin):
    """Create an account; the password is asked for (twice) and stored hashed."""
    password = (sys.stdin.readline().rstrip("\n") if password_stdin
                else click.prompt("Password", hide_input=True, confirmation_prompt=True))
    try:
        create_user(current_app.extensions["database"], username, role, password, actor="cli")
    except UserProblem as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {role} {username!r}.")


@users_cli.command("list")
def list_command():
    """List accounts."""
    for user in list_users(current_app.extensions["database"]):
        click.echo(f"{user.username}\t{user.role}\t{'disabled' if user.disabled_at else 'active'}")
