"""Pure decisions of the transport, unit-tested without I/O.

- which typed error an HTTP answer or a transport exception becomes;
- whether a failed attempt may be retried, and after how long.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
from collections.abc import Callable, Generator, Mapping
from typing import Any

import aiohttp
import backoff
import msgspec

from . import _config
from ._error_map import as_error_code, code_error_class
from ._validate import shown_url
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MaintenanceError,
    NotFoundError,
    PermissionDeniedError,
    PiggyError,
    PoolTimeoutError,
    RateLimitError,
    UnprocessableEntityError,
)

#: HTTP status -> error class. Other 4xx use APIStatusError, other 5xx InternalServerError.
STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: MaintenanceError,
}

#: Methods that may be sent twice with the effect of once (RFC 9110, 9.2.2). Any other
#: method (POST, PATCH) is treated as a POST: retried only when Piggy provably did not
#: process it, its outcome unknown when it may have.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
#: Answers worth another attempt for GET, PUT and DELETE.
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: Answers that prove a POST was not processed, so it may be sent again.
POST_RETRYABLE_STATUSES = frozenset({429, 503})


class _ErrorBody(msgspec.Struct):
    status_code: Any = None
    code: Any = None
    message: Any = None
    errors: Any = None


_error_body_decoder = msgspec.json.Decoder(_ErrorBody)


def status_error_class(
    status: int, code: int | None, message: str | None = None
) -> type[APIStatusError]:
    """The error class for an HTTP status and Piggy error code (see ``_error_map``)."""
    if code is not None:
        by_code = code_error_class(code, message)
        if by_code is not None:
            return by_code
    by_status = STATUS_ERRORS.get(status)
    if by_status is not None:
        return by_status
    if status >= 500:
        return InternalServerError
    return APIStatusError


def _normalise_errors(raw: object) -> dict[str, list[str]]:
    if not isinstance(raw, dict):
        return {}
    out: dict[str, list[str]] = {}
    for key, value in raw.items():
        if isinstance(value, list):
            out[str(key)] = [str(v) for v in value]
        elif value is not None:
            out[str(key)] = [str(value)]
    return out


#: Error bodies larger than this are not read (Piggy's are a few hundred bytes): parsed
#: into Python objects, a 30 MiB body of ``[]`` would take 50 times that in memory.
ERROR_BODY_LIMIT = 64 * 1024
#: A message longer than this is cut in the error's text (the body keeps it whole).
MESSAGE_LIMIT = 2000


_SECONDS = re.compile(r"[0-9]{1,12}(\.[0-9]{1,9})?\Z").match  # delay-seconds (RFC 9110)


def parse_error_body(body: bytes) -> tuple[str | None, int | None, dict[str, list[str]]]:
    """Piggy's error body -> (message, code, errors); tolerant of anything else (HTML, a
    body past ``ERROR_BODY_LIMIT``, a code of more digits than an int64 holds)."""
    if len(body) > ERROR_BODY_LIMIT:
        return None, None, {}  # the status speaks
    try:
        parsed = _error_body_decoder.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError):
        return None, None, {}  # not JSON, invalid UTF-8, nested too deep: the status speaks
    message = parsed.message if isinstance(parsed.message, str) and parsed.message else None
    if message is not None and len(message) > MESSAGE_LIMIT:
        message = f"{message[:MESSAGE_LIMIT]}... ({len(message)} characters)"
    code = parsed.code
    if isinstance(code, str) and code.isascii() and code.isdigit() and len(code) <= 18:
        code = int(code)  # (not "²", not past Python's limit on digits: int() fails)
    if not isinstance(code, int) or isinstance(code, bool) or code.bit_length() > 63:
        code = None
    return message, code, _normalise_errors(parsed.errors)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None.

    ``now`` is the current Unix time, used for the HTTP-date form.
    """
    if not value:
        return None
    value = value.strip()
    try:
        if not _SECONDS(value):  # (float() would take "1_0", "1e3", "nan")
            raise ValueError(value)
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - now
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN / inf
        return None
    return max(0.0, seconds)


def error_from_response(
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    method: str,
    url: str,
    now: float,
    reason: str | None = None,
    secret: str | None = None,
) -> APIStatusError:
    """Build the typed error for a non-2xx answer (``secret``: what a redirect's target
    must not show, as ``shown_url`` hides it)."""
    message, code, errors = parse_error_body(body)
    redirect = 300 <= status < 400
    cls = APIStatusError if redirect else status_error_class(status, code, message)
    if message is None:
        if cls is MaintenanceError:
            message = "Piggy is in maintenance mode"
        else:
            message = reason or "HTTP error"
    if redirect:  # (no credentials, query or secret: they may carry keys or personal data)
        location = shown_url(headers.get("Location", ""), secret)
        message = f"unexpected redirect to {location!r}; check base_url"
    return cls(
        message,
        status_code=status,
        code=as_error_code(code),
        errors=errors,
        body=body,
        method=method,
        url=url,
        retry_after=parse_retry_after(headers.get("Retry-After"), now),
    )


