"""The transport: owns the aiohttp session, sends one call with retries, maps failures.

Resources hand it (method, path, query, JSON body, model); it answers a decoded model or
raises a typed :class:`~piggy_async.errors.PiggyError`. Every decision (retry or not, how
long to wait, which error) comes from :mod:`piggy_async._policy`. The retry loop is
``backoff.on_exception``; the waits between attempts go through ``Transport.sleep`` so that
tests run them on a fake clock.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import platform
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import backoff
import msgspec

from . import _config, _policy, _raw, _wire
from ._auth import ApiKeyAuth, ClientCredentialsAuth
from ._decode import decode_data, decode_page
from ._hooks import Observer
from ._pool import Pool, fork_generation
from ._version import __version__
from ._wire import Call, Query, encode_query
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    PiggyError,
    ResponseDecodeError,
)
from .types import Page

__all__ = [
    "Pool",
    "Query",
    "Transport",
    "attempt_observer",
    "encode_query",
    "fork_generation",
]

log = logging.getLogger("piggy_async")

USER_AGENT = (
    f"piggy-client/{__version__} Python/{platform.python_version()} aiohttp/{aiohttp.__version__}"
)

#: Set by a bulk run inside each of its tasks: told of every failed attempt (for instance a
#: 429 that is about to be retried) and when it was sent, so that the run can slow down.
attempt_observer: contextvars.ContextVar[Callable[[PiggyError, float], None] | None] = (
    contextvars.ContextVar("piggy_attempt_observer", default=None)
)

_Call = Call  # the name tests and older code know


class _TokenAnswer(msgspec.Struct):
    access_token: str
    expires_in: float = 3600.0
    token_type: str = "Bearer"


_token_decoder = msgspec.json.Decoder(_TokenAnswer)


def _gives_up(exc: Exception) -> bool:
    return getattr(exc, "_retry_in", None) is None


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
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.token_url = f"{parts.scheme}://{parts.netloc}{_config.TOKEN_PATH}"
        self.auth = auth
        self.timeout = timeout
        self.max_retries = max_retries
        self.pool = pool
        self.max_response_bytes = max_response_bytes
        self.extra_headers = dict(headers)
        #: ``with_options(extra_query=, extra_body=)``: merged into every call (None: none).
        self.extras: tuple[Query, Mapping[str, Any]] | None = None
        if extra_query or extra_body:
            self.extras = (dict(extra_query or {}), dict(extra_body or {}))
        self.sleep = asyncio.sleep
        #: Hooks and tracing (:mod:`piggy_async._hooks`); None: nothing observes the calls.
        self.observer: Observer | None = None
        self._client_timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=timeout.connect, sock_read=timeout.read
        )
        base = {"User-Agent": USER_AGENT, "Accept": "application/json", **headers}
        self._headers = base
        self._json_headers = {**base, "Content-Type": "application/json"}
        static = auth.static_header
        if static is not None:
            self._headers = {**self._headers, "Authorization": static}
            self._json_headers = {**self._json_headers, "Authorization": static}
        # The retries after a first failure; the first attempt runs outside backoff's
        # wrapper (see _send), which costs several µs per call for its bookkeeping.
        self._retry: Callable[[_Call], Awaitable[bytes]] | None = None
        if max_retries > 0:
            self._retry = backoff.on_exception(
                backoff.constant,
                PiggyError,
                max_tries=max_retries,
                giveup=_gives_up,
                on_backoff=self._before_retry,
                jitter=None,
                logger=None,
                interval=0,  # the real wait happens in _before_retry, on self.sleep
            )(self._attempt)

    # -- public to resources -------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        model: Any,
        *,
        params: Query | None = None,
        json: Any = None,
    ) -> Any:
        """Send one call and decode its ``data`` into ``model``."""
        call = self._call(method, path, params, json)
        body = await self._send(call)
        return decode_data(model, body, endpoint=f"{method} {path}", method=method, url=call.url)

    async def request_page(
        self, method: str, path: str, model: Any, *, params: Query | None = None
    ) -> Page[Any]:
        """Send one call whose answer is a list with pagination meta."""
        call = self._call(method, path, params, None)
        body = await self._send(call)
        return decode_page(model, body, endpoint=f"{method} {path}", method=method, url=call.url)

    # -- internals ------------------------------------------------------------------------

    async def _send(self, call: _Call, observed: bool = False) -> bytes:
        """One call: the first attempt, then (if it failed retryably) backoff's retry loop;
        run inside the observer (hooks, tracing) when there is one."""
        if self.observer is not None and not observed:
            return await self.observer.run(call, self._send_observed)
        try:
            return await self._attempt(call)
        except PiggyError as err:
            if self._retry is None or _gives_up(err):
                raise
            await self._before_retry({"args": (call,), "exception": err})
        return await self._retry(call)

    async def _send_observed(self, call: _Call) -> bytes:
        return await self._send(call, True)

    def _call(self, method: str, path: str, params: Query | None, json: Any) -> _Call:
        if self.extras is not None:
            params, json = _with_extras(self.extras, method, params, json)
        url = self.base_url + path + encode_query(params)
        body = None if json is None else msgspec.json.encode(json)
        total = self.timeout.total
        deadline = None if total is None else time.monotonic() + total
        return _Call(method, url, path, body, deadline)

    async def _oauth_headers(self, base: Mapping[str, str]) -> Mapping[str, str]:
        auth = self.auth
        assert isinstance(auth, ClientCredentialsAuth)
        header = auth.cached_header() or await auth.header(self._fetch_token)
        return {**base, "Authorization": header}

    def _attempt_timeout(self, call: _Call) -> aiohttp.ClientTimeout:
        if call.deadline is None:
            return self._client_timeout
        remaining = call.deadline - time.monotonic()
        if remaining <= 0:
            raise APITimeoutError(
                f"the call's overall timeout of {self.timeout.total}s ran out",
                method=call.method,
                url=call.url,
                request_sent=call.attempt > 1,
            )
        return aiohttp.ClientTimeout(
            total=remaining, sock_connect=self.timeout.connect, sock_read=self.timeout.read
        )

    async def _attempt(self, call: _Call) -> bytes:
        """One attempt: the answer's body for a 2xx, else a typed error annotated with what
        the retry loop needs (attempts, outcome, delay before the next attempt)."""
        call.attempt += 1
        observer = attempt_observer.get()
        started = time.monotonic() if observer is not None else 0.0
        try:
            session = self.pool.get()
            headers: Mapping[str, str] = (
                self._json_headers if call.body is not None else self._headers
            )
            if self.auth.static_header is None:
                headers = await self._oauth_headers(headers)
            watch = self.observer
            if watch is not None:
                watch.attempt_started(call)
            answer = await self._exchange(session, call, headers)
            if watch is not None:
                watch.attempt_ended(call, answer.status, None)
            if 200 <= answer.status < 300:
                if _raw._capture.get() is not None:
                    _raw.record(answer.status, answer.headers, answer.body, call.method, call.url)
                return answer.body
            err = _policy.error_from_response(
                answer.status,
                answer.body,
                answer.headers,
                method=call.method,
                url=call.url,
                now=time.time(),
                reason=answer.reason,
            )
            if isinstance(err, APIStatusError):
                err.response = _raw.RawResponse(
                    answer.status, answer.headers, answer.body, method=call.method, url=call.url
                )
            if isinstance(err, AuthenticationError) and isinstance(
                self.auth, ClientCredentialsAuth
            ):
                self.auth.invalidate(headers.get("Authorization", ""))
            raise err
        except PiggyError as err:
            self._annotate(err, call, started, observer)
            if self.observer is not None:
                self.observer.attempt_ended(call, None, err)
            raise

    async def _exchange(
        self, session: aiohttp.ClientSession, call: _Call, headers: Mapping[str, str]
    ) -> _wire.Answer:
        """Send the attempt on the wire; aiohttp's failures become typed errors; logged."""
        timeout = self._attempt_timeout(call)
        debug = log.isEnabledFor(logging.DEBUG)
        clock = time.perf_counter() if debug else 0.0
        try:
            answer = await _wire.send(session, call, headers, timeout, self.max_response_bytes)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            if debug:
                log.debug(
                    "%s %s failed: %s (attempt %d, %.1f ms)",
                    call.method,
                    call.path,
                    type(exc).__name__,
                    call.attempt,
                    (time.perf_counter() - clock) * 1000,
                )
            raise self._transport_error(exc, call) from None
        if debug:
            log.debug(
                "%s %s -> %d (attempt %d, %.1f ms)",
                call.method,
                call.path,
                answer.status,
                call.attempt,
                (time.perf_counter() - clock) * 1000,
            )
        return answer

    def _transport_error(self, exc: BaseException, call: _Call) -> PiggyError:
        if call.deadline is not None and time.monotonic() >= call.deadline:
            return APITimeoutError(
                f"the call's overall timeout of {self.timeout.total}s ran out",
                method=call.method,
                url=call.url,
                request_sent=True,
            )
        return _policy.error_from_exception(exc, method=call.method, url=call.url)

    def _annotate(
        self,
        err: PiggyError,
        call: _Call,
        started: float,
        observer: Callable[[PiggyError, float], None] | None,
    ) -> None:
        """Record on a failed attempt's error: attempts, outcome, and the wait before the
        next attempt (``_retry_in``; None: give up)."""
        err.attempts = call.attempt
        err.outcome_unknown = _policy.outcome_unknown(call.method, err)
        if observer is not None:
            observer(err, started)
        remaining = None if call.deadline is None else call.deadline - time.monotonic()
        delay = _policy.retry_delay(call.method, err, call.attempt, remaining=remaining)
        if (
            delay is None
            and isinstance(err, AuthenticationError)
            and isinstance(self.auth, ClientCredentialsAuth)
            and not call.reauthenticated
        ):
            call.reauthenticated = True  # the token may have been revoked: fetch anew once
            delay = 0.0
        err._retry_in = delay  # type: ignore[attr-defined]

    async def pause(self, seconds: float) -> None:
        """Wait on this transport's clock (``Transport.sleep``, faked in tests)."""
        await self.sleep(seconds)

    async def _before_retry(self, details: Any) -> None:
        call: _Call = details["args"][0]
        exc = details["exception"]
        delay: float = exc._retry_in
        log.info(
            "retrying %s %s in %.2fs after %s (attempt %d failed)",
            call.method,
            call.path,
            delay,
            _short(exc),
            call.attempt,
        )
        if self.observer is not None:
            self.observer.retry_scheduled(call, exc, delay)
        if delay > 0:
            await self.sleep(delay)

    async def _fetch_token(self, client_id: str, client_secret: str) -> tuple[str, float]:
        session = self.pool.get()
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }
        url = self.token_url
        call = _Call("POST", url, "/oauth/token", None, None)
        try:
            status, body, resp_headers, reason = await _wire.send(
                session, call, self._headers, self._client_timeout, self.max_response_bytes, form
            )
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise _policy.error_from_exception(exc, method="POST", url=url) from None
        log.debug("POST /oauth/token -> %d", status)
        if not 200 <= status < 300:
            raise _policy.error_from_response(
                status, body, resp_headers, method="POST", url=url, now=time.time(), reason=reason
            )
        try:
            answer = _token_decoder.decode(body)
        except (msgspec.DecodeError, msgspec.ValidationError):
            raise ResponseDecodeError(
                "the OAuth token endpoint did not answer an access_token",
                method="POST",
                url=url,
                body=b"<redacted>",
            ) from None
        return answer.access_token, answer.expires_in


def _with_extras(
    extras: tuple[Query, Mapping[str, Any]], method: str, params: Query | None, json: Any
) -> tuple[Query | None, Any]:
    """The query and body of a call with ``with_options``' extra query and body merged in
    (the extras win). The extra body goes into JSON object bodies, and is the body of a
    POST/PUT/PATCH that has none; a list body is left as it is."""
    query, body = extras
    if query:
        params = {**(params or {}), **query}
    if body:
        if isinstance(json, Mapping):
            json = {**json, **body}
        elif json is None and method in ("POST", "PUT", "PATCH"):
            json = dict(body)
    return params, json


def _short(exc: BaseException) -> str:
    if isinstance(exc, APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, APIConnectionError):
        return exc.message
    return type(exc).__name__
