"""The retry policy answers every failed attempt: a long storm of failures gets one wait per
failure, each within the cap, and never stalls the caller (mutation testing found a way for
the wait generator to spin without answering; the tight per-test timeout makes that one
quick failure instead of a 30 s one)."""

from __future__ import annotations

import pytest

from piggy_async import _policy
from piggy_async.errors import APIConnectionError, APIStatusError, PiggyError


def _failures(count: int) -> list[PiggyError]:
    kinds: list[PiggyError] = [
        APIStatusError("busy", status_code=503),
        APIConnectionError("connection reset", request_sent=True),
        APIStatusError("slow down", status_code=429, retry_after=3.0),
    ]
    return [kinds[i % len(kinds)] for i in range(count)]


@pytest.mark.timeout(5)
def test_a_storm_of_failures_gets_one_bounded_wait_each() -> None:
    waits = _policy.retry_waits(initial=0.5, maximum=8.0, jitter=lambda v: v)
    next(waits)
    got = [_policy.next_wait("GET", err, waits) for err in _failures(30)]
    assert len(got) == 30
    assert all(w is not None and 0.0 < w <= 8.0 for w in got)
    assert got[2] == 3.0  # the server's Retry-After, as asked
    assert max(got) == 8.0  # the doubling reached the cap
