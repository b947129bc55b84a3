"""The community safety triage service: the app factory.

``create_app`` loads and checks the rule files (invalid ones stop start-up with
every problem listed), registers them with the durable_rules engine, and binds
the API. ``wsgi.py`` calls it once; tests call it with config overrides.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask

from . import config as config_module
from .api import register_blueprints
from .auth.access import authenticate_request, security_headers
from .auth.limits import init_limits
from .cli import register_commands
from .db import Database
from .decisions import DecisionLog
from .errors import register_error_handlers
from .extensions import api
from .rulebook import load_rulebook
from .rulesets import RulesetManager
from .triage import TriageService
from .web import init_web


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app; ``config`` overrides settings from the environment."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(config_module.from_environment())
    app.config.update(config or {})
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or _instance_secret(app)
    app.json.sort_keys = False
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if app.config.get("LOAD_RULES", True):
        book = load_rulebook(app.config["RULES_DIR"])
        app.extensions["triage"] = TriageService(book, timezone=app.config["TIMEZONE"])
    database = _database(app)
    app.extensions["database"] = database
    rulesets = _rulesets(app, database)
    app.extensions["decision_log"] = DecisionLog(database, on_locked=rulesets.sync if rulesets else None)
    api.init_app(app)
    _document_components()
    register_blueprints()
    init_web(app)
    init_limits(app)  # counts first, so even wrong keys are limited
    app.before_request(authenticate_request)
    app.after_request(security_headers)
    register_error_handlers(app)
    register_commands(app)
    return app


def _instance_secret(app: Flask) -> str:
    """A random secret kept in the instance folder, so sessions survive restarts and span workers."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def _rulesets(app: Flask, database: Database) -> RulesetManager | None:
    """Name the loaded rules live in the database, so every worker follows reloads."""
    if "triage" not in app.extensions:
        return None
    manager = RulesetManager(app.extensions["triage"], database, app.config["RULES_DIR"])
    manager.publish("startup")
    database.dispose()
    app.extensions["rulesets"] = manager
    return manager


def _database(app: Flask) -> Database:
    """The decision log's database, migrated to the newest schema if asked."""
    url = app.config["DATABASE_URL"] or f"sqlite:///{app.instance_path}/triage.db"
    database = Database(url)
    if app.config["AUTO_MIGRATE"]:
        database.migrate()
        database.dispose()  # no connection may cross gunicorn's fork
    return database


def _document_components() -> None:
    """Schemas the views reference by name in the OpenAPI spec."""
    from schemas import TriageRequestSchema
    from schemas.admin import KeyCreateSchema
    from schemas.decisions import BatchRequestSchema
    from schemas.rulesets import ValidateRequestSchema

    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                        "description": "An API key from `flask keys create`"})
    api.spec.options["security"] = [{"bearerAuth": []}]
    api.spec.components.schema("TriageRequest", schema=TriageRequestSchema)
    api.spec.components.schema("BatchRequest", schema=BatchRequestSchema)
    api.spec.components.schema("ValidateRequest", schema=ValidateRequestSchema)
    api.spec.components.schema("KeyCreate", schema=KeyCreateSchema)
