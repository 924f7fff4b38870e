"""One attempt on the wire: send a request, read its answer's body up to the size cap.

No retries and no error policy here (see :mod:`piggy_async._transport` and
:mod:`piggy_async._policy`): aiohttp's exceptions pass through to the caller, which maps them.
"""

from __future__ import annotations

import asyncio
import math
import zlib
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

import aiohttp
import yarl
from aiohttp.http_exceptions import ContentEncodingError

from . import _lean
from .errors import InvalidArgumentError, ResponseDecodeError, ResponseTooLargeError

__all__ = ["Answer", "Call", "Query", "encode_query", "read_capped", "send"]

Query = Mapping[str, str | int | float | bool | None]

_CHUNK = 65536


def _query_value(key: str, value: str | int | float | bool) -> str:
    if not isinstance(key, str):
        raise InvalidArgumentError(
            f"query parameter names must be text, not {type(key).__name__}", argument="query"
        )
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    raise InvalidArgumentError(
        f"query parameter {key!r} must be text, a whole number, a finite number or a bool, "
        f"not {type(value).__name__}" + (f" {value}" if isinstance(value, float) else ""),
        argument=key,
    )


def encode_query(params: Query | None) -> str:
    """``?a=1&b=x`` with every key and value percent-encoded; ``None`` values left out.
    A value of another type (a dict, bytes, an object), NaN or an infinity: an
    ``InvalidArgumentError`` naming the key, never its ``str()`` sent."""
    if not params:
        return ""
    pairs = [(k, _query_value(k, v)) for k, v in params.items() if v is not None]
    if not pairs:
        return ""
    return "?" + urlencode(pairs, quote_via=quote, safe="")


