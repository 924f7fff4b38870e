"""Every error piggy-client raises. Catch :class:`PiggyError` to catch them all.

::

    PiggyError
    ├── ConfigurationError            bad client settings (no credentials, bad URL), raised at once
    │                                 (also a ValueError and a TypeError)
    ├── ClientClosedError             the client was closed (new call, or a call cut at close)
    ├── InvalidArgumentError          a bad argument (also a ValueError and a TypeError)
    ├── APIConnectionError            no usable answer: refused, reset, DNS, TLS
    │   └── APITimeoutError           connect/read timeout or the call's overall deadline
    │       └── PoolTimeoutError      no free connection in the pool in time (nothing was sent)
    ├── ResponseDecodeError           a 2xx body that is not what the endpoint promises
    │   └── PaginationError           a paged list whose next page does not advance
    ├── ResponseTooLargeError         a body larger than the client's ``max_response_bytes``
    └── APIStatusError                Piggy answered with an error (a non-2xx status; a 3xx too)
        ├── BadRequestError           400 without a more specific Piggy code
        │   └── InvalidInputError     Piggy code 1003, with the field errors
        ├── AuthenticationError       401
        ├── PermissionDeniedError     403
        ├── NotFoundError             404, or any "... not found" code (Piggy sends them as 400)
        │   ├── ShopNotFoundError     Piggy code 1008
        │   ├── ContactNotFoundError  Piggy code 55031
        │   └── ModelNotFoundError    Piggy code 60013
        ├── ConflictError             409, or an "already exists / linked / redeemed" code
        ├── InsufficientBalanceError  not enough credits, or not enough on a giftcard
        ├── LimitReachedError         a limit, a stock or a maximum reached
        ├── ExpiredError              a voucher, giftcard, reward or token has expired
        ├── InactiveError             an account, program, voucher, reward... is not active
        ├── UnprocessableEntityError  422
        ├── RateLimitError            429
        └── InternalServerError       >= 500
            └── MaintenanceError      503 (Piggy's maintenance mode)

Piggy answers errors with HTTP 400 and its own code (``error-handling.md``). A code the docs
list picks the class by its meaning whatever the HTTP status, so ``except NotFoundError``
catches "Voucher not found." (400, code 80004) as well as a bare 404; ``.status_code`` keeps
the status, ``.code`` the code (an :class:`ErrorCode` when documented). A code the docs do not
list, or one with no family (``ErrorCode.GIFTCARD_NOT_VALID``), gives the status class with
``.code`` set. ``docs/errors.md`` lists every code with its family.

Argument mistakes (an empty UUID, a malformed email, a ``limit`` out of range) raise
:class:`InvalidArgumentError` before any request is sent; it is also a :class:`ValueError`
and a :class:`TypeError`, so ``except ValueError`` keeps working.

Every error that comes from a request carries ``method``, ``url`` (never a credential) and
``attempts``: how many times the request was sent before the client gave up. Its text names
the URL without its query (query values can be personal data, an email for instance); the
full URL is on ``url``.

Errors pickle and copy with their attributes intact (for process pools and job queues).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ._codes import ErrorCode

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ContactNotFoundError",
    "ErrorCode",
    "ExpiredError",
    "InactiveError",
    "InsufficientBalanceError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidInputError",
    "LimitReachedError",
    "MaintenanceError",
    "ModelNotFoundError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "PiggyError",
    "PoolTimeoutError",
    "RateLimitError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "ShopNotFoundError",
    "UnprocessableEntityError",
]


_OUTCOME_UNKNOWN = "; outcome unknown: Piggy may have processed it, so it was not retried"


#: A path segment longer than this is cut in messages (a pasted document, not an ID).
_SEGMENT_SHOWN = 60


def _where(method: str, url: str) -> str:
    """`` (GET https://host/path)``: the request without its query (values may be personal),
    each path segment cut to about 60 characters (``err.url`` keeps the whole URL)."""
    bare, query, _ = url.partition("?")
    if len(bare) > _SEGMENT_SHOWN:
        bare = "/".join(
            f"{s[:_SEGMENT_SHOWN]}... ({len(s)} characters)" if len(s) > _SEGMENT_SHOWN else s
            for s in bare.split("/")
        )
    return f" ({method} {bare}{'?...' if query else ''})"


def _restore(cls: type[PiggyError], args: tuple[object, ...], state: dict[str, object]) -> Any:
    """Unpickle/copy an error without calling its (keyword-only) ``__init__``."""
    err = cls.__new__(cls, *args)
    err.__dict__.update(state)
    return err


class _Response(Protocol):
    """What ``APIStatusError.response`` offers (it is a ``RawResponse``)."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes


class PiggyError(Exception):
    """Root of every error raised by piggy-client."""

    method: str | None
    url: str | None
    attempts: int
    #: True when the request may have changed something at Piggy although it failed (a POST
    #: that reached Piggy before the connection broke, or got a 5xx): it was not retried.
    outcome_unknown: bool = False

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.attempts = 1

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self.args, dict(self.__dict__)))

    def __str__(self) -> str:
        text = self.message
        if self.method and self.url:
            text += _where(self.method, self.url)
        if self.attempts > 1:
            text = f"{text} after {self.attempts} attempts"
        if self.outcome_unknown:
            text += _OUTCOME_UNKNOWN
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class ConfigurationError(PiggyError, ValueError, TypeError):
    """The client was constructed with settings it cannot work with; the message names the
    setting and what is accepted. Also a ValueError and a TypeError, so that ``except``
    clauses written for the builtin errors keep working."""


