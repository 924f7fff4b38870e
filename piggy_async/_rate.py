"""Request pacing and the two hooks a bulk run sets on the transport.

:class:`RateLimiter` spaces requests at most ``rate`` per second (the client-wide
``max_rate=`` and a bulk run's learned rate both use it). It is a GCRA ("virtual
scheduling") token bucket: each caller reserves the next free slot and sleeps until it;
``burst`` slots may be used back to back after an idle spell.

A bulk run owns its retries (so that a retry waits at the run's limiter like a new call):
inside its tasks ``single_attempt`` tells the transport to make one attempt and raise; and
``defer_decode`` makes ``Transport.request`` hand back a :class:`Deferred` (the raw body and
how to decode it) so that parked results stay small and are decoded when delivered.
"""

from __future__ import annotations

import asyncio
import contextvars
import heapq
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ._validate import shown
from .errors import ConfigurationError

__all__ = [
    "Deferred",
    "RateLimiter",
    "check_rate",
    "client_limiter",
    "defer_decode",
    "max_rate_burst",
    "single_attempt",
]

#: Set (True) by a bulk run in its worker tasks: the transport makes one attempt, no retries.
single_attempt: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "piggy_single_attempt", default=False
)
#: Set (True) by a bulk run that decodes at delivery: ``request`` returns a :class:`Deferred`.
defer_decode: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "piggy_defer_decode", default=False
)


class Deferred:
    """A 2xx body not decoded yet: ``deferred()`` decodes it (or raises its decode error)."""

    __slots__ = ("body", "decode", "kwargs", "model")

    def __init__(self, decode: Callable[..., Any], model: Any, body: bytes, **kwargs: Any) -> None:
        self.decode = decode
        self.model = model
        self.body = body
        self.kwargs = kwargs

    def __call__(self) -> Any:
        return self.decode(self.model, self.body, **self.kwargs)


def check_rate(value: object, name: str = "max_rate") -> float | None:
    """``None`` or a positive finite number of requests per second; else ConfigurationError."""
    if value is None:
        return None
    rate = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
    if not (rate > 0 and math.isfinite(rate)):
        raise ConfigurationError(
            f"{name} must be a positive number of requests per second, not {shown(value)}"
        )
    return rate


def max_rate_burst(rate: float) -> int:
    """Slots a client-wide ``max_rate`` lets go back to back: 20 ms worth (at least one), so
    that a wake-up a little late does not lose its slot. Over any span of T seconds at most
    ``rate * T`` requests go, plus this many."""
    return max(1, round(rate / 50))


def client_limiter(max_rate: object) -> RateLimiter | None:
    """The limiter behind ``AsyncPiggy(max_rate=...)`` (None: no limit); ConfigurationError
    for a bad value."""
    rate = check_rate(max_rate)
    return None if rate is None else RateLimiter(rate, burst=max_rate_burst(rate))


class RateLimiter:
    """At most ``rate`` requests per second, ``burst`` of them back to back after a pause.

    ``reserve()`` takes the next slot and says how long to wait for it; ``acquire()`` waits.
    Slots are handed out in call order, so waiting callers are served first come, first served.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = float(rate)
        self.burst = max(1, int(burst))
        self._clock = clock
        self._tat = float("-inf")  # theoretical arrival time of the next request
        self._holes: list[float] = []  # turns given back (a heap of times), for the next

    def set_rate(self, rate: float) -> None:
        """Change the pace; slots already reserved keep their times."""
        self.rate = float(rate)

    def reserve(self, within: float | None = None) -> float:
        """Take the next slot; return the seconds to wait before using it (0: now). With
        ``within``: if that wait would be longer, take nothing and return ``math.inf``."""
        return self._reserve(self._clock(), within)

    def _reserve(self, now: float, within: float | None) -> float:
        interval = 1.0 / self.rate
        tat = max(self._tat, now)
        wait = tat - now - (self.burst - 1) * interval
        holes = self._holes
        while holes and holes[0] < now:  # a turn given back whose time has passed
            heapq.heappop(holes)
        if holes and holes[0] - now < wait:  # an earlier turn, given back: take it
            if within is not None and holes[0] - now > within:
                return math.inf
            return heapq.heappop(holes) - now
        if within is not None and wait > within:
            return math.inf  # the slot stays free for a caller that can wait for it
        self._tat = tat + interval
        return wait if wait > 0 else 0.0

    async def acquire(
        self, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, within: float | None = None
    ) -> bool:
        """Wait for the next slot; False (nothing taken, no wait) when it is not within
        ``within`` seconds."""
        now = self._clock()
        wait = self._reserve(now, within)
        if wait == math.inf:
            return False
        if wait > 0:
            at = now + wait
            try:
                await sleep(wait)
            except BaseException:  # cancelled before its turn: the turn is free again
                self._give_back(at)
                raise
        return True

    def _give_back(self, at: float) -> None:
        """Free the turn at ``at`` that nobody will use: the last one reserved moves the
        schedule back (with the turns given back just before it); another one is kept for
        the next ``reserve()``."""
        if at <= self._clock():
            return
        interval = 1.0 / self.rate
        lead = self.burst * interval  # from a turn's time to the next theoretical arrival
        holes = self._holes
        if abs(self._tat - lead - at) > 1e-9:
            heapq.heappush(holes, at)
            return
        self._tat -= interval
        while holes and abs(self._tat - lead - max(holes)) <= 1e-9:
            holes.remove(max(holes))
            heapq.heapify(holes)
            self._tat -= interval
