"""What one call's deadline and settings allow an attempt: pure helpers of the transport.

The wait for a connection slot, the aiohttp timeout of an attempt, the error a run-out
deadline becomes, and ``with_options``' extra query and body merged into a call.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Mapping
from typing import Any

import aiohttp

from . import _config, _policy, _raw, _watchdog, _wire
from ._pool import Pool
from ._wire import Call, Query
from .errors import APIConnectionError, APIStatusError, APITimeoutError, PiggyError

log = logging.getLogger("piggy_async")

__all__ = [
    "answer_error",
    "attempt_timeout",
    "client_timeout",
    "exchange",
    "overall_timeout",
    "pool_wait",
    "short",
    "transport_error",
    "uncancel",
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
        sent = not isinstance(err, APIConnectionError) or err.request_sent
        return overall_timeout(timeout, call, "during the attempt", sent)
    return err


async def exchange(
    pool: Pool,
    session: aiohttp.ClientSession,
    call: Call,
    headers: Mapping[str, str],
    settings: _config.Timeout,
    max_response_bytes: int,
) -> _wire.Answer:
    """Take a connection slot, send the attempt, read the answer; logged at DEBUG."""
    timeout = attempt_timeout(settings, call)
    wait = pool_wait(settings, call)
    await pool.acquire(wait, call.method, call.shown_url)
    call.sent = True  # from here on, bytes may reach Piggy (the errors say which did)
    debug = log.isEnabledFor(logging.DEBUG)
    clock = time.perf_counter() if debug else 0.0
    read = settings.read
    task = call.task
    dog = None
    if read is not None and task is not None:
        dog = _watchdog.for_running_loop()
        dog.watch(task, call, read)
    try:
        try:
            answer = await _wire.send(session, call, headers, timeout, max_response_bytes)
        except asyncio.CancelledError:
            if not call.stalled or task is None:
                raise
            call.stalled = False  # the watchdog's cancel: undone, the read timed out
            uncancel(task)
            if getattr(task, "cancelling", lambda: 0)():  # cancelled by someone else as well
                raise
            raise aiohttp.ServerTimeoutError() from None  # logged and mapped below
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        if debug:
            log.debug(
                "%s %s failed: %s (attempt %d, %.1f ms)",
                call.method,
                call.shown_path,
                type(exc).__name__,
                call.attempt,
                (time.perf_counter() - clock) * 1000,
            )
        raise transport_error(settings, exc, call) from None
    finally:
        if dog is not None:
            dog.unwatch(task)  # type: ignore[arg-type]
        pool.release()
    if debug:
        log.debug(
            "%s %s -> %d (attempt %d, %.1f ms)",
            call.method,
            call.shown_path,
            answer.status,
            call.attempt,
            (time.perf_counter() - clock) * 1000,
        )
    return answer


def answer_error(answer: _wire.Answer, call: Call) -> APIStatusError:
    """The typed error of a non-2xx answer, carrying the raw response."""
    err = _policy.error_from_response(
        answer.status,
        answer.body,
        answer.headers,
        method=call.method,
        url=call.shown_url,
        now=time.time(),
        reason=answer.reason,
    )
    err.response = _raw.RawResponse(
        answer.status, answer.headers, answer.body, method=call.method, url=call.shown_url
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
