"""Hooks: typed events the transport emits for every call, and the observer that emits them.

A hook is any callable taking one event; register hooks with ``AsyncPiggy(hooks=[...])`` or
``client.with_options(hooks=[...])``::

    def on_event(event: piggy_async.hooks.Event) -> None:
        if isinstance(event, CallFinished) and event.outcome == "error":
            metrics.increment("piggy.failed", tags={"operation": event.operation})

Four events: :class:`RequestSent` and :class:`ResponseReceived` for every attempt,
:class:`RetryScheduled` before a retry's wait, :class:`CallFinished` once per call. Hooks run
synchronously in the event loop: keep them short. A hook that raises is logged once (per
client and hook) and ignored: it never breaks the call.

Events name the operation (``contacts.get``) and the URL template (``/contacts/{uuid}``),
never the query string, so they carry no emails or UUIDs unless you read them off ``error``.

When no hook and no tracing is set the transport's ``observer`` is ``None`` and nothing here
runs: the only cost is that one attribute check per call.
"""

from __future__ import annotations

import contextvars
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Union
from urllib.parse import quote

import msgspec

from . import _policy
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    PiggyError,
)

if TYPE_CHECKING:
    from ._wire import Call

__all__ = [
    "CallFinished",
    "Event",
    "Hook",
    "Observer",
    "RequestSent",
    "ResponseReceived",
    "RetryScheduled",
]

log = logging.getLogger("piggy_async")

Outcome = Literal["ok", "error", "cancelled"]


class RequestSent(msgspec.Struct, frozen=True):
    """An attempt of a call is about to go on the wire (``attempt`` counts from 1)."""

    operation: str
    method: str
    url_template: str
    attempt: int


class ResponseReceived(msgspec.Struct, frozen=True):
    """An attempt got an HTTP answer (any status); ``elapsed``: seconds for this attempt."""

    operation: str
    method: str
    url_template: str
    attempt: int
    status_code: int
    elapsed: float


class RetryScheduled(msgspec.Struct, frozen=True):
    """Attempt ``attempt`` failed and the call will be sent again after ``wait`` seconds.

    ``reason`` is one of ``rate_limited``, ``maintenance``, ``server_error``, ``timeout``,
    ``connection``, ``reauthenticate``, ``other``.
    """

    operation: str
    method: str
    url_template: str
    attempt: int
    reason: str
    wait: float
    error: PiggyError


class CallFinished(msgspec.Struct, frozen=True):
    """A call ended: ``outcome`` ``ok``, ``error`` (``error`` set) or ``cancelled``.

    ``attempts``: how often it was sent; ``elapsed``: seconds, waits included;
    ``status_code``: the last HTTP status (None without an answer); ``piggy_code``: Piggy's
    error code from the body of a 4xx/5xx answer.
    """

    operation: str
    method: str
    url_template: str
    outcome: Outcome
    attempts: int
    elapsed: float
    status_code: int | None
    piggy_code: int | None
    outcome_unknown: bool
    error: PiggyError | None


Event = Union[RequestSent, ResponseReceived, RetryScheduled, CallFinished]  # noqa: UP007
#: A hook: called with each event; its return value is ignored.
Hook = Callable[[Event], object]


def retry_reason(error: BaseException) -> str:
    """A short, low-cardinality word for why a failed attempt is retried."""
    if _policy.has_status(error, 429):  # (by status or class: see has_status)
        return "rate_limited"
    if _policy.has_status(error, 503):
        return "maintenance"
    if _policy.is_unauthorized(error):
        return "reauthenticate"
    if isinstance(error, APIStatusError) and error.status_code >= 500:
        return "server_error"
    if isinstance(error, APITimeoutError):
        return "timeout"
    if isinstance(error, APIConnectionError):
        return "connection"
    return "other"


class CallInfo:
    """What the observer knows of the call in progress (one per call, in a contextvar)."""

    __slots__ = (
        "attempt_span",
        "attempt_started",
        "error",
        "method",
        "operation",
        "outcome",
        "retries",
        "span",
        "started",
        "status_code",
        "url_template",
    )

    def __init__(self, operation: str, method: str, url_template: str) -> None:
        self.operation = operation
        self.method = method
        self.url_template = url_template
        self.started = time.perf_counter()
        self.attempt_started = self.started
        self.status_code: int | None = None
        self.outcome: Outcome = "ok"
        self.error: PiggyError | None = None
        self.retries = 0
        self.span: Any = None
        self.attempt_span: Any = None


