"""What ``with_options`` and ``request`` of the client need: customized transports, checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import aiohttp

from . import _config, _decode
from ._config import Timeout
from ._hooks import Hook, Observer
from ._pool import Pool
from ._raw import NotGiven, env_proxy
from ._transport import Transport
from ._validate import shown
from ._wire import encode_query
from .errors import ConfigurationError, InvalidArgumentError

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def checked_request(
    method: object, path: object, query: object = None, cast_to: object = None
) -> tuple[str, Any]:
    """The HTTP verb and the model of a generic ``request``, once method, path, query and
    ``cast_to`` are known to be sane."""
    if query is not None and not isinstance(query, Mapping):
        raise InvalidArgumentError(
            f"query must be a mapping, not {type(query).__name__}", argument="query"
        )
    if cast_to is not None:
        _decode.check_model(cast_to)
    verb = method.upper() if isinstance(method, str) else method
    if verb not in METHODS:
        raise InvalidArgumentError(
            f"method must be one of {', '.join(METHODS)}, not {shown(method)}", argument="method"
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
    return verb, cast_to or Any


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


class Settings(NamedTuple):
    """``with_options``' timeout, retries, hooks and partner id, as given."""

    timeout: float | Timeout | NotGiven | None
    max_retries: int | None
    hooks: Sequence[Hook] | None
    partner_id: str | NotGiven | None


def derived(
    old: Transport, timeout: float | Timeout | NotGiven | None, max_retries: int | None
) -> Transport:
    """A transport like ``old`` with other timeouts or retries (checked)."""
    if max_retries is not None:
        _config.check_int("max_retries", max_retries, 0)
    retries = old.max_retries if max_retries is None else max_retries
    new_timeout = old.timeout if isinstance(timeout, NotGiven) else Timeout.coerce(timeout)
    return old.derive(new_timeout, retries)


def customized(
    old: Transport,
    settings: Settings,
    extra_headers: Mapping[str, str] | None,
    extra_query: Mapping[str, str | int | float | bool | None] | None,
    extra_body: Mapping[str, Any] | None,
    resource_names: dict[type, str],
) -> Transport:
    """A transport like ``old`` with other hooks, headers, extra query or extra body."""
    transport = derived(old, settings.timeout, settings.max_retries)
    partner_id, hooks = settings.partner_id, settings.hooks
    headers = dict(old.extra_headers)
    if not isinstance(partner_id, NotGiven):
        headers.pop("X-Partner-ID", None)
        headers.update(_config.check_headers(None, partner_id))
    headers.update(_config.check_headers(extra_headers, setting="extra_headers"))
    for name, given in (("extra_query", extra_query), ("extra_body", extra_body)):
        if given is not None and not isinstance(given, Mapping):
            raise InvalidArgumentError(
                f"{name} must be a mapping, not {type(given).__name__}", argument=name
            )
    if extra_query:
        try:
            encode_query(extra_query)  # (checked now, not at every call)
        except (InvalidArgumentError, UnicodeEncodeError) as exc:
            raise InvalidArgumentError(f"extra_query: {exc}", argument="extra_query") from None
    query, body = old.extras or ({}, {})
    transport.set_extras(headers, {**query, **(extra_query or {})}, {**body, **(extra_body or {})})
    if hooks is not None and old.observer is not None:
        observer = old.observer.copy(hooks)
        transport.observer = observer if observer.hooks or observer.tracing else None
    elif hooks is not None:
        observer = Observer(hooks, None, resource_names)
        transport.observer = observer if observer.hooks else None
    return transport
