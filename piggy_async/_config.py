"""Defaults and the :class:`Timeout` value: the one place each default is stated."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Timeout:
    """How long a call may take, in seconds (``None``: no limit).

    ``connect``: to open a TCP/TLS connection, per attempt.
    ``read``: the longest silence while waiting for the answer's bytes, per attempt.
    ``total``: the whole call, every attempt and every backoff wait included.

    A plain number given as ``timeout=`` sets ``connect`` and ``read`` to it.
    """

    connect: float | None = 5.0
    read: float | None = 30.0
    total: float | None = None

    @classmethod
    def coerce(cls, value: float | Timeout | None) -> Timeout:
        """Turn the ``timeout=`` argument into a :class:`Timeout`; reject nonsense."""
        if isinstance(value, Timeout):
            timeout = value
        elif value is None:
            timeout = cls(connect=None, read=None)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            timeout = cls(connect=float(value), read=float(value))
        else:
            raise TypeError(f"timeout must be a number of seconds or a Timeout, not {value!r}")
        for name in ("connect", "read", "total"):
            part = getattr(timeout, name)
            if part is not None and not part > 0:
                raise ValueError(
                    f"timeout.{name} must be a positive number of seconds, not {part!r}"
                )
        return timeout


DEFAULT_TIMEOUT = Timeout()
