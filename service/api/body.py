"""Reading a JSON request body: content type, size, syntax, then the schema."""

from __future__ import annotations

import json
import re

from flask import request
from marshmallow import Schema, ValidationError

from ..errors import ApiError


def json_body():
    """The parsed JSON body, or an ApiError for the wrong type or bad syntax."""
    if not request.is_json:
        raise ApiError(415, "Send the body as JSON with 'Content-Type: application/json'.")
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        data = json.loads(raw)
    except RecursionError:
        raise ApiError(400, "The request body is not valid JSON: it is nested too deeply.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, f"The request body is not valid JSON: {_position(error)}") from None
    if b"\\u0000" in raw and _contains_nul(data):
        raise ApiError(400, "The request body contains a NUL character (\\u0000), which no field accepts.")
    if _SURROGATE_ESCAPE.search(raw) and _has_lone_surrogate(data):
        raise ApiError(400, "The request body is not valid JSON text: it escapes a lone UTF-16 surrogate (\\ud800-\\udfff).")
    return data


def load_body(schema: Schema) -> dict:
    """The request body validated by ``schema``; 422 names every bad field."""
    return load_with(schema, json_body())


def load_with(schema: Schema, data) -> dict:
    """Validate already-parsed data; 422 names every bad field."""
    try:
        return schema.load(data)
    except ValidationError as error:
        raise ApiError(422, "The request has invalid fields.", {"json": error.messages}) from None


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _contains_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_contains_nul(key) or _contains_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_contains_nul(item) for item in data)
    return False


def _has_lone_surrogate(data) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _position(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at line {error.lineno} column {error.colno}"
    return "it is not UTF-8 text"
