"""What ``with_options`` and ``request`` of the client need: customized transports, checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

from . import _config
from ._config import Timeout
from ._pool import Pool
from ._raw import NotGiven, env_proxy
from ._transport import Transport
from .errors import ConfigurationError, InvalidArgumentError

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def checked_request(method: object, path: object) -> str:
    """The HTTP verb of a generic ``request``, once method and path are known to be sane."""
    verb = method.upper() if isinstance(method, str) else method
    if verb not in METHODS:
        raise InvalidArgumentError(
            f"method must be one of {', '.join(METHODS)}, not {method!r}", argument="method"
        )
    if (
        not isinstance(path, str)
        or not path.startswith("/")
        or any(c in path for c in "?#\\ \r\n")
        or any(part in (".", "..") for part in path.split("/"))
    ):
        raise InvalidArgumentError(
            "path must start with / and hold no query, fragment, spaces or . segments "
            "(pass query values as query=)",
            argument="path",
        )
    assert isinstance(verb, str)
    return verb


def pool_for(
    session: aiohttp.ClientSession | None, max_connections: int, grace: float, base_url: str
) -> Pool:
    """The client's pool, with the proxy the environment names for its host."""
    if session is not None and not isinstance(session, aiohttp.ClientSession):
        raise ConfigurationError(
            f"session must be an aiohttp.ClientSession, not {type(session).__name__}"
        )
    pool = Pool(session, max_connections, grace)
    pool.proxy = env_proxy(base_url)  # used for a session of our own only
    return pool


def customized(
    old: Transport,
    timeout: Timeout,
    retries: int,
    partner_id: str | NotGiven | None,
    extra_headers: Mapping[str, str] | None,
    extra_query: Mapping[str, str | int | float | bool | None] | None,
    extra_body: Mapping[str, Any] | None,
) -> Transport:
    """A transport like ``old`` with other headers, extra query or extra body."""
    headers = dict(old.extra_headers)
    if not isinstance(partner_id, NotGiven):
        headers.pop("X-Partner-ID", None)
        headers.update(_config.check_headers(None, partner_id))
    headers.update(_config.check_headers(extra_headers, None))
    query, body = old.extras or ({}, {})
    transport = Transport(
        base_url=old.base_url,
        auth=old.auth,
        timeout=timeout,
        max_retries=retries,
        pool=old.pool,
        headers=headers,
        max_response_bytes=old.max_response_bytes,
        extra_query={**query, **(extra_query or {})},
        extra_body={**body, **(extra_body or {})},
        rate_limiter=old.rate_limiter,  # max_rate is shared by every copy
    )
    transport.sleep = old.sleep
    return transport
