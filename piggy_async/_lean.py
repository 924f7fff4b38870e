"""A request on the client's own session without ``ClientSession.request``'s per-call work.

``ClientSession._request`` spends about 30 µs of CPU a call (``tools/bench_per_call.py
--layers``, the ``floor_lean`` pair) on steps a session of this client never needs: default
headers merged into a new multidict, auth from the URL or netrc, cookies, proxies, traces,
middlewares, the total timeout's timer, the redirect loop. :func:`start` makes the same
exchange from the pieces aiohttp builds it from (``ClientRequest``, ``connector.connect``,
``ResponseHandler.set_response_params``, ``ClientResponse.start``), with aiohttp's own
error wrapping and its one silent retry of an idempotent request whose pooled connection
the server had closed.

Those pieces are aiohttp's internals, so the short way is taken only where this was checked
(:data:`ENABLED`: aiohttp 3.14, whose every release from 3.14.0 to 3.14.5 builds the
exchange this way, and the signatures used here): a session of the client's own without a
proxy (:func:`register`), an attempt without a body of aiohttp's to encode and without a
total timeout. Everything else goes through ``session.request`` (``_wire.send``).
"""

from __future__ import annotations

import asyncio
import inspect
import weakref
from collections.abc import Mapping
from typing import Any

import aiohttp
import yarl
from aiohttp.client import IDEMPOTENT_METHODS
from aiohttp.client_proto import ResponseHandler
from aiohttp.client_reqrep import ClientRequest, ClientResponse
from aiohttp.helpers import EMPTY_BODY_METHODS, TimerNoop

__all__ = ["ENABLED", "is_lean", "register", "start"]

_CHECKED = ((3, 14),)  # aiohttp releases (major, minor) whose request path this mirrors

_REQUEST_ARGS = {"headers", "data", "loop", "response_class", "session", "timer", "traces"}
_RESPONSE_ARGS = {
    "timer",
    "skip_payload",
    "read_until_eof",
    "auto_decompress",
    "read_timeout",
    "read_bufsize",
    "timeout_ceil_threshold",
    "max_line_size",
    "max_field_size",
    "max_headers",
}


def _checked(version: str) -> bool:
    """aiohttp ``version`` builds a request the way :func:`start` does."""
    try:
        major_minor = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        return False
    if major_minor not in _CHECKED:
        return False
    request = inspect.signature(ClientRequest.__init__).parameters
    response = inspect.signature(ResponseHandler.set_response_params).parameters
    connect = inspect.signature(aiohttp.BaseConnector.connect).parameters
    return (
        request.keys() >= _REQUEST_ARGS
        and response.keys() >= _RESPONSE_ARGS
        and list(connect) == ["self", "req", "traces", "timeout"]
    )


#: The short way is taken at all (False: every attempt goes through ``session.request``).
ENABLED = _checked(aiohttp.__version__)

_SESSIONS: weakref.WeakSet[aiohttp.ClientSession] = weakref.WeakSet()
_NOOP = TimerNoop()
# aiohttp's defaults for a session's answers (the client's own sessions keep them).
_READ_BUFSIZE = 2**16
_MAX_LINE = 8190
_MAX_FIELD = 8190
_MAX_HEADERS = 128


def register(session: aiohttp.ClientSession, proxy: str | None) -> None:
    """A session of the client's own: its attempts may take the short way (no proxy)."""
    if ENABLED and proxy is None and not session.trust_env and not session.auto_decompress:
        _SESSIONS.add(session)


def is_lean(session: aiohttp.ClientSession, timeout: aiohttp.ClientTimeout) -> bool:
    """This attempt takes the short way: a registered session, no total timeout."""
    return timeout.total is None and session in _SESSIONS


async def start(
    session: aiohttp.ClientSession,
    method: str,
    url: yarl.URL,
    body: bytes | None,
    headers: Mapping[str, str],
    timeout: aiohttp.ClientTimeout,
) -> ClientResponse:
    """Send one request and read its answer's head, as ``session.request`` would with
    ``allow_redirects=False``; the caller reads the body, then ``release()``s the answer.

    Mirrors aiohttp 3.14's ``ClientSession._request`` and ``_connect_and_send_request``
    (a ``bytes`` body needs no closing: aiohttp's ``BytesPayload.close`` does nothing)."""
    if session.closed:
        raise RuntimeError("Session is closed")  # aiohttp's own words
    connector: Any = session.connector
    loop = asyncio.get_running_loop()
    retry = method in IDEMPOTENT_METHODS
    while True:
        req = _request(session, loop, method, url, body, headers)
        try:
            try:
                conn = await connector.connect(req, traces=[], timeout=timeout)
            except asyncio.TimeoutError as exc:
                raise aiohttp.ConnectionTimeoutError(
                    f"Connection timeout to host {req.url}"
                ) from exc
            _answer_settings(conn.protocol, connector, method, timeout)
            try:
                resp = await req.send(conn)
                try:
                    await resp.start(conn)
                except BaseException:
                    resp.close()
                    raise
            except BaseException:
                conn.close()
                raise
            return resp
        except (aiohttp.ConnectionTimeoutError, aiohttp.ClientConnectorError):
            raise
        except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError):
            # A pooled connection the server had closed: once more, as aiohttp does.
            if not retry:
                raise
            retry = False
            if body is not None:
                await req.close()
        except aiohttp.ClientError:
            raise
        except OSError as exc:
            if exc.errno is None and isinstance(exc, asyncio.TimeoutError):
                raise
            raise aiohttp.ClientOSError(*exc.args) from exc


def _request(
    session: aiohttp.ClientSession,
    loop: asyncio.AbstractEventLoop,
    method: str,
    url: yarl.URL,
    body: bytes | None,
    headers: Mapping[str, str],
) -> ClientRequest:
    """The request as ``ClientSession._request`` builds it for a session of ours (no
    cookies, auth, proxy, traces or timer)."""
    return ClientRequest(
        method,
        url,
        headers=headers,
        data=body,
        loop=loop,
        response_class=ClientResponse,
        session=session,
        timer=_NOOP,
        traces=[],
    )


def _answer_settings(
    protocol: ResponseHandler, connector: Any, method: str, timeout: aiohttp.ClientTimeout
) -> None:
    """How the connection reads the answer: aiohttp's settings for a session of ours."""
    protocol.set_response_params(
        timer=_NOOP,
        skip_payload=method in EMPTY_BODY_METHODS,
        read_until_eof=True,
        auto_decompress=False,
        read_timeout=timeout.sock_read,
        read_bufsize=_READ_BUFSIZE,
        timeout_ceil_threshold=connector._timeout_ceil_threshold,
        max_line_size=_MAX_LINE,
        max_field_size=_MAX_FIELD,
        max_headers=_MAX_HEADERS,
    )