class Tracing(Protocol):
    """What :mod:`piggy_async.otel` plugs into the observer (spans and metrics)."""

    def call(self, info: CallInfo) -> AbstractContextManager[object]: ...
    def attempt_started(self, info: CallInfo, attempt: int) -> None: ...
    def attempt_ended(
        self, info: CallInfo, status: int | None, error: BaseException | None
    ) -> None: ...
    def retry(self, info: CallInfo, attempt: int, reason: str, wait: float) -> None: ...
    def bulk(
        self,
        operation: str,
        func: Callable[[Any], Awaitable[Any]],
        inputs: Any,
        *,
        concurrency: int,
        on_progress: Any,
        sleep: Callable[[float], Awaitable[None]],
        **options: Any,
    ) -> Any: ...  # a BulkRun (not imported here: _bulk imports the transport)


_current: contextvars.ContextVar[CallInfo | None] = contextvars.ContextVar(
    "piggy_call", default=None
)
#: The fixed words of Piggy's API paths (``tests/test_hooks.py`` checks that every path of
#: the fake server is made of these): any other segment is a value (``{id}`` in a template).
API_WORDS = frozenset(
    """
    anonymous async auth-token auth-url automations batch bookings brand-kit calculate claim
    collect collectable-rewards contact-attributes contact-identifiers contact-session-tokens
    contact-subscriptions contact-verification contacts contacts-portal correct
    credit-balance credit-reception credit-receptions custom-attributes delete find
    find-one-by find-or-create forms giftcard-programs giftcard-transactions giftcards link
    lock loyalty-program loyalty-tokens loyalty-transaction-attributes loyalty-transactions
    merge multi-redeem oauth orders pay-prepaid perks portal-sessions prepaid-balance
    prepaid-transactions promotion-attributes promotions redeem redeem-giftcards referrals
    release reverse reward-attributes reward-receptions rewards runs send send-by-email
    shift-teams shift-types shifts shops subscribe subscription-types tier tiers token
    top-up-giftcards top-up-prepaid units unlink unsubscribe update use verify visits
    vouchers webhook-subscriptions
    """.split()  # noqa: SIM905 - a word list kept readable
)
_FRAMES_UP = 8


def url_template(path: str, arguments: Mapping[str, object]) -> str:
    """``/contacts/{contact_uuid}`` from ``/contacts/8f1c...`` and the method's arguments.

    A segment equal to an argument's value is named after the argument; any other segment
    that is not one of the API's own words (``API_WORDS``) becomes ``{id}``, so that no
    value ever ends up in a template (not even one of ``piggy.request()``'s).
    """
    names: dict[str, str] = {}
    for name, value in arguments.items():
        if name != "self" and isinstance(value, (str, int)) and not isinstance(value, bool):
            text = str(value)
            names.setdefault(text, name)
            names.setdefault(quote(text, safe=""), name)
    parts = []
    for segment in path.split("/"):
        named = names.get(segment) if segment else None
        if named is not None:
            parts.append("{" + named + "}")
        elif not segment or segment in API_WORDS:
            parts.append(segment)
        else:
            parts.append("{id}")
    return "/".join(parts)


def _operation(
    frame: FrameType | None, resource_names: Mapping[type, str]
) -> tuple[str, dict[str, object]]:
    """The resource method that made this call (``contacts.get``) and its arguments, found
    by walking up the caller's frames; ``("request", {})`` for a call of no resource."""
    for _ in range(_FRAMES_UP):  # a public method of a resource, past private helpers
        if frame is None:
            break
        code = frame.f_code
        if code.co_argcount and code.co_varnames[0] == "self" and code.co_name[0] != "_":
            owner = frame.f_locals.get("self")
            name = resource_names.get(type(owner))
            if name is not None:
                local = frame.f_locals
                count = code.co_argcount + code.co_kwonlyargcount
                args = {n: local.get(n) for n in code.co_varnames[1:count]}
                return f"{name}.{code.co_name}", args
        frame = frame.f_back
    return "request", {}


