"""What one call's deadline and settings allow an attempt: helpers of the transport.

The wait for a connection slot, the aiohttp timeout of an attempt, the read timeout's
watch, the error a failed exchange or a run-out deadline becomes, the DEBUG log lines, the
OAuth header, and ``with_options``' extra query and body merged into a call. The attempt
itself (``Transport._attempt``) is one coroutine around ``_wire.send``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp

from . import _config, _policy, _raw, _watchdog, _wire
from ._auth import ClientCredentialsAuth
from ._rate import RateLimiter
from ._validate import secret_forms
from ._wire import Call, Query
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    PiggyError,
)

log = logging.getLogger("piggy_async")

JSON_TYPE = {"Content-Type": "application/json"}  # a JSON body's type wins over any extra header

__all__ = [
    "JSON_TYPE",
    "answer_error",
    "attempt_headers",
    "attempt_timeout",
    "client_timeout",
    "debug_clock",
    "log_answer",
    "oauth_headers",
    "on_the_wire",
    "overall_timeout",
    "pool_wait",
    "rate_turn",
    "short",
    "transport_error",
    "uncancel",
    "wait_to_retry",
    "wire_error",
    "with_extras",
]


@functools.lru_cache(maxsize=64)
def client_timeout(timeout: _config.Timeout) -> aiohttp.ClientTimeout:
    """aiohttp's timeout for an attempt: connecting only (the read timeout is the
    watchdog's, see :mod:`piggy_async._watchdog`)."""
    return aiohttp.ClientTimeout(
        total=None, connect=timeout.connect, sock_connect=timeout.connect, sock_read=None
    )


def uncancel(task: asyncio.Task[Any]) -> None:
    """Undo the cancel request ``aclose()`` made, so the task's cancel count stays honest."""
    uncancel = getattr(task, "uncancel", None)  # 3.11+: keep the cancel count honest
    if uncancel is not None:  # pragma: no branch - None only on Python 3.10
        uncancel()


def pool_wait(timeout: _config.Timeout, call: Call) -> float | None:
    """How long this call may wait for a free connection."""
    wait = timeout.pool
    if call.deadline is not None:
        wait = _config.least(wait, call.deadline - time.monotonic())
    return wait


def attempt_timeout(timeout: _config.Timeout, call: Call) -> aiohttp.ClientTimeout:
    """aiohttp's timeout for the next attempt: the settings, cut by the call's deadline."""
    if call.deadline is None:
        return client_timeout(timeout)
    remaining = call.deadline - time.monotonic()
    if remaining <= 0:
        raise overall_timeout(timeout, call, "before the attempt was sent")
    connect = _config.least(timeout.connect, remaining)
    return aiohttp.ClientTimeout(
        total=remaining, connect=connect, sock_connect=connect, sock_read=None
    )


def overall_timeout(
    timeout: _config.Timeout, call: Call, during: str, sent: bool = False
) -> APITimeoutError:
    """The error of a call whose overall deadline (``Timeout.total``) ran out."""
    return APITimeoutError(
        f"the call's overall timeout of {timeout.total}s ran out {during}",
        method=call.method,
        url=call.shown_url,
        request_sent=sent,
    )


def transport_error(timeout: _config.Timeout, exc: BaseException, call: Call) -> PiggyError:
    """A transport exception as a typed error (the deadline's, when it ran out)."""
    err = _policy.error_from_exception(exc, method=call.method, url=call.shown_url)
    if call.deadline is not None and time.monotonic() >= call.deadline:
        sent = call.sent and (not isinstance(err, APIConnectionError) or err.request_sent)
        return overall_timeout(timeout, call, "during the attempt", sent)
    return err


def attempt_headers(base: Mapping[str, str], call: Call) -> Mapping[str, str]:
    """An attempt's headers: the client's (``base``), then a ``request_headers`` block's,
    then the call's own; a JSON body's Content-Type wins. (The OAuth token is added after.)"""
    scoped, own = _raw.scoped_headers.get(), call.headers
    if scoped is None and own is None:
        return base
    if call.body is not None:  # a JSON body stays JSON
        return _config.merged_headers(base, scoped or {}, own or {}, JSON_TYPE)
    return _config.merged_headers(base, scoped or {}, own or {})


async def rate_turn(
    limiter: RateLimiter,
    sleep: Callable[[float], Awaitable[None]],
    settings: _config.Timeout,
    call: Call,
) -> None:
    """Wait for the attempt's turn under ``max_rate``; a turn further away than the call's
    deadline is not taken: the call's overall timeout, at once."""
    left = None if call.deadline is None else call.deadline - time.monotonic()
    if not await limiter.acquire(sleep, left):
        late = overall_timeout(settings, call, "before its turn under max_rate")
        late.attempts = call.attempt
        raise late