class Call:
    """The state of one call across its attempts."""

    #: Set by the read timeout's watchdog when it starts watching an attempt.
    read_timeout: float
    quiet_since: float
    began: float
    seen: int

    __slots__ = (
        "attempt",
        "began",
        "body",
        "cut",
        "deadline",
        "headers",
        "method",
        "path",
        "quiet_since",
        "read_timeout",
        "reauthenticated",
        "secret",
        "seen",
        "sent",
        "shown_path",
        "shown_url",
        "stalled",
        "stream",
        "task",
        "url",
        "waiting",
    )

    def __init__(
        self,
        method: str,
        url: str,
        path: str,
        body: bytes | None,
        deadline: float | None,
        secret: str | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.path = path
        #: What errors, logs and traces show: ``url``/``path`` with a ``secret`` path
        #: segment (a contact session token) masked.
        self.shown_url, self.shown_path = url, path
        self.secret = secret
        if secret:
            self.shown_url = url.replace(secret, "<redacted>")
            self.shown_path = path.replace(secret, "<redacted>")
        self.body = body
        self.deadline = deadline
        self.attempt = 0
        self.reauthenticated = False
        #: This attempt got a connection slot: bytes may reach Piggy from here on (back to
        #: False while a new connection is being opened for it, see ``_watchdog``).
        self.sent = False
        #: In a wait between attempts (``aclose()`` ends such a call at once).
        self.waiting = False
        #: Cancelled by ``aclose()`` (the call then raises ClientClosedError).
        self.cut = False
        #: The read timeout's state (:mod:`piggy_async._watchdog`): the answer's bytes as
        #: they arrive, and why the watchdog cut the attempt ("silent", "slow"; "": not cut).
        #: (``read_timeout``, ``quiet_since``, ``began`` and ``seen``: set when it watches.)
        self.stream: aiohttp.StreamReader | None = None
        self.stalled = ""
        #: The task running the call (``Pool.enter``).
        self.task: asyncio.Task[Any] | None = None
        #: Headers of this call only (a method's ``extra_headers=``), checked.
        self.headers: dict[str, str] | None = None


class Answer(NamedTuple):
    """What came back from one attempt."""

    status: int
    body: bytes
    headers: Mapping[str, str]
    reason: str | None


async def read_capped(resp: aiohttp.ClientResponse, limit: int, method: str, url: str) -> bytes:
    """The answer's body as aiohttp hands it over, or ``ResponseTooLargeError`` once it grows
    past ``limit`` bytes (counted as they stream, never held whole)."""
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in resp.content.iter_chunked(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_large(limit, method, url)
            chunks.append(chunk)
    except aiohttp.ClientPayloadError as exc:
        if _is_encoding_error(exc):
            raise _undecodable(resp, method, url) from None
        raise
    return b"".join(chunks)


async def read_decoded(
    resp: aiohttp.ClientResponse, coding: str, limit: int, method: str, url: str
) -> bytes:
    """Undo ``Content-Encoding`` (gzip, deflate) ourselves, ``limit`` decoded bytes at most.

    Each compressed chunk is inflated with a bound on its output, so a small body that
    inflates to gigabytes is stopped at the cap, whatever aiohttp version is installed.
    """
    coding = coding.strip().lower()
    if coding in ("", "identity"):
        return await read_capped(resp, limit, method, url)
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise _undecodable(resp, method, url)
    gzip = coding != "deflate"
    inflater: Any = None
    chunks: list[bytes] = []
    size = received = 0
    try:
        async for chunk in resp.content.iter_chunked(_CHUNK):
            received += len(chunk)
            if received > _compressed_limit(limit):  # (a stream that inflates to nothing)
                raise _too_large(limit, method, url)
            if inflater is None:
                inflater = zlib.decompressobj(_wbits(gzip, chunk))
            data = chunk
            while data:
                piece = inflater.decompress(data, limit - size + 1)
                size += len(piece)
                if size > limit:
                    raise _too_large(limit, method, url)
                chunks.append(piece)
                data = inflater.unconsumed_tail
                if not data and gzip and inflater.eof and inflater.unused_data:
                    data = inflater.unused_data  # the next member of a multi-member gzip
                    inflater = zlib.decompressobj(_wbits(gzip, data))
        if inflater is None or not inflater.eof:
            raise zlib.error("the compressed stream ends early")
    except zlib.error:
        raise _undecodable(resp, method, url) from None
    return b"".join(chunks)


def _compressed_limit(limit: int) -> int:
    """The most compressed bytes an answer of at most ``limit`` inflated bytes can take
    (stored blocks and headers add a few bytes per 64 KiB): more is not a real answer."""
    return limit + limit // 1024 + 65536


def _wbits(gzip: bool, first: bytes) -> int:
    if gzip:
        return 16 + zlib.MAX_WBITS
    # "deflate" is meant to be zlib-wrapped (RFC 9110); some servers send it raw.
    return zlib.MAX_WBITS if first and first[0] & 0x0F == 8 else -zlib.MAX_WBITS


def _too_large(limit: int, method: str, url: str) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"response is larger than max_response_bytes={limit}", method=method, url=url, limit=limit
    )


def _undecodable(resp: aiohttp.ClientResponse, method: str, url: str) -> ResponseDecodeError:
    coding = resp.headers.get("Content-Encoding", "")
    return ResponseDecodeError(
        f"the answer's body is not valid {coding or 'encoded'} data (or an encoding this "
        "client does not accept)",
        method=method,
        url=url,
        body=b"",
        status_code=resp.status,
    )


def _is_encoding_error(exc: BaseException) -> bool:
    """aiohttp (a session of the user's that inflates) could not undo the answer's encoding."""
    return isinstance(exc.__cause__, ContentEncodingError)


async def send(
    session: aiohttp.ClientSession,
    call: Call,
    headers: Mapping[str, str],
    timeout: aiohttp.ClientTimeout,
    limit: int,
    data: Any = None,
) -> Answer:
    """Send one attempt of ``call`` and read its answer (decoded body capped at ``limit``):
    on a session of the client's own the short way (:mod:`piggy_async._lean`), else
    through ``session.request``."""
    url = yarl.URL(call.url, encoded=True)
    if data is None and _lean.is_lean(session, timeout):
        resp = await _lean.start(session, call.method, url, call.body, headers, timeout)
        try:
            return await _answer(session, resp, call, limit)
        finally:
            resp.release()  # (what ``async with`` on aiohttp's answer does)
            await resp.wait_for_close()
    async with session.request(
        call.method,
        url,
        data=call.body if data is None else data,
        headers=headers,
        timeout=timeout,
        allow_redirects=False,
    ) as resp:
        return await _answer(session, resp, call, limit)


async def _answer(
    session: aiohttp.ClientSession, resp: aiohttp.ClientResponse, call: Call, limit: int
) -> Answer:
    """The answer whose head ``resp`` holds, its body read (decoded, capped at ``limit``)."""
    call.stream = resp.content  # the read timeout's watchdog counts its bytes
    length = resp.content_length
    status = resp.status
    coding = resp.headers.get("Content-Encoding")
    try:
        if coding is not None and not session.auto_decompress:
            body = await read_decoded(resp, coding, limit, call.method, call.shown_url)
        elif length is not None and length <= limit and coding is None:
            body = await resp.read()  # identity: the length is the decoded length
        else:
            body = await read_capped(resp, limit, call.method, call.shown_url)
    except ResponseDecodeError:
        if 200 <= status < 300:
            raise
        body = b""  # an error answer with an undecodable body: its status speaks
    if 200 <= status < 300:
        return Answer(status, body, resp.headers, None)
    return Answer(status, body, resp.headers, resp.reason)
