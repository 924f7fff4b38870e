"""The transport: sends one call with retries, maps failures, fetches OAuth tokens.

Resources hand it (method, path, query, JSON body, model); it answers a decoded model or
raises a typed :class:`~piggy_async.errors.PiggyError`. Every decision (retry or not, how
long to wait, which error) comes from :mod:`piggy_async._policy`; the waits between attempts
come from ``backoff``'s wait generators (:func:`~piggy_async._policy.retry_waits`) and are
slept on ``Transport.sleep`` so that tests run them on a fake clock. One attempt on the wire
is :mod:`piggy_async._wire`; the session, connection slots and calls in flight are the
:class:`~piggy_async._pool.Pool`'s.

One deadline (``Timeout.total``) covers the whole call: the wait for an OAuth token, the
wait for a connection, every attempt and every wait between attempts.
"""

from __future__ import annotations

import asyncio
import logging
import platform
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from types import UnionType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp

from . import _config, _policy, _raw, _wire
from ._attempt import (
    JSON_TYPE,
    answer_error,
    attempt_headers,
    attempt_timeout,
    debug_clock,
    log_answer,
    oauth_headers,
    on_the_wire,
    pool_wait,
    rate_turn,
    short,
    uncancel,
    wait_to_retry,
    wire_error,
    with_extras,
)
from ._auth import ApiKeyAuth, ClientCredentialsAuth
from ._decode import decode_data, decode_page
from ._hooks import Observer
from ._pool import Pool, fork_generation
from ._rate import Deferred, RateLimiter, defer_decode, single_attempt
from ._token import fetch_token
from ._validate import encode_body, unsendable_text
from ._version import __version__
from ._wire import Call, Query, encode_query
from .errors import (
    ClientClosedError,
    PiggyError,
)
from .types import Page

__all__ = [
    "Pool",
    "Query",
    "Transport",
    "encode_query",
    "fork_generation",
]

log = logging.getLogger("piggy_async")
T = TypeVar("T")


USER_AGENT = (
    f"piggy-client/{__version__} Python/{platform.python_version()} aiohttp/{aiohttp.__version__}"
)


