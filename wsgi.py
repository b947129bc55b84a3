"""The WSGI entry point: ``gunicorn wsgi:app`` and ``flask --app wsgi``."""

import sys

import click

from service import create_app
from service.rulebook import RuleBookError


def _make_app():
    try:
        return create_app()
    except RuleBookError as error:
        if click.get_current_context(silent=True) is not None:
            # Under the flask command: start without rules so `rules check` can report the problems.
            return create_app({"LOAD_RULES": False})
        sys.stderr.write(f"The service cannot start: the rule files have problems.\n{error}\n")
        sys.exit(3)


app = _make_app()
