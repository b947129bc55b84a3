"""Extensions, created once and unbound; the app factory binds them."""

from flask_limiter import Limiter
from flask_login import LoginManager
from flask_smorest import Api
from flask_wtf import CSRFProtect

from schemas import ErrorSchema

from .auth.access import is_exempt, rate_limit_key


class TriageApi(Api):
    """flask-smorest's Api, documenting our one error envelope as ``Error``."""

    ERROR_SCHEMA = ErrorSchema


api = TriageApi()
limiter = Limiter(key_func=rate_limit_key, default_limits_exempt_when=is_exempt)
login_manager = LoginManager()
csrf = CSRFProtect()
