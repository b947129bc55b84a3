"""One error type, one handler, one envelope for the whole API.

Every error response is ``{code, status, message, errors?}``. Unexpected
exceptions are logged and answered with a plain 500: never a stack trace.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Flask, abort, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_PAGE_MESSAGES = {
    403: "Your role does not allow you to see this page.",
    404: "There is no page at this address.",
    405: "This page does not accept that kind of request.",
}
_MESSAGES = {
    400: "The request body is not valid JSON.",
    404: "There is nothing at this address.",
    405: "This address does not accept that method.",
    413: "The request body is larger than the 64 KiB limit.",
    415: "Send the body as JSON with 'Content-Type: application/json'.",
    422: "The request has invalid fields.",
}


class ApiError(Exception):
    """An error to send to the caller in the envelope."""

    def __init__(self, code: int, message: str, errors: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors
        self.headers = headers or {}


def envelope(code: int, message: str, errors: dict | None = None):
    """The JSON error response."""
    body = {"code": code, "status": HTTPStatus(code).phrase, "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    return response


def refuse_nul_characters() -> None:
    """Before each request: no address or query may carry a NUL character (databases refuse them)."""
    if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        if _wants_page():
            abort(400)
        raise ApiError(400, "The address contains a NUL character (%00), which nothing here accepts.")


def register_error_handlers(app: Flask) -> None:
    """Send every error, expected or not, through the one envelope."""
    app.before_request(refuse_nul_characters)

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        response = envelope(error.code, error.message, error.errors)
        response.headers.update(error.headers)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = error.code or 500
        if _wants_page():
            return render_template("error.html", code=code, title=HTTPStatus(code).phrase,
                                   message=_PAGE_MESSAGES.get(code, error.description)), code
        message = _MESSAGES.get(code) or (error.description if code < 500 else "Internal server error.")
        errors = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
        response = envelope(code, message, errors)
        if code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error: %s", type(error).__name__)
        if _wants_page():
            return render_template("error.html", code=500, title="Something went wrong",
                                   message="The error has been logged. Please try again."), 500
        return envelope(500, "Internal server error. The error has been logged.")


def _wants_page() -> bool:
    """A person's browser on a review page gets an HTML error page; everything else gets JSON."""
    return request.blueprint == "web" or (
        not request.path.startswith(("/v1/", "/openapi", "/healthz", "/docs"))
        and request.accept_mimetypes.accept_html and not request.accept_mimetypes.accept_json
    )
