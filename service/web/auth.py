"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..reviews import check_credentials, end_session, start_session
from . import bp
from .session import Person


@bp.get("/login")
def login():
    """The sign-in form."""
    return render_template("login.html", next=_safe_next(request.args.get("next")))


@bp.post("/login")
def login_submit():
    """Check the username and password, then start a session (rate limited: see service.auth.limits)."""
    username = request.form.get("username", "").strip()
    user = check_credentials(current_app.extensions["database"], username, request.form.get("password", ""))
    if user is None:
        return render_template("login.html", error="That username and password do not match.", username=username,
                               next=_safe_next(request.form.get("next"))), 401
    token = start_session(current_app.extensions["database"], user.id)
    login_user(Person(user.id, user.username, user.role, token))
    return redirect(_safe_next(request.form.get("next")) or url_for("web.home"))


@bp.post("/logout")
def logout():
    """End the session, here and in any copy of its cookie."""
    if current_user.is_authenticated:
        end_session(current_app.extensions["database"], current_user.token)
    logout_user()
    flash("You have signed out.")
    return redirect(url_for("web.login"))


@bp.get("/")
def home():
    """The start page: the review queue."""
    return redirect(url_for("web.queue"))


def csrf_refused(error):
    """A form posted without a valid CSRF token."""
    return render_template("error.html", code=400, title="Form refused",
                           message="This form was not sent from this site or has expired. Go back, reload the page "
                                   "and try again."), 400


def _safe_next(target: str | None) -> str | None:
    """Only redirect within this site after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None