class ClientClosedError(PiggyError):
    """The client was closed: a call made after ``aclose()``, or a call still running when
    the close grace period ran out (cancelled by the close). Never retried."""


class InvalidArgumentError(PiggyError, ValueError, TypeError):
    """An argument is missing, empty, of the wrong type or out of range; ``argument`` names it.

    Raised before any request is sent. In bulk runs it is the failed item's result.
    """

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument


class APIConnectionError(PiggyError):
    """No usable HTTP answer arrived: connection refused or reset, DNS or TLS failure.

    ``request_sent`` is false only when the request provably never left (the connection
    could not be made): only then may a POST be sent again.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        url: str | None = None,
        request_sent: bool = True,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """The connect timeout, the read timeout or the call's overall deadline ran out."""


class PoolTimeoutError(APITimeoutError):
    """No connection of the client's pool became free in time: the request was never sent
    (``request_sent`` is false). Raise ``max_connections`` or lower the concurrency."""


class ResponseDecodeError(PiggyError):
    """A 2xx answer whose body is not what the endpoint promises.

    ``path`` is the JSON path that failed (``$.data.credit_balance.balance``) when known;
    ``body`` the raw bytes (on the attribute only: the message never quotes the body, which
    may hold personal data).
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        url: str | None = None,
        path: str | None = None,
        body: bytes = b"",
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.path = path
        self.body = body
        self.status_code = status_code


class PaginationError(ResponseDecodeError):
    """A paged list whose ``meta`` does not move on to a later page (a server that keeps
    answering the same page): iteration stops instead of looping forever."""


class ResponseTooLargeError(PiggyError):
    """The answer's body was larger than the client's ``max_response_bytes``."""

    def __init__(
        self, message: str, *, method: str | None = None, url: str | None = None, limit: int
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.limit = limit


class APIStatusError(PiggyError):
    """Piggy (or a proxy in front of it) answered with a non-2xx status.

    Attributes: ``status_code`` (HTTP), ``code`` (Piggy's error number, an :class:`ErrorCode`
    when the docs list it, or ``None``),
    ``message``, ``errors`` (field -> list of messages), ``body`` (raw bytes),
    ``retry_after`` (seconds the server asked to wait, if it said), ``response`` (the
    :class:`~piggy_async.RawResponse`: status, headers, body).
    """

    #: The answer as it came (a :class:`~piggy_async.RawResponse`), set by the client for
    #: every error from a response.
    response: _Response | None = None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: int | None = None,
        errors: dict[str, list[str]] | None = None,
        body: bytes = b"",
        method: str | None = None,
        url: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.code = code
        self.errors: dict[str, list[str]] = errors or {}
        self.body = body
        self.retry_after = retry_after

    def __str__(self) -> str:
        head = f"HTTP {self.status_code}"
        if self.code is not None:
            head += f", Piggy code {self.code}"
        text = f"{head}: {self.message}"
        if self.errors:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items())
            text += f" [{details}]"
        if self.method and self.url:
            text += _where(self.method, self.url)
        if self.attempts > 1:
            text += f" after {self.attempts} attempts"
        if self.outcome_unknown:
            text += _OUTCOME_UNKNOWN
        return text


class BadRequestError(APIStatusError):
    """HTTP 400: Piggy rejected the request."""


class InvalidInputError(BadRequestError):
    """Piggy code 1003 "Invalid input": ``errors`` names the offending fields."""


class AuthenticationError(APIStatusError):
    """HTTP 401: the API key or OAuth token is missing, wrong or expired."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the credentials may not do this."""


class NotFoundError(APIStatusError):
    """The thing asked for does not exist: HTTP 404, or any "... not found" Piggy code."""


class ShopNotFoundError(NotFoundError):
    """Piggy code 1008 "Shop not found"."""


class ContactNotFoundError(NotFoundError):
    """Piggy code 55031 "Contact not found"."""


class ModelNotFoundError(NotFoundError):
    """Piggy code 60013 "Model not found" (for instance an unknown automation)."""


class ConflictError(APIStatusError):
    """It exists, is linked, redeemed or locked already: HTTP 409, or such a Piggy code."""


class InsufficientBalanceError(APIStatusError):
    """Not enough credits (code 1017) or not enough on the giftcard (code 5003)."""


class LimitReachedError(APIStatusError):
    """A limit, stock or maximum is reached (claim limit, voucher limit, reward stock...)."""


class ExpiredError(APIStatusError):
    """What the call needs has expired (a voucher, a giftcard's amount, a reward, a token)."""


class InactiveError(APIStatusError):
    """What the call needs is not active (account, loyalty program, voucher, reward...)."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422: the request was understood but its content was refused."""


class RateLimitError(APIStatusError):
    """HTTP 429: too many requests; ``retry_after`` says how long Piggy asked to wait."""


class InternalServerError(APIStatusError):
    """HTTP 5xx: Piggy (or a proxy in front of it) failed."""


class MaintenanceError(InternalServerError):
    """HTTP 503: the Piggy platform is in maintenance mode."""
