"""How a bulk run paces itself: the decisions as pure functions, and the run's limiter.

A bulk run keeps at most ``concurrency`` attempts in flight (one per worker) and, once Piggy
has pushed back, at most ``rate`` attempts per second. The rate is learned: the first push-back
(429, or 503 maintenance) sets it to the pace Piggy answered over the last second, every later
round of push-back takes 5 % off, and every admitted answer adds a little back (5 % of the
rate per second of answers, at least ``RATE_STEP`` requests/s), so the run settles just under
Piggy's limit instead of halving its work. A ``Retry-After`` pauses the whole run only when
nothing else got through since the refused attempt was sent (the key is blocked, not merely
at its pace); that pause, like an item's wait before its retry, is capped. While the run
gets through, a refused item is retried soon (``PROGRESSING_RETRY_CAP``): the learned pace
is what keeps the run under the limit.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Literal

import backoff

from . import _config, _policy
from ._rate import RateLimiter
from .errors import (
    APIStatusError,
    ClientClosedError,
    ConfigurationError,
    PiggyError,
)

__all__ = [
    "ITEM_RETRY_CAP",
    "PROGRESSING_RETRY_CAP",
    "RATE_DECREASE",
    "RATE_STEP",
    "RunLimiter",
    "classify",
    "connection_failure_limit",
    "is_pushback",
    "item_retry_delay",
    "pushback_retry_delay",
    "rate_decrease",
    "rate_increase",
]

#: Longest wait of one item before its retry (a longer ``Retry-After`` is cut to this:
#: the run's rate, not the item's wait, is what keeps the run under Piggy's limit).
ITEM_RETRY_CAP = _config.RETRY_MAX_DELAY
#: Longest wait of an item refused with push-back while the rest of the run gets through:
#: the run's learned pace keeps it under the limit, not a ``Retry-After`` in whole seconds
#: (waited in full, it left the end of a run idle for up to a second).
PROGRESSING_RETRY_CAP = 0.25
#: Longest pause of the whole run for a ``Retry-After`` (the client's retry cap).
RUN_PAUSE_CAP = _config.RETRY_AFTER_CAP
#: Factor applied to the learned rate on each round of push-back.
RATE_DECREASE = 0.95
#: Requests/s gained per second of admitted answers (at least; 5 % of the rate when higher:
#: back to the limit within a second of a 5 % cut, so the run averages near the limit).
RATE_STEP = 4.0
RATE_GROWTH = 0.05
#: The learned rate never goes below this (requests/s).
MIN_RATE = 0.5
#: An item is given up after this many attempts even while the run makes progress.
MAX_ITEM_ATTEMPTS = 50

Outcome = Literal["pushback", "run", "retry", "final"]


def is_pushback(error: PiggyError) -> bool:
    """Does this failure mean "slow down"? (429 Too Many Requests, 503 maintenance; by
    status, whatever class a Piggy code in the body picked)"""
    return _policy.has_status(error, 429, 503)


def classify(error: PiggyError) -> Outcome:
    """What one failed attempt means for the run.

    ``run``: it will fail every item (credentials, permission, configuration, a closed
    client): end the run.
    ``pushback``: Piggy asks to slow down: retry the item later, slow the run.
    ``retry``: transient (5xx, connection, timeout) where the method allows a retry.
    ``final``: the item's own answer (not found, invalid, ...): its result.
    """
    if (
        _policy.is_unauthorized(error)
        or _policy.has_status(error, 403)
        or isinstance(error, (ConfigurationError, ClientClosedError))
    ):
        return "run"
    if is_pushback(error):
        return "pushback" if _policy.is_retryable(error.method or "GET", error) else "final"
    if _policy.is_retryable(error.method or "GET", error):
        return "retry"
    return "final"


def connection_failure_limit(concurrency: int) -> int:
    """Connection failures in a row (no answer at all in between) that end a run."""
    return max(10, 2 * concurrency)


def rate_increase(rate: float, throughput: float) -> float:
    """After one admitted answer: grow by ``RATE_GROWTH`` of the rate (at least ``RATE_STEP``)
    per second of answers, but not past what the run actually achieves (no point pacing far
    above it)."""
    if rate > 1.25 * throughput + RATE_STEP:
        return rate
    return rate + max(RATE_STEP, rate * RATE_GROWTH) / rate


def rate_decrease(rate: float) -> float:
    """After a round of push-back: 5 % slower, not below ``MIN_RATE``."""
    return max(MIN_RATE, rate * RATE_DECREASE)


def first_rate(recent_admits: int, elapsed: float) -> float:
    """The rate to start from at the first push-back: what Piggy admitted over the last
    second (or since the run started, if sooner)."""
    span = min(1.0, elapsed) if elapsed > 0 else 1.0
    return max(MIN_RATE, recent_admits / span * RATE_DECREASE)


def item_retry_delay(error: PiggyError, retry_number: int) -> float:
    """Seconds an item waits before its next attempt: ``Retry-After`` if Piggy gave one,
    else exponential backoff with full jitter (``backoff``'s); never over ``ITEM_RETRY_CAP``."""
    asked = error.retry_after if isinstance(error, APIStatusError) else None
    if asked is not None:
        return max(0.0, min(asked, ITEM_RETRY_CAP))
    exponent = min(max(1, retry_number) - 1, 16)
    return float(
        backoff.full_jitter(min(ITEM_RETRY_CAP, _config.RETRY_INITIAL_DELAY * 2**exponent))
    )


def pushback_retry_delay(error: PiggyError, retry_number: int, progressing: bool) -> float:
    """Seconds an item refused with push-back waits: as ``item_retry_delay`` says, but at
    most ``PROGRESSING_RETRY_CAP`` while other attempts get through (the run is at its pace,
    which the push-back has just lowered)."""
    delay = item_retry_delay(error, retry_number)
    return min(delay, PROGRESSING_RETRY_CAP) if progressing else delay


class RunLimiter:
    """Paces a run's attempts: a pause while Piggy blocks the key, then the learned rate.

    Also counts what it sees: ``admits`` (answers that were not push-back), ``in_flight`` and
    its ``peak``, ``pushbacks``, ``waited`` (seconds spent in pauses and pacing). ``rate`` is
    None until a push-back teaches one; ``lowest_rate`` is the slowest pace it went down to.
    """

    def __init__(
        self,
        concurrency: int,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.concurrency = concurrency
        self.in_flight = 0
        self.peak = 0
        self.admits = 0
        self.pushbacks = 0
        self.rate: float | None = None
        self.lowest_rate: float | None = None
        self.resume_at = 0.0
        self.connection_failures = 0  # in a row, with no answer in between
        self.waited = 0.0  # seconds attempts spent waiting here (pauses and pacing)
        self._sleep = sleep
        self._clock = clock
        self._started = clock()
        self._decreased_at = float("-inf")
        self._recent: deque[float] = deque()  # times of the admits of the last second
        self._pacer: RateLimiter | None = None

    def now(self) -> float:
        return self._clock()

    async def acquire(self) -> None:
        """Wait for the end of any pause and for the next slot of the rate; then count the
        attempt as in flight."""
        waited_until = float("-inf")
        while self.resume_at > waited_until:  # sleep once per pause (again if extended)
            waited_until = self.resume_at
            pause = waited_until - self._clock()
            if pause > 0:
                self.waited += pause
                await self._sleep(pause)
        if self._pacer is not None:
            wait = self._pacer.reserve()
            if wait > 0:
                self.waited += wait
                await self._sleep(wait)
        self._enter()

    def enter_now(self) -> bool:
        """Count an attempt as in flight at once when no pause or pace holds it back (what
        ``acquire`` does then, without a coroutine); False: ``await acquire()``."""
        if self._pacer is not None or self.resume_at > self._clock():
            return False
        self._enter()
        return True

    def _enter(self) -> None:
        self.in_flight += 1
        if self.in_flight > self.peak:
            self.peak = self.in_flight

    def release(self) -> None:
        """An attempt is over (whatever its outcome)."""
        self.in_flight -= 1

    def admitted(self) -> None:
        """Piggy answered an attempt without pushing back (success or the item's own error)."""
        self.admits += 1
        self.connection_failures = 0
        now = self._clock()
        recent = self._recent
        recent.append(now)
        while recent and recent[0] < now - 1.0:
            recent.popleft()
        if self.rate is not None and self._pacer is not None:
            self.rate = rate_increase(self.rate, float(len(recent)))
            self._pacer.set_rate(self.rate)

    def answered(self) -> None:
        """Piggy answered (a 5xx, say): the connection works, nothing else is learned."""
        self.connection_failures = 0

    def connection_failed(self) -> int:
        """A connection failure; returns how many there were in a row."""
        self.connection_failures += 1
        return self.connection_failures

    def pushback(self, admits_before: int, started: float, retry_after: float | None) -> bool:
        """Piggy said "slow down" to an attempt sent at ``started``, when ``admits_before``
        answers had been admitted. Returns True when the run made progress meanwhile."""
        self.pushbacks += 1
        self.connection_failures = 0
        now = self._clock()
        progressing = self.admits > admits_before
        recent = sum(1 for t in self._recent if t >= now - 1.0)
        # At most one decrease per round of attempts. With nothing admitted lately there is
        # no pace to learn yet (the key is blocked, not at its pace): the pause handles it.
        if started > self._decreased_at and (self.rate is not None or recent):
            if self.rate is None:
                self.rate = first_rate(recent, now - self._started)
            else:
                self.rate = rate_decrease(self.rate)
            if self._pacer is None:
                self._pacer = RateLimiter(self.rate, clock=self._clock)
            self._pacer.set_rate(self.rate)
            self.lowest_rate = min(self.lowest_rate or self.rate, self.rate)
            self._decreased_at = now
        if retry_after and not progressing:
            self.resume_at = max(self.resume_at, now + min(retry_after, RUN_PAUSE_CAP))
        return progressing
