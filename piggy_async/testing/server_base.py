"""Helpers the fake server's route modules share: Piggy's answer and error shapes."""

from __future__ import annotations

from typing import Any

import msgspec
from aiohttp import web

from .._codes import CODES, ErrorCode

__all__ = [
    "API_PREFIX",
    "PiggyHTTPError",
    "contact_not_found",
    "int_query",
    "invalid",
    "is_email",
    "ok",
    "piggy_error",
]

#: Where the fake serves the OAuth API (the client's default base URL path).
API_PREFIX = "/api/v3/oauth/clients"


class PiggyHTTPError(Exception):
    """Raised by a handler to answer Piggy's error shape."""

    def __init__(
        self,
        status: int,
        code: int | None,
        message: str,
        errors: dict[str, list[str]] | None = None,
        *,
        error: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors
        #: An OAuth error word (``invalid_token``, ``invalid_client``): 401s only.
        self.error = error


def ok(data: Any, meta: Any = None) -> web.Response:
    body = msgspec.json.encode({"data": data, "meta": [] if meta is None else meta})
    return web.Response(body=body, content_type="application/json")


def invalid(field_name: str, message: str) -> PiggyHTTPError:
    return PiggyHTTPError(400, 1003, "Invalid input.", {field_name: [message]})


#: Each documented code's message (the first one the docs give, for the two codes with two).
DOCUMENTED_MESSAGES: dict[int, str] = {}
for _row in CODES:
    DOCUMENTED_MESSAGES.setdefault(_row.code, _row.message)


def piggy_error(
    code: ErrorCode, message: str | None = None, errors: dict[str, list[str]] | None = None
) -> PiggyHTTPError:
    """Piggy's answer to a documented failure: HTTP 400, the code and the docs' message
    (``error-handling.md``: "Error responses have a status code 400")."""
    return PiggyHTTPError(400, int(code), message or DOCUMENTED_MESSAGES[code], errors)


def contact_not_found() -> PiggyHTTPError:
    return piggy_error(ErrorCode.CONTACT_NOT_FOUND)


def is_email(value: object) -> bool:
    if not isinstance(value, str):
        return False
    local, at, domain = value.rpartition("@")
    return bool(at and local and "." in domain and not any(c.isspace() for c in value))


def int_query(request: web.Request, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(name, f"The {name} must be an integer.") from None
    if value < low or (high is not None and value > high):
        raise invalid(name, f"The {name} must be between {low} and {high}.")
    return value
