"""Admin pages: people who can sign in, and the audit log."""

from __future__ import annotations

from flask import current_app, render_template, request

from ..audit import list_events
from ..reviews import list_users
from . import bp
from .session import role_required


@bp.get("/admin")
@role_required()
def admin():
    """Accounts and the latest audited actions."""
    database = current_app.extensions["database"]
    before = request.args.get("before", type=int)
    return render_template("admin.html", users=list_users(database), audit=list_events(database, None, 50, before))
