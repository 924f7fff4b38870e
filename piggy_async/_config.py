"""Defaults and the :class:`Timeout` value: the one place each default is stated."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Timeout:
    """How long a call may wait, in seconds (``None``: no limit).

    ``connect``: to open a TCP/TLS connection, per attempt.
    ``read``: the longest silence while waiting for the answer's bytes, per attempt.
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
                    f"timeout.{name} must be a positive number of seconds (or None), not {part!r}"
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
