"""Defaults and the :class:`Timeout` value: the one place each default is stated."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from typing import TypeGuard
from urllib.parse import urlsplit

import msgspec

from ._validate import shown, shown_url
from .errors import ConfigurationError

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "Timeout"]

#: Where the OAuth client API lives (token endpoint: ``https://api.piggy.eu/oauth/token``).
DEFAULT_BASE_URL = "https://api.piggy.eu/api/v3/oauth/clients"
#: Path of the OAuth2 token endpoint, relative to the host of ``base_url``.
TOKEN_PATH = "/oauth/token"
#: Retries after the first attempt (so 3 attempts in all).
DEFAULT_MAX_RETRIES = 2
#: Connections in the pool shared by one client and every ``with_options`` copy of it.
DEFAULT_MAX_CONNECTIONS = 100
#: Bodies larger than this are refused with ``ResponseTooLargeError`` (32 MiB).
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
#: First backoff delay in seconds; doubles each retry up to ``RETRY_MAX_DELAY``, with jitter.
RETRY_INITIAL_DELAY = 0.5
RETRY_MAX_DELAY = 8.0
#: A ``Retry-After`` longer than this (seconds) is not waited for: the error is raised at once.
RETRY_AFTER_CAP = 60.0
#: OAuth tokens are renewed this long (seconds) before Piggy says they expire.
TOKEN_RENEW_MARGIN = 60.0

ENV_API_KEY = "PIGGY_API_KEY"
ENV_BASE_URL = "PIGGY_BASE_URL"
ENV_CLIENT_ID = "PIGGY_CLIENT_ID"
ENV_CLIENT_SECRET = "PIGGY_CLIENT_SECRET"


#: Seconds ``aclose()`` lets calls in flight finish before it cancels them.
DEFAULT_CLOSE_GRACE = 5.0


class Timeout(msgspec.Struct, frozen=True):
    """How long a call may wait, in seconds (``None``: no limit).

    ``connect``: to open a TCP/TLS connection, per attempt.
    ``read``: the longest silence while waiting for the answer's bytes, per attempt
    (counted from when the attempt has its connection slot: opening a new one counts);
    an answer still not whole ten times ``read`` after its request is cut too.
    ``pool``: to get a free connection of the client's pool, per attempt
    (``PoolTimeoutError`` after it: nothing was sent).
    ``total``: the whole call: the OAuth token, every attempt and every wait between them.

    A plain number given as ``timeout=`` sets ``connect``, ``read`` and ``pool`` to it:
    it bounds every phase a call waits for.
    """

    connect: float | None = 5.0
    read: float | None = 30.0
    total: float | None = None
    pool: float | None = 30.0

    def __post_init__(self) -> None:
        for name in ("connect", "read", "total", "pool"):
            part = getattr(self, name)
            if part is None:
                continue
            if isinstance(part, bool) or not isinstance(part, (int, float)):
                raise ConfigurationError(
                    f"timeout.{name} must be a number of seconds or None, not {type(part).__name__}"
                )
            if not part > 0 or part != part or part == float("inf"):
                raise ConfigurationError(
                    f"timeout.{name} must be a positive number of seconds (or None), "
                    f"not {shown(part)}"
                )

    @classmethod
    def coerce(cls, value: float | Timeout | None) -> Timeout:
        """Turn the ``timeout=`` argument into a :class:`Timeout`; reject nonsense."""
        if isinstance(value, Timeout):
            return value
        if value is None:
            return _NO_LIMITS
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cached = _coerced.get(value)
            if cached is None:
                seconds = float(value)
                cached = cls(connect=seconds, read=seconds, pool=seconds)
                if len(_coerced) < 64:
                    _coerced[value] = cached
            return cached
        raise ConfigurationError(
            "timeout must be a number of seconds, a piggy_async.Timeout or None, "
            f"not {type(value).__name__}"
        )


_coerced: dict[float, Timeout] = {}
_NO_LIMITS = Timeout(connect=None, read=None, pool=None)
DEFAULT_TIMEOUT = Timeout()


# -- checks of settings: ConfigurationError naming the setting and what is accepted --

#: RFC 9110 token characters: what a header name may be made of.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+").fullmatch
#: What ``check_text`` accepts: no CR, LF, NUL or lone surrogate.
_HEADER_TEXT = re.compile("[^\r\n\x00\ud800-\udfff]*").fullmatch
#: Header names already found valid (not Authorization): checked again in one set lookup.
_GOOD_NAMES: set[str] = set()
#: The spellings of each header name seen, by its lower case (the client's own and every
#: checked one, up to ``_SPELLINGS_CAP`` names), and the names seen in one spelling only:
#: headers made of those merge with a plain dict merge (``merged_headers``).
_SPELLINGS: dict[str, str] = {}
_ONE_SPELLING: set[str] = set()
_SPELLINGS_CAP = 1024


def _note_spelling(name: str) -> None:
    lower = name.lower()
    first = _SPELLINGS.get(lower)
    if first is None:
        if len(_SPELLINGS) < _SPELLINGS_CAP:
            _SPELLINGS[lower] = name
            _ONE_SPELLING.add(name)
    elif first != name:
        _ONE_SPELLING.discard(first)  # (and ``name`` never joins)


for _own in ("User-Agent", "Accept", "Accept-Encoding", "Authorization", "Content-Type"):
    _note_spelling(_own)


def merged_headers(base: Mapping[str, str], *more: Mapping[str, str]) -> dict[str, str]:
    """``base`` (each name once) with ``more`` merged in, each name once: a later value
    replaces an earlier one of the same name in any case, as aiohttp merges a session's
    headers with a request's (the short way, ``_lean``, sends the dict as it is)."""
    out = {**base}
    plain = True
    for part in more:
        if part:
            out.update(part)
            if plain and not _ONE_SPELLING.issuperset(part):
                plain = False
    if plain:
        return out  # (the common case: no name of ``more`` seen in another case)
    out.clear()
    spelled: dict[str, str] = {}
    for part in (base, *more):
        for name, value in part.items():
            old = spelled.get(name.lower())
            if old is not None:
                del out[old]
            spelled[name.lower()] = name
            out[name] = value
    return out