async def wait_to_retry(
    sleep: Callable[[float], Awaitable[None]], call: Call, delay: float, err: PiggyError
) -> None:
    """Sleep ``delay`` seconds before the call's next attempt; a close of the client
    (``aclose()``) ends the wait with ``ClientClosedError``."""
    call.waiting = True
    try:
        await sleep(delay)
    except asyncio.CancelledError:
        if not call.cut:
            raise
        task = asyncio.current_task()
        if task is not None:
            uncancel(task)
            if getattr(task, "cancelling", lambda: 0)():  # cancelled by its caller as well
                call.cut = False  # (so that _send lets the cancel through as it is)
                raise
        closed = ClientClosedError(
            f"the client was closed while this call waited to retry after {short(err)}; "
            "it was not retried",
            method=call.method,
            url=call.shown_url,
        )
        closed.attempts = call.attempt  # how many times it was sent
        raise closed from err
    finally:
        call.waiting = False


def debug_clock() -> float:
    """When an attempt logged at DEBUG started (``time.perf_counter``); 0.0: DEBUG is off."""
    return time.perf_counter() if log.isEnabledFor(logging.DEBUG) else 0.0


def on_the_wire(call: Call, read: float | None) -> _watchdog.Watchdog | None:
    """The attempt holds its connection slot: bytes may reach Piggy from here on (the errors
    say which did). Its answer is watched by the loop's watchdog for ``read`` seconds of
    silence; returns that watchdog (None: no read timeout)."""
    call.sent = True
    task = call.task
    if read is None or task is None:
        return None
    dog = _watchdog.for_running_loop()
    dog.watch(task, call, read)
    return dog


def wire_error(
    settings: _config.Timeout, exc: BaseException, call: Call, clock: float
) -> PiggyError | None:
    """The typed error of an attempt whose exchange raised ``exc`` (logged at DEBUG when
    ``clock`` is set), or None: let ``exc`` through as it is (a cancellation that is not
    the watchdog's, anything that is not a transport failure)."""
    if isinstance(exc, asyncio.CancelledError):
        task = call.task
        why = call.stalled
        if not why or task is None:
            return None
        call.stalled = ""  # the watchdog's cancel: undone, the read timed out
        uncancel(task)
        if getattr(task, "cancelling", lambda: 0)():  # cancelled by someone else as well
            return None
        if why == "slow":
            exc = _policy.AnswerTooSlow(_watchdog.WHOLE * call.read_timeout)
        else:
            exc = aiohttp.ServerTimeoutError()
    elif not isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError)):
        return None
    if clock:
        log.debug(
            "%s %s failed: %s (attempt %d, %.1f ms)",
            call.method,
            call.shown_path,
            type(exc).__name__,
            call.attempt,
            (time.perf_counter() - clock) * 1000,
        )
    return transport_error(settings, exc, call)


def log_answer(call: Call, status: int, clock: float) -> None:
    """The DEBUG line of an answered attempt."""
    log.debug(
        "%s %s -> %d (attempt %d, %.1f ms)",
        call.method,
        call.shown_path,
        status,
        call.attempt,
        (time.perf_counter() - clock) * 1000,
    )


async def oauth_headers(
    auth: ClientCredentialsAuth,
    fetch: Callable[[str, str], Awaitable[tuple[str, float]]],
    settings: _config.Timeout,
    base: Mapping[str, str],
    call: Call,
) -> Mapping[str, str]:
    """``base`` with the OAuth token's header, waiting for a fetch (``fetch``) at most what
    is left of the call's deadline."""
    header = auth.cached_header()
    if header is None:
        wait = None if call.deadline is None else call.deadline - time.monotonic()
        try:
            header = await auth.header(fetch, wait)
        except asyncio.TimeoutError:
            raise overall_timeout(settings, call, "while waiting for an OAuth token") from None
    return {**base, "Authorization": header}


def answer_error(answer: _wire.Answer, call: Call) -> APIStatusError:
    """The typed error of a non-2xx answer, carrying the raw response. A call with a
    ``secret`` (a session token in its path, the OAuth client secret) has it blanked out
    of the answer's body first: an error echoing it shows ``<redacted>``."""
    body = answer.body
    if call.secret:
        for form in secret_forms(call.secret):
            body = body.replace(form.encode(), b"<redacted>")
    err = _policy.error_from_response(
        answer.status,
        body,
        answer.headers,
        method=call.method,
        url=call.shown_url,
        now=time.time(),
        reason=answer.reason,
        secret=call.secret,
    )
    err.response = _raw.RawResponse(
        answer.status, answer.headers, body, method=call.method, url=call.shown_url
    )
    return err


def with_extras(
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


def short(exc: BaseException) -> str:
    """A failed attempt in a few words, for the retry log line."""
    if isinstance(exc, APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, APIConnectionError):
        return exc.message
    return type(exc).__name__
