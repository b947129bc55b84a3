"""Who is signed in, and which pages their role may see."""

from __future__ import annotations

import functools

from flask import abort, current_app
from flask_login import UserMixin, current_user, login_required

from ..reviews import user_for_session


class Person(UserMixin):
    """A signed-in person, as the session knows them."""

    def __init__(self, user_id: int, username: str, role: str, token: str):
        self.id = user_id
        self.username = username
        self.role = role
        self.token = token

    def get_id(self) -> str:
        """What the session cookie holds: the user and this sign-in's token."""
        return f"{self.id}:{self.token}"


def load_person(session_id: str) -> Person | None:
    """Flask-Login's loader: the enabled user of a live sign-in, or None once they signed out."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = user_for_session(current_app.extensions["database"], int(user_id), token)
    return Person(user.id, user.username, user.role, token) if user else None


def role_required(*roles: str):
    """Only signed-in people with one of these roles (or admin) may see the page."""

    def decorate(view):
        @functools.wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if current_user.role not in (*roles, "admin"):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def can(role_names: tuple[str, ...]) -> bool:
    """Whether the signed-in person may use pages for these roles (for the menu)."""
    return current_user.is_authenticated and current_user.role in (*role_names, "admin")