def is_loopback(host: str) -> bool:
    """``localhost``, or an IP address in 127.0.0.0/8 or ``::1``: parsed, never a prefix."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: object, allow_insecure: bool) -> str:
    """The API root, checked; None: env ``PIGGY_BASE_URL``, else Piggy's (``""`` is refused,
    never read as "the default")."""
    if base_url is None:
        base_url = os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    check_bool("allow_insecure_http", allow_insecure)
    if not isinstance(base_url, str):
        raise ConfigurationError(
            f"base_url must be an http(s) URL string, not {type(base_url).__name__}"
        )
    check_text("base_url", base_url)
    base_url = base_url.strip()  # a stray space from an .env file would go into every request
    if any(c.isspace() for c in base_url):
        raise ConfigurationError(
            f"base_url must not contain whitespace: {shown(shown_url(base_url))} (credentials, "
            "query and fragment not shown)"
        )
    parts = urlsplit(base_url)
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigurationError(
            f"base_url must be an http(s) URL, not {shown(shown_url(base_url))} (credentials, "
            "query and fragment not shown)"
        )
    if parts.username or parts.password:
        raise ConfigurationError("base_url must not carry credentials; use api_key")
    if parts.scheme == "http" and not allow_insecure and not is_loopback(host):
        raise ConfigurationError(
            f"base_url {shown(shown_url(base_url))} is plain http to a non-loopback host: the API "
            "key would travel in clear text; use https, or pass allow_insecure_http=True"
        )
    return base_url.rstrip("/")


def check_text(setting: str, value: str) -> None:
    """Text that goes into a request line or header: no CR, LF or NUL; valid Unicode."""
    if any(c in value for c in "\r\n\0"):
        raise ConfigurationError(f"{setting} must not contain line breaks or NUL characters")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ConfigurationError(
            f"{setting} must be valid Unicode text (it holds a lone surrogate)"
        ) from None


def known_good(headers: object) -> TypeGuard[dict[str, str]]:
    """A dict of header names already found valid to text that is surely valid: the check
    ``with_options(extra_headers=...)`` makes once per call (anything else: ``check_headers``
    says what is wrong, or copies it)."""
    if type(headers) is not dict:
        return False
    for name, value in headers.items():
        if (
            name not in _GOOD_NAMES
            or type(value) is not str
            or not (value.isprintable() or _HEADER_TEXT(value))  # printable: no CR/LF/NUL
        ):
            return False
    return True


def call_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A call's own headers (a method's ``extra_headers=``), checked like ``default_headers``:
    one pass for a dict of names seen before, else the full check (says what is wrong)."""
    if known_good(headers):
        return headers
    return check_headers(headers, setting="extra_headers")


def check_headers(
    default_headers: object, partner_id: object = None, setting: str = "default_headers"
) -> dict[str, str]:
    """The headers to send, checked; ``partner_id`` (if not None) as ``X-Partner-ID``;
    ``setting``: the argument's name in errors."""
    if partner_id is None and known_good(default_headers):
        return default_headers.copy()
    if default_headers is not None and not isinstance(default_headers, Mapping):
        raise ConfigurationError(
            f"{setting} must be a mapping of header name to text, "
            f"not {type(default_headers).__name__}"
        )
    headers = dict(default_headers or {})
    if partner_id is not None:
        if not isinstance(partner_id, str) or not partner_id.strip():
            raise ConfigurationError("partner_id must be a non-empty string (or None)")
        headers["X-Partner-ID"] = partner_id
    for name, value in headers.items():
        if (  # the common case in one pass (with_options per call); else say what is wrong
            type(name) is str
            and type(value) is str
            and _TOKEN(name)
            and _HEADER_TEXT(value)
            and name.lower() != "authorization"
        ):
            if len(_GOOD_NAMES) < 64:
                _GOOD_NAMES.add(name)
            if name not in _ONE_SPELLING:
                _note_spelling(name)
            continue
        if not isinstance(name, str) or not _TOKEN(name):
            raise ConfigurationError(
                f"{setting}: {name!r} is not a valid header name (letters, digits and "
                "!#$%&'*+.^_`|~- only)"
            )
        if not isinstance(value, str):
            raise ConfigurationError(
                f"{setting}[{name!r}] must be text, not {type(value).__name__}"
            )
        where = "partner_id" if name == "X-Partner-ID" else f"{setting}[{name!r}]"
        check_text(where, value)
        if name.lower() == "authorization":
            raise ConfigurationError(f"pass credentials as api_key, not in {setting}")
        _note_spelling(name)
    return headers


def check_int(setting: str, value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"{setting} must be an integer >= {low}, not {shown(value)}")
    if value < low:
        raise ConfigurationError(f"{setting} must be an integer >= {low}, not {shown(value)}")
    return value


def check_bool(setting: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigurationError(f"{setting} must be True or False, not {shown(value)}")
    return value


def check_seconds(setting: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{setting} must be a number of seconds >= 0, not {shown(value)}")
    if not value >= 0 or value == float("inf"):
        raise ConfigurationError(f"{setting} must be a number of seconds >= 0, not {shown(value)}")
    return float(value)


def least(a: float | None, b: float | None) -> float | None:
    """The smaller of two optional limits (None: no limit)."""
    if a is None:
        return b
    return a if b is None else min(a, b)
