"""Command-line faces of the service, under the ``flask`` command."""

from __future__ import annotations

from flask import Flask

from .decisions import decisions_cli
from .keys import keys_cli
from .rules import rules_cli
from .users import users_cli


def register_commands(app: Flask) -> None:
    """Attach the command groups to the app's ``flask`` command."""
    app.cli.add_command(decisions_cli)
    app.cli.add_command(rules_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(users_cli)
