"""The review pages for people: sign-in, the queue, decisions, reports.

Server-rendered with Jinja and usable without JavaScript. Every form carries a
CSRF token; pages need a signed-in person with the right role.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_wtf.csrf import CSRFError

from ..extensions import csrf, login_manager

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/web")


@bp.before_request
def _require_csrf_token():
    """Every form post on these pages must carry the session's CSRF token."""
    csrf.protect()


def init_web(app: Flask) -> None:
    """Register the pages, sessions and CSRF protection."""
    from . import admin, auth, reports, review  # noqa: F401  (attach their views to the blueprint)
    from .session import load_person

    login_manager.init_app(app)
    login_manager.login_view = "web.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.user_loader(load_person)
    csrf.init_app(app)
    app.register_blueprint(bp)
    app.register_error_handler(CSRFError, auth.csrf_refused)