class AnswerTooSlow(aiohttp.ServerTimeoutError):
    """An answer never silent for ``read`` that is still not whole ``seconds`` after its
    request (a body trickling in): the read timeout's watchdog's second bound."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"Piggy's answer was not whole {seconds:g} s after the request")


def error_from_exception(exc: BaseException, *, method: str, url: str) -> PiggyError:
    """Map an aiohttp/asyncio transport exception to a typed error.

    ``request_sent`` is false only where the request provably never left: the
    connection could not be opened (refused, DNS, TLS, connect timeout).
    """
    if isinstance(exc, PiggyError):
        return exc
    connect_timeout = getattr(aiohttp, "ConnectionTimeoutError", None)
    if connect_timeout is not None and isinstance(exc, connect_timeout):
        return APITimeoutError("connect timeout", method=method, url=url, request_sent=False)
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        text = (
            str(exc) if isinstance(exc, AnswerTooSlow) else "timed out waiting for Piggy's answer"
        )
        return APITimeoutError(text, method=method, url=url, request_sent=True)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return APIConnectionError(
            f"cannot connect: {exc.os_error.strerror or type(exc.os_error).__name__}",
            method=method,
            url=url,
            request_sent=False,
        )
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        text = "server closed the connection before answering"
    elif isinstance(exc, aiohttp.ClientPayloadError):
        text = "response body was cut off"
    elif isinstance(exc, aiohttp.ClientResponseError):
        text = f"malformed HTTP response ({exc.message})"
    elif isinstance(exc, ConnectionResetError | aiohttp.ClientOSError):
        text = "connection reset"
    else:
        text = f"connection error ({type(exc).__name__})"
    return APIConnectionError(text, method=method, url=url, request_sent=True)


def has_status(error: BaseException, *statuses: int) -> bool:
    """Did Piggy answer with one of these HTTP statuses? By the status, or by the class it
    stands for (``STATUS_ERRORS``): a Piggy code in the body picks the class, and what the
    status means still holds (a 429 with a documented code still says "slow down")."""
    return isinstance(error, APIStatusError) and (
        error.status_code in statuses
        or any(isinstance(error, STATUS_ERRORS[status]) for status in statuses)
    )


def is_unauthorized(error: BaseException) -> bool:
    """Did Piggy refuse the credentials (HTTP 401)? An OAuth token refused with a
    documented code is still refused (``has_status``)."""
    return has_status(error, 401)


def is_retryable(method: str, error: PiggyError) -> bool:
    """May this failed attempt be sent again?

    GET, PUT and DELETE: connection errors, timeouts and 408/429/500/502/503/504.
    POST (and PATCH, any method not in ``IDEMPOTENT_METHODS``): only where Piggy provably
    did not process it: the connection was never made, or the answer was 429 or 503.
    """
    post = method not in IDEMPOTENT_METHODS
    if isinstance(error, PoolTimeoutError):
        return False  # the pool stayed busy for the whole wait: waiting again will not help
    if isinstance(error, APIStatusError):
        statuses = POST_RETRYABLE_STATUSES if post else RETRYABLE_STATUSES
        return error.status_code in statuses
    if isinstance(error, APIConnectionError):
        return not (post and error.request_sent)
    return False


def outcome_unknown(method: str, error: PiggyError) -> bool:
    """Could this failed POST (or PATCH) have changed something at Piggy? (GET, PUT and
    DELETE are idempotent: their outcome does not matter.) A POST is in doubt once it was
    sent, unless the answer proves it was not processed (429, 503) or was refused (4xx)."""
    if method in IDEMPOTENT_METHODS:
        return False
    if isinstance(error, APIStatusError):
        return error.status_code >= 500 and error.status_code not in POST_RETRYABLE_STATUSES
    if isinstance(error, APIConnectionError):
        return error.request_sent
    return False


def _server_asked(error: Any) -> float:
    """backoff's runtime value: the wait the server asked for with ``Retry-After``."""
    return float(error.retry_after)


def retry_waits(
    *,
    initial: float = _config.RETRY_INITIAL_DELAY,
    maximum: float = _config.RETRY_MAX_DELAY,
    jitter: Callable[[float], float] = backoff.full_jitter,
) -> Generator[float, PiggyError, None]:
    """The waits of one call's retries, made by ``backoff``'s wait generators.

    Send each failed attempt's error; the answer is the seconds to wait before the next:
    the server's ``Retry-After`` through ``backoff.runtime``, otherwise ``backoff.expo``
    (``initial``, doubling, capped at ``maximum``) with ``jitter`` (full jitter).
    """
    expo = backoff.expo(base=2, factor=initial, max_value=maximum)
    runtime: Generator[float, Any, None] = backoff.runtime(value=_server_asked)
    next(expo)  # backoff's generators start with a bare yield
    next(runtime)
    error = yield 0.0
    while True:
        if isinstance(error, APIStatusError) and error.retry_after is not None:
            wait = runtime.send(error)
        else:
            wait = jitter(next(expo))
        error = yield wait


def next_wait(
    method: str,
    error: PiggyError,
    waits: Generator[float, PiggyError, None],
    *,
    remaining: float | None = None,
    retry_after_cap: float = _config.RETRY_AFTER_CAP,
) -> float | None:
    """Seconds to wait before sending the call again after ``error``, or None: give up.

    Not retryable (see :func:`is_retryable`): None. A ``Retry-After`` longer than
    ``retry_after_cap``: None (the error is raised at once). A wait that would outlast
    ``remaining`` (what is left of the call's overall deadline): None.
    """
    if not is_retryable(method, error):
        return None
    asked = error.retry_after if isinstance(error, APIStatusError) else None
    if asked is not None and asked > retry_after_cap:
        return None
    wait = waits.send(error)
    if remaining is not None and wait >= remaining:
        return None
    return wait
