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
import os
import platform
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import aiohttp
import backoff
import msgspec
import yarl

from . import _config, _policy
from ._auth import ApiKeyAuth, ClientCredentialsAuth
from ._decode import decode_data, decode_page
from ._rate import Deferred, RateLimiter, defer_decode, single_attempt
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    PiggyError,
    ResponseDecodeError,
    ResponseTooLargeError,
)
from .types import Page

log = logging.getLogger("piggy_async")

USER_AGENT = (
    f"piggy-client/{__version__} Python/{platform.python_version()} aiohttp/{aiohttp.__version__}"
)

Query = Mapping[str, str | int | float | bool | None]

#: Set by a bulk run inside each of its tasks: told of every failed attempt (for instance a
#: 429 that is about to be retried) and when it was sent, so that the run can slow down.
attempt_observer: contextvars.ContextVar[Callable[[PiggyError, float], None] | None] = (
    contextvars.ContextVar("piggy_attempt_observer", default=None)
)


def _query_value(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def encode_query(params: Query | None) -> str:
    """``?a=1&b=x`` with every key and value percent-encoded; ``None`` values left out."""
    if not params:
        return ""
    pairs = [(k, _query_value(v)) for k, v in params.items() if v is not None]
    if not pairs:
        return ""
    return "?" + urlencode(pairs, quote_via=quote, safe="")


_fork_generation = 0


def _after_fork_in_child() -> None:
    global _fork_generation
    _fork_generation += 1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def fork_generation() -> int:
    """Bumped in a child process after ``os.fork()``: state from before is the parent's."""
    return _fork_generation


def _abandon(session: aiohttp.ClientSession) -> None:
    """Forget a session inherited through fork() without touching its (parent's) loop.

    Its sockets belong to the parent's connections: nothing may be sent on them, so the
    session is detached and its connector marked closed (no "Unclosed ..." warnings later).
    """
    connector = session.connector
    session.detach()
    if connector is not None:
        connector._closed = True  # aiohttp has no public "forget" for a forked connector


class Pool:
    """The aiohttp session behind a client and every ``with_options`` copy of it.

    Created lazily inside the running loop; a session the user passed in is used as is and
    never closed by us. In a child process after ``fork()`` a session of ours is replaced.
    """

    def __init__(self, session: aiohttp.ClientSession | None, max_connections: int) -> None:
        self._session = session
        self.owned = session is None
        self.max_connections = max_connections
        self.closed = False
        self._generation = _fork_generation

    def get(self) -> aiohttp.ClientSession:
        session = self._session
        if session is not None and self._generation == _fork_generation and not session.closed:
            return session
        if session is not None and self._generation != _fork_generation:
            if not self.owned:
                raise ConfigurationError(
                    "the aiohttp session passed to the client was inherited through fork(); "
                    "give the client in the child process a session of its own"
                )
            _abandon(session)
            self._session = None
        self._generation = _fork_generation
        if self.closed:
            raise ConfigurationError("this Piggy client has been closed")
        if not self.owned:
            raise ConfigurationError("the aiohttp session passed to the client is closed")
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - only reachable from sync misuse
            raise ConfigurationError("the async client must be used inside an event loop") from None
        connector = aiohttp.TCPConnector(
            limit=self.max_connections, limit_per_host=0, ttl_dns_cache=300
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=True,
            raise_for_status=False,
        )
        return self._session

    async def aclose(self) -> None:
        self.closed = True
        session, self._session = self._session, None
        if session is not None and self.owned and not session.closed:
            await session.close()


class _Call:
    """The state of one call across its attempts."""

    __slots__ = ("attempt", "body", "deadline", "method", "path", "reauthenticated", "url")

    def __init__(
        self, method: str, url: str, path: str, body: bytes | None, deadline: float | None
    ) -> None:
        self.method = method
        self.url = url
        self.path = path
        self.body = body
        self.deadline = deadline
        self.attempt = 0
        self.reauthenticated = False


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
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        self.rate_limiter = rate_limiter  # the client-wide max_rate, shared by with_options
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.token_url = f"{parts.scheme}://{parts.netloc}{_config.TOKEN_PATH}"
        self.auth = auth
        self.timeout = timeout
        self.max_retries = max_retries
        self.pool = pool
        self.max_response_bytes = max_response_bytes
        self.extra_headers = dict(headers)
        self.sleep = asyncio.sleep
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
        if defer_decode.get():  # a bulk run decodes when it hands the result out
            return Deferred(
                decode_data, model, body, endpoint=f"{method} {path}", method=method, url=call.url
            )
        return decode_data(model, body, endpoint=f"{method} {path}", method=method, url=call.url)

    async def request_page(
        self, method: str, path: str, model: Any, *, params: Query | None = None
    ) -> Page[Any]:
        """Send one call whose answer is a list with pagination meta."""
        call = self._call(method, path, params, None)
        body = await self._send(call)
        return decode_page(model, body, endpoint=f"{method} {path}", method=method, url=call.url)

    # -- internals ------------------------------------------------------------------------

    async def _send(self, call: _Call) -> bytes:
        """One call: the first attempt, then (if it failed retryably) backoff's retry loop."""
        try:
            return await self._attempt(call)
        except PiggyError as err:
            if self._retry is None or _gives_up(err) or single_attempt.get():
                raise  # (a bulk run retries its items itself, at its limiter)
            await self._before_retry({"args": (call,), "exception": err})
        return await self._retry(call)

    def _call(self, method: str, path: str, params: Query | None, json: Any) -> _Call:
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
        if self.rate_limiter is not None:
            await self.rate_limiter.acquire(self.sleep)
        observer = attempt_observer.get()
        started = time.monotonic() if observer is not None else 0.0
        try:
            session = self.pool.get()
            headers: Mapping[str, str] = (
                self._json_headers if call.body is not None else self._headers
            )
            if self.auth.static_header is None:
                headers = await self._oauth_headers(headers)
            timeout = self._attempt_timeout(call)
            debug = log.isEnabledFor(logging.DEBUG)
            clock = time.perf_counter() if debug else 0.0
            try:
                async with session.request(
                    call.method,
                    yarl.URL(call.url, encoded=True),
                    data=call.body,
                    headers=headers,
                    timeout=timeout,
                    allow_redirects=False,
                ) as resp:
                    status = resp.status
                    length = resp.content_length
                    if length is not None and length <= self.max_response_bytes:
                        body = await resp.read()
                    else:
                        body = await self._read_body(resp, call)
                    if not 200 <= status < 300:
                        resp_headers, reason = resp.headers, resp.reason
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
                    status,
                    call.attempt,
                    (time.perf_counter() - clock) * 1000,
                )
            if 200 <= status < 300:
                return body
            err = _policy.error_from_response(
                status,
                body,
                resp_headers,
                method=call.method,
                url=call.url,
                now=time.time(),
                reason=reason,
            )
            if isinstance(err, AuthenticationError) and isinstance(
                self.auth, ClientCredentialsAuth
            ):
                self.auth.invalidate(headers.get("Authorization", ""))
            raise err
        except PiggyError as err:
            self._annotate(err, call, started, observer)
            raise

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

    async def _read_body(self, resp: aiohttp.ClientResponse, call: _Call) -> bytes:
        """The body when its size is unknown (chunked) or over the cap: read up to the cap."""
        limit = self.max_response_bytes
        chunks: list[bytes] = []
        size = resp.content_length or 0
        if size <= limit:
            async for chunk in resp.content.iter_chunked(65536):
                size += len(chunk)
                if size > limit:
                    break
                chunks.append(chunk)
            else:
                return b"".join(chunks)
        raise ResponseTooLargeError(
            f"response is larger than max_response_bytes={limit}",
            method=call.method,
            url=call.url,
            limit=limit,
        )

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
        try:
            async with session.post(
                url,
                data=form,
                headers=self._headers,
                timeout=self._client_timeout,
                allow_redirects=False,
            ) as resp:
                status = resp.status
                body = await self._read_body(resp, _Call("POST", url, "/oauth/token", None, None))
                resp_headers = resp.headers
                reason = resp.reason
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


def _short(exc: BaseException) -> str:
    if isinstance(exc, APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, APIConnectionError):
        return exc.message
    return type(exc).__name__
