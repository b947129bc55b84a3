"""Who is signed in, and which pages their role may see."""

from __future__ import annotations

import functools

from flask import abort, current_app
from flask_login import UserMixin, current_user, login_required

from ..reviews import get_user


class Person(UserMixin):
    """A signed-in person, as the session knows them."""

    def __init__(self, user_id: int, username: str, role: str):
        self.id = user_id
        self.username = username
        self.role = role


def load_person(user_id: str) -> Person | None:
    """Flask-Login's loader: the enabled user behind a session, or None."""
    if not user_id.isdigit():
        return None
    user = get_user(current_app.extensions["database"], int(user_id))
    return Person(user.id, user.username, user.role) if user else None


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
