"""Extensions, created once and unbound; the app factory binds them."""

from flask_smorest import Api

from schemas import ErrorSchema


class TriageApi(Api):
    """flask-smorest's Api, documenting our one error envelope as ``Error``."""

    ERROR_SCHEMA = ErrorSchema


api = TriageApi()
