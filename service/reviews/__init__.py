"""Chairs' reviews of decisions, the people who make them, and what the reviews add up to."""

from .reviews import ReviewProblem, review_decision, review_status
from .users import (
    USER_ROLES,
    UserProblem,
    check_credentials,
    create_user,
    end_session,
    get_user,
    list_users,
    start_session,
    user_for_session,
)

__all__ = ["USER_ROLES", "ReviewProblem", "UserProblem", "check_credentials", "create_user", "end_session", "get_user",
           "list_users", "review_decision", "review_status", "start_session", "user_for_session"]
