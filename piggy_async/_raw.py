"""Per-call controls: the "not given" default, raw HTTP responses, ``PIGGY_LOG``.

``RawResponse`` is the status, headers and body of an answer. Errors for a non-2xx answer
carry one as ``error.response``; for a successful call, capture it::

    with capture_response() as captured:
        contact = await piggy.contacts.get(uuid)
    print(captured.response.status_code, captured.response.headers["X-RateLimit-Remaining"])

Capturing is per task (a contextvar), so concurrent calls do not see each other's responses.
``request_headers`` is scoped the same way: headers for every call made inside the block.
"""

from __future__ import annotations

import contextvars
import logging
import os
import sys
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final, Literal
from urllib.parse import urlsplit

import msgspec
from multidict import CIMultiDict

from . import _config
from .errors import ResponseDecodeError

__all__ = [
    "NOT_GIVEN",
    "Captured",
    "NotGiven",
    "RawResponse",
    "capture_response",
    "request_headers",
]


class NotGiven:
    """The type of :data:`NOT_GIVEN`: "leave this setting as it is" (where None means "no
    limit" or "none", so cannot stand for "not given")."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class RawResponse:
    """An HTTP answer from Piggy as it came: ``status_code``, ``headers``, ``content``."""

    __slots__ = ("content", "headers", "method", "status_code", "url")

    def __init__(
        self,
        status_code: int,
        headers: Mapping[str, str],
        content: bytes,
        *,
        method: str,
        url: str,
    ) -> None:
        self.status_code = status_code
        # A copy: aiohttp's read-only proxy cannot be pickled, and errors pickle.
        self.headers: Mapping[str, str] = CIMultiDict(headers)
        self.content = content
        self.method = method
        self.url = url

    def json(self) -> Any:
        """The body parsed as JSON (dicts, lists, strings, numbers)."""
        try:
            return msgspec.json.decode(self.content)
        except msgspec.DecodeError:
            raise ResponseDecodeError(
                "the response body is not JSON", method=self.method, url=self.url
            ) from None

    def parse(self, model: Any = Any) -> Any:
        """The body's ``data`` decoded into ``model`` (a model class, ``list[Model]``, ...),
        as the client's own methods decode it."""
        from ._decode import decode_data

        return decode_data(
            model, self.content, endpoint=f"{self.method}", method=self.method, url=self.url
        )

    def __repr__(self) -> str:
        return f"<RawResponse {self.status_code} {self.method}, {len(self.content)} bytes>"


class Captured:
    """Filled by :func:`capture_response`: the last answer of the calls inside the block."""

    __slots__ = ("response",)

    def __init__(self) -> None:
        self.response: RawResponse | None = None


_capture: contextvars.ContextVar[Captured | None] = contextvars.ContextVar(
    "piggy_capture", default=None
)


@contextmanager
def capture_response() -> Iterator[Captured]:
    """Inside the ``with`` block, record the raw answer of each call (the last one wins)
    in the yielded object's ``response``: status, headers and body of a successful call."""
    captured = Captured()
    token = _capture.set(captured)
    try:
        yield captured
    finally:
        _capture.reset(token)


#: The headers of the innermost ``request_headers`` block (None: outside any).
scoped_headers: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "piggy_request_headers", default=None
)


class request_headers:  # lower case: used like a function, ``with request_headers(...):``
    """Inside the ``with`` block, send ``headers`` with every Piggy call made by any client
    (this task and the tasks it starts): a request-scoped ``X-Request-ID`` or similar, set
    once in a web framework's middleware. Checked like ``default_headers``; an inner block
    adds to an outer one; a call's own ``extra_headers=`` win over it. No copy of the
    client: about 7 µs of CPU per block, against about 9 µs for a per-call
    ``with_options(extra_headers=...)`` copy and about 3.5 µs for a method's
    ``extra_headers=`` (the way to send a header with one call)."""

    __slots__ = ("_headers", "_token")

    def __init__(self, headers: Mapping[str, str]) -> None:
        # one pass for names found valid before (a copy), else the full check
        self._headers = _config.check_headers(headers, setting="request_headers")
        self._token: contextvars.Token[dict[str, str] | None] | None = None

    def __enter__(self) -> None:
        outer = scoped_headers.get()
        headers = self._headers if outer is None else {**outer, **self._headers}
        self._token = scoped_headers.set(headers)

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            scoped_headers.reset(self._token)
            self._token = None


def record(
    answer_status: int, headers: Mapping[str, str], body: bytes, method: str, url: str
) -> None:
    """Called by the transport for a 2xx answer when a capture is active."""
    captured = _capture.get()
    if captured is not None:
        captured.response = RawResponse(answer_status, headers, body, method=method, url=url)


def configure_logging(environ: Mapping[str, str] = os.environ) -> None:
    """``PIGGY_LOG=debug`` or ``info``: send the ``piggy_async`` logger's records of that level
    to stderr (once; a handler you configured yourself is left alone)."""
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(
        environ.get("PIGGY_LOG", "").strip().lower()
    )
    if level is None:
        return
    logger = logging.getLogger("piggy_async")
    logger.setLevel(level)
    if not any(getattr(h, "_piggy_env", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        handler._piggy_env = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def env_proxy(base_url: str) -> str | None:
    """The proxy the environment names for ``base_url``: ``HTTPS_PROXY`` for https,
    ``HTTP_PROXY`` for http, none when ``NO_PROXY`` covers its host (as curl and requests).

    Read once per client rather than per request: aiohttp's ``trust_env`` costs a thread hop
    per request (its ~/.netrc lookup), and a netrc entry for the host would clash with the
    client's own Authorization header."""
    parts = urlsplit(base_url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(parts.scheme)
    if not proxy or not parts.hostname:
        return None
    if urllib.request.proxy_bypass_environment(parts.hostname, proxies):  # type: ignore[attr-defined]
        return None
    return proxy
