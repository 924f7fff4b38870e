"""Ctrl-C during a ``piggy_sync`` call made on the main thread's own loop: the call is
cancelled at an ``await`` and ``KeyboardInterrupt`` reaches the caller, never a
``KeyboardInterrupt`` raised at whatever line the loop runs (inside aiohttp's
``data_received`` that is taken for a broken response and the GET retried: Ctrl-C lost)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

import pytest

import piggy_sync
from piggy_async.hooks import Event, RequestSent
from piggy_async.testing import FakePiggy

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _client(fake: FakePiggy, hook: object) -> piggy_sync.Piggy:
    return piggy_sync.Piggy(api_key=fake.token, base_url=fake.base_url, hooks=[hook])


def test_ctrl_c_cancels_the_call_at_an_await(
    threaded_fake: FakePiggy, caplog: pytest.LogCaptureFixture
) -> None:
    assert threading.current_thread() is threading.main_thread()
    uuid = next(iter(threaded_fake.store.contacts))
    seen: list[str] = []

    def hook(event: Event) -> None:
        if isinstance(event, RequestSent) and not seen:
            os.kill(os.getpid(), signal.SIGINT)
            seen.append("after kill")  # a KeyboardInterrupt here would skip this line

    before = len(threaded_fake.requests)
    with _client(threaded_fake, hook) as piggy:
        with pytest.raises(KeyboardInterrupt):
            piggy.contacts.get(uuid)
        assert seen == ["after kill"]
        assert len(threaded_fake.requests) - before <= 1  # not retried
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert piggy.contacts.get(uuid).uuid == uuid  # the client still works
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_second_ctrl_c_interrupts_at_once(threaded_fake: FakePiggy) -> None:
    uuid = next(iter(threaded_fake.store.contacts))
    seen: list[str] = []

    def hook(event: Event) -> None:
        if isinstance(event, RequestSent):
            os.kill(os.getpid(), signal.SIGINT)
            seen.append("first")
            try:
                os.kill(os.getpid(), signal.SIGINT)
            except KeyboardInterrupt:
                seen.append("second raised")
                raise

    with _client(threaded_fake, hook) as piggy, pytest.raises(KeyboardInterrupt):
        piggy.contacts.get(uuid)
    assert seen == ["first", "second raised"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_handler_of_the_users_own_is_left_alone(threaded_fake: FakePiggy) -> None:
    uuid = next(iter(threaded_fake.store.contacts))
    calls: list[int] = []

    def mine(signum: int, frame: object) -> None:
        calls.append(signum)

    def hook(event: Event) -> None:
        if isinstance(event, RequestSent):
            assert signal.getsignal(signal.SIGINT) is mine
            os.kill(os.getpid(), signal.SIGINT)

    previous = signal.signal(signal.SIGINT, mine)
    try:
        with _client(threaded_fake, hook) as piggy:
            assert piggy.contacts.get(uuid).uuid == uuid  # the user's handler ran, no cancel
        assert calls == [signal.SIGINT]
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, previous)
