"""Extensions, created once and unbound; the app factory binds them.

The rate limiter is the exception: flask-limiter keeps its limits and storage per
instance, so ``service.auth.limits`` makes one for each app.
"""

from flask_login import LoginManager
from flask_smorest import Api
from flask_wtf import CSRFProtect

from schemas import ErrorSchema


class TriageApi(Api):
    """flask-smorest's Api, documenting our one error envelope as ``Error``."""

    ERROR_SCHEMA = ErrorSchema


api = TriageApi()
login_manager = LoginManager()
csrf = CSRFProtect()