class Transport:
    """Sends calls for one client configuration (timeouts, retries); shares its Pool."""

    sleep: Callable[[float], Awaitable[None]]

    def __init__(
        self,
        *,
        base_url: str,
        auth: ApiKeyAuth | ClientCredentialsAuth,
        timeout: _config.Timeout,
        max_retries: int,
        pool: Pool,
        headers: Mapping[str, str],
        max_response_bytes: int,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        self.rate_limiter = rate_limiter  # the client-wide max_rate, shared by derive()
        self.base_url = base_url  # checked: no trailing slash (_config.check_base_url)
        parts = urlsplit(self.base_url)
        self.token_url = f"{parts.scheme}://{parts.netloc}{_config.TOKEN_PATH}"
        self.auth = auth
        self.timeout = timeout
        self.max_retries = max_retries
        self.pool = pool
        self.max_response_bytes = max_response_bytes
        self.sleep = asyncio.sleep
        #: Hooks and tracing (:mod:`piggy_async._hooks`); None: nothing observes the calls.
        self.observer: Observer | None = None
        self.set_extras(headers)

    def set_extras(
        self,
        headers: Mapping[str, str],
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> None:
        """The headers sent with every call, and what is merged into every query and body."""
        self.extra_headers = dict(headers)
        #: ``with_options(extra_query=, extra_body=)``: merged into every call (None: none).
        self.extras: tuple[Query, Mapping[str, Any]] | None = None
        if extra_query or extra_body:
            self.extras = (dict(extra_query or {}), dict(extra_body or {}))
        base = _config.merged_headers(
            {
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",  # what _wire.read_decoded can undo
            },
            headers,
        )
        static = self.auth.static_header
        if static is not None:
            base["Authorization"] = static
        self._headers = base
        self._json_headers: dict[str, str] | None = _config.merged_headers(base, JSON_TYPE)

    def with_headers(self, headers: Mapping[str, str]) -> Transport:
        """A copy that also sends ``headers`` (checked here): a per-request header, kept lean
        (``with_options(extra_headers=...)`` runs once per call)."""
        headers = _config.call_headers(headers)  # merged below: no copy needed
        clone = object.__new__(Transport)
        state = self.__dict__.copy()
        state["extra_headers"] = {**self.extra_headers, **headers}
        state["_headers"] = _config.merged_headers(self._headers, headers)
        state["_json_headers"] = None  # made by the first call with a body, if any
        clone.__dict__ = state
        return clone

    def _with_json(self) -> dict[str, str]:
        self._json_headers = headers = _config.merged_headers(self._headers, JSON_TYPE)
        return headers

    def _clone(self) -> Transport:
        clone = object.__new__(Transport)
        clone.__dict__.update(self.__dict__)
        return clone

    def derive(self, timeout: _config.Timeout, max_retries: int) -> Transport:
        """A copy with other timeouts or retries that shares everything else (cheap)."""
        clone = self._clone()
        clone.timeout = timeout
        clone.max_retries = max_retries
        return clone

    # -- public to resources -------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        model: type[T] | UnionType,
        *,
        params: Query | None = None,
        json: Any = None,
        secret: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> T:
        """Send one call and decode its ``data`` into ``model`` (typed: a method returning
        another type fails mypy). ``secret``: a path segment (already encoded) that errors,
        logs and traces must not show; ``headers``: sent with this call only (checked here)."""
        call = self._call(method, path, params, json, secret, headers)
        body = await self._send(call)
        endpoint = f"{method} {call.shown_path}"
        if defer_decode.get():  # a bulk run decodes when it hands the result out
            return Deferred(  # type: ignore[return-value]  # the run unwraps it
                decode_data, model, body, endpoint=endpoint, method=method, url=call.shown_url
            )
        data: T = decode_data(model, body, endpoint=endpoint, method=method, url=call.shown_url)
        return data

    async def request_page(
        self,
        method: str,
        path: str,
        model: type[T] | UnionType,
        *,
        params: Query | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Page[T]:
        """Send one call whose answer is a list with pagination meta."""
        call = self._call(method, path, params, None, headers=headers)
        body = await self._send(call)
        return decode_page(
            model, body, endpoint=f"{method} {path}", method=method, url=call.shown_url
        )

    async def pause(self, seconds: float) -> None:
        """Wait on this transport's clock (``Transport.sleep``, faked in tests)."""
        await self.sleep(seconds)

    # -- one call -------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        params: Query | None,
        json: Any,
        secret: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Call:
        """The call's state: URL with its query, JSON body, deadline and own headers (checked)."""
        if self.extras is not None:
            params, json = with_extras(self.extras, method, params, json)
        try:
            url = self.base_url + path + encode_query(params)
        except UnicodeEncodeError:
            raise unsendable_text("a query parameter", params) from None
        body = None if json is None else encode_body(json)
        total = self.timeout.total
        deadline = None if total is None else time.monotonic() + total
        call = Call(method, url, path, body, deadline, secret)
        if headers is not None:
            call.headers = _config.call_headers(headers)
        return call

    async def _send(self, call: Call, observed: bool = False) -> bytes:
        """One call and its retries, registered with the pool while it runs (see
        ``Pool.aclose``); run inside the observer (hooks, tracing) when there is one. After a
        retryable failure it waits as backoff says (``_retry_delay``), then attempts again."""
        if self.observer is not None and not observed:
            return await self.observer.run(call, self._send_observed)
        pool = self.pool
        task = call.task = pool.enter(call)
        waits: Generator[float, PiggyError, None] | None = None
        try:
            while True:
                try:
                    return await self._attempt(call)
                except PiggyError as err:
                    if waits is None:
                        waits = _policy.retry_waits()
                        next(waits)
                    delay = self._retry_delay(call, err, waits)
                    if delay is None:
                        raise
                    if delay > 0:
                        await wait_to_retry(self.sleep, call, delay, err)
        except asyncio.CancelledError:
            if not call.cut:
                raise
            uncancel(task)
            if getattr(task, "cancelling", lambda: 0)():  # cancelled by its caller as well
                raise
            closed = ClientClosedError(
                f"the client was closed while this call was in flight; it was cancelled "
                f"after the close grace period of {pool.close_grace:g} s",
                method=call.method,
                url=call.shown_url,
            )
            # A POST cut after its bytes may have left: Piggy may have processed it.
            closed.outcome_unknown = call.sent and call.method not in _policy.IDEMPOTENT_METHODS
            closed.attempts = call.attempt
            raise closed from None
        finally:
            pool.leave(task)

    async def _send_observed(self, call: Call) -> bytes:
        return await self._send(call, True)

    def _retry_delay(
        self, call: Call, err: PiggyError, waits: Generator[float, PiggyError, None]
    ) -> float | None:
        """Seconds to wait before the next attempt after ``err`` (logged, and told to the
        observer), or None: raise ``err``."""
        delay = self._next_wait(call, err, waits)
        if delay is None or (single_attempt.get() and not _policy.is_unauthorized(err)):
            return None  # (a bulk run retries its items itself, at its limiter)
        log.info(
            "retrying %s %s in %.2fs after %s (attempt %d failed)",
            call.method,
            call.shown_path,
            delay,
            short(err),
            call.attempt,
        )
        if self.observer is not None:
            self.observer.retry_scheduled(call, err, delay)
        return delay

    def _next_wait(
        self, call: Call, err: PiggyError, waits: Generator[float, PiggyError, None]
    ) -> float | None:
        """Seconds before the next attempt, or None: raise ``err``. A 401 with an OAuth
        token gets one more attempt with a new token whatever ``max_retries`` says (the
        token may have been revoked or expired early: that is the client's to mend)."""
        if self.pool.closed:
            return None  # never a retry after close
        if (
            call.sent
            and _policy.is_unauthorized(err)
            and isinstance(self.auth, ClientCredentialsAuth)
            and not call.reauthenticated
        ):
            call.reauthenticated = True  # the token may have been revoked: fetch anew once
            return 0.0
        if call.attempt > self.max_retries:
            return None
        method = call.method if call.sent else "GET"  # nothing of this call left: idempotent
        remaining = None if call.deadline is None else call.deadline - time.monotonic()
        return _policy.next_wait(method, err, waits, remaining=remaining)

    # -- one attempt ----------------------------------------------------------------------

    async def _attempt(self, call: Call) -> bytes:
        """One attempt: the answer's body for a 2xx, else a typed error carrying attempts
        and ``outcome_unknown``. One coroutine around ``_wire.send`` (helpers: ``_attempt``)."""
        call.attempt += 1
        call.sent = False
        if self.rate_limiter is not None:
            await rate_turn(self.rate_limiter, self.sleep, self.timeout, call)
        pool, settings = self.pool, self.timeout
        try:
            session = pool.get()
            headers: Mapping[str, str] = self._headers
            if call.body is not None:
                headers = self._json_headers or self._with_json()
            headers = attempt_headers(headers, call)
            if isinstance(self.auth, ClientCredentialsAuth):
                headers = await oauth_headers(self.auth, self._fetch_token, settings, headers, call)
            watch = self.observer
            if watch is not None:
                watch.attempt_started(call)
            timeout = attempt_timeout(settings, call)
            slots = pool.slots_here()
            if not slots.take():
                await slots.acquire(pool_wait(settings, call), call.method, call.shown_url)
            clock = debug_clock()
            dog = on_the_wire(call, settings.read)
            try:
                answer = await _wire.send(session, call, headers, timeout, self.max_response_bytes)
            except BaseException as exc:
                error = wire_error(settings, exc, call, clock)
                if error is None:
                    raise
                raise error from None
            finally:
                if dog is not None:
                    dog.unwatch(call.task)  # type: ignore[arg-type]
                slots.release()
            if clock:
                log_answer(call, answer.status, clock)
            if watch is not None:
                watch.attempt_ended(call, answer.status, None)
            if 200 <= answer.status < 300:
                if _raw._capture.get() is not None:
                    _raw.record(
                        answer.status, answer.headers, answer.body, call.method, call.shown_url
                    )
                return answer.body
            err = answer_error(answer, call)
            if _policy.is_unauthorized(err) and isinstance(self.auth, ClientCredentialsAuth):
                self.auth.invalidate(headers.get("Authorization", ""))
            raise err
        except PiggyError as err:
            err.__context__ = None  # (aiohttp's error, its request's headers with the key)
            err.attempts = call.attempt
            # Only bytes that may have reached Piggy make a POST's outcome unknown.
            err.outcome_unknown = call.sent and _policy.outcome_unknown(call.method, err)
            if self.observer is not None:
                self.observer.attempt_ended(call, None, err)
            raise

    # -- OAuth ----------------------------------------------------------------------------

    async def _fetch_token(self, client_id: str, client_secret: str) -> tuple[str, float]:
        """POST the client credentials to the token endpoint (the one flight in the air)."""
        return await fetch_token(
            self.pool,
            self.token_url,
            self._headers,
            self.timeout,
            self.max_response_bytes,
            client_id,
            client_secret,
        )