class Observer:
    """Emits the events of every call to the hooks and to tracing (either may be empty)."""

    __slots__ = ("_failed", "hooks", "resource_names", "tracing")

    def __init__(
        self,
        hooks: Iterable[Hook],
        tracing: Tracing | None,
        resource_names: Mapping[type, str],
    ) -> None:
        if isinstance(hooks, (str, bytes)) or not isinstance(hooks, Iterable):
            raise ConfigurationError(
                f"hooks must be a list of callables, not {type(hooks).__name__}"
            )
        self.hooks = tuple(hooks)
        for index, hook in enumerate(self.hooks):
            if not callable(hook):
                raise ConfigurationError(f"hooks[{index}] must be callable: {type(hook).__name__}")
        self.tracing = tracing
        self.resource_names = resource_names
        self._failed: set[int] = set()

    def copy(self, hooks: Iterable[Hook] | None) -> Observer:
        """The observer of a ``with_options`` copy (other hooks, same tracing)."""
        return Observer(self.hooks if hooks is None else hooks, self.tracing, self.resource_names)

    def operation(self, depth: int = 2) -> tuple[str, dict[str, object]]:
        """The calling resource method, ``depth`` frames above the caller of this method."""
        return _operation(sys._getframe(depth), self.resource_names)

    def _emit(self, event: Event) -> None:
        for index, hook in enumerate(self.hooks):
            try:
                hook(event)
            except Exception as exc:
                if index not in self._failed:
                    self._failed.add(index)
                    log.warning(
                        "piggy hook %s raised %s; ignored (reported once per client)",
                        getattr(hook, "__qualname__", type(hook).__name__),
                        type(exc).__name__,
                    )

    # -- the call ------------------------------------------------------------------------

    async def run(self, call: Call, send: Callable[[Call], Awaitable[bytes]]) -> bytes:
        """``await send(call)``, inside the call's span, announcing its end to the hooks."""
        operation, arguments = self.operation(3)
        info = CallInfo(operation, call.method, url_template(call.shown_path, arguments))
        token = _current.set(info)
        try:
            if self.tracing is None:
                return await self._run(info, call, send)
            with self.tracing.call(info):
                return await self._run(info, call, send)
        finally:
            _current.reset(token)

    async def _run(
        self, info: CallInfo, call: Call, send: Callable[[Call], Awaitable[bytes]]
    ) -> bytes:
        try:
            return await send(call)
        except PiggyError as exc:
            info.outcome, info.error = "error", exc
            raise
        except BaseException:
            info.outcome = "cancelled"
            raise
        finally:
            if self.hooks:
                err = info.error
                self._emit(
                    CallFinished(
                        info.operation,
                        info.method,
                        info.url_template,
                        info.outcome,
                        max(call.attempt, 1),
                        time.perf_counter() - info.started,
                        info.status_code,
                        err.code if isinstance(err, APIStatusError) else None,
                        err is not None and err.outcome_unknown,
                        err,
                    )
                )

    # -- each attempt --------------------------------------------------------------------

    def attempt_started(self, call: Call) -> None:
        info = _current.get()
        if info is None:
            return
        info.attempt_started = time.perf_counter()
        if self.tracing is not None:
            self.tracing.attempt_started(info, call.attempt)
        if self.hooks:
            self._emit(RequestSent(info.operation, info.method, info.url_template, call.attempt))

    def attempt_ended(self, call: Call, status: int | None, error: BaseException | None) -> None:
        info = _current.get()
        if info is None:
            return
        if status is not None:
            info.status_code = status
        if self.tracing is not None:
            self.tracing.attempt_ended(info, status, error)
        if self.hooks and status is not None:
            elapsed = time.perf_counter() - info.attempt_started
            self._emit(
                ResponseReceived(
                    info.operation, info.method, info.url_template, call.attempt, status, elapsed
                )
            )

    def retry_scheduled(self, call: Call, error: PiggyError, wait: float) -> None:
        info = _current.get()
        if info is None:
            return
        info.retries += 1
        reason = retry_reason(error)
        if self.tracing is not None:
            self.tracing.retry(info, call.attempt, reason, wait)
        if self.hooks:
            self._emit(
                RetryScheduled(
                    info.operation,
                    info.method,
                    info.url_template,
                    call.attempt,
                    reason,
                    wait,
                    error,
                )
            )
