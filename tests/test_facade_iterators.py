"""``piggy_sync`` iterators over pagers and bulk runs: what a caller sees when it mixes
``next()``, ``collect()``, ``close()`` and threads (in-process: mutation runs can see it)."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from piggy_async.testing import FakePiggy
from piggy_sync import BlockingCallWarning, Piggy

WAIT = 20.0


@pytest.fixture
def piggy(threaded_fake: FakePiggy) -> Iterator[Piggy]:
    with Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as client:
        yield client


@pytest.fixture
def uuids(threaded_fake: FakePiggy) -> list[str]:
    return [threaded_fake.store.add_contact(f"it{i}@example.com")["uuid"] for i in range(12)]


def test_collect_after_next_returns_the_rest_in_order(piggy: Piggy, uuids: list[str]) -> None:
    run = piggy.contacts.get_many(uuids, concurrency=4)
    first = next(run)
    rest = run.collect()
    assert [r.input for r in [first, *rest]] == uuids
    assert all(r.ok for r in rest)
    assert run.collect() == []  # run to its end: nothing more, no error
    assert list(run) == []


def test_an_exhausted_iterator_asks_nothing_more(
    piggy: Piggy, uuids: list[str], threaded_fake: FakePiggy
) -> None:
    run = piggy.contacts.get_many(uuids[:3], concurrency=2)
    assert len(list(run)) == 3
    sent = len(threaded_fake.requests)
    for _ in range(3):
        with pytest.raises(StopIteration):
            next(run)
    assert run.collect() == []
    assert len(threaded_fake.requests) == sent
    pager = piggy.contacts.iter_all()
    items = list(pager)
    assert items
    with pytest.raises(StopIteration):
        next(pager)


def test_closed_iterators_stop(piggy: Piggy, uuids: list[str]) -> None:
    run = piggy.contacts.get_many(uuids, concurrency=1)  # one at a time: nothing buffered
    assert next(run).input == uuids[0]
    run.close()
    run.close()  # twice: nothing happens
    with pytest.raises(StopIteration):
        next(run)
    pager = piggy.contacts.iter_all()
    assert next(pager).uuid in {c.uuid for c in piggy.contacts.iter_all()}
    pager.close()
    with pytest.raises(StopIteration):
        next(pager)


def test_an_ended_iterator_is_ended_in_every_thread(piggy: Piggy, uuids: list[str]) -> None:
    pager = piggy.contacts.iter_all()
    assert list(pager)
    listed = piggy.contacts.get_many(uuids[:3])
    assert len(list(listed)) == 3
    collected = piggy.contacts.get_many(uuids[:3])
    assert len(collected.collect()) == 3
    seen: list[object] = []

    def elsewhere() -> None:  # no "started in another thread" error: there is nothing to run
        try:
            seen.append(
                [list(pager), list(listed), listed.collect(), list(collected), collected.collect()]
            )
        except BaseException as exc:
            seen.append(exc)

    _in_a_thread(elsewhere)
    assert seen == [[[], [], [], [], []]]


class Source:
    """An async input of a bulk run that records the thread its clean-up (``finally``) runs
    in. The test keeps the generator, so only an explicit close runs it, not its collection."""

    def __init__(self, items: list[str], *, failing: bool = False) -> None:
        self.closed_in: list[int] = []
        self.gen = self._items(items, failing)

    async def _items(self, items: list[str], failing: bool) -> AsyncIterator[str]:
        try:
            for item in items:
                yield item
        finally:
            self.closed_in.append(threading.get_ident())
            if failing:
                raise RuntimeError("the input's own clean-up failed")


def _in_a_thread(work: Callable[[], None]) -> None:
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(WAIT)
    assert not thread.is_alive()


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What ``__del__`` would print as "Exception ignored in ..." (kept instead)."""
    seen: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    return seen


@pytest.mark.parametrize("failing", [False, True], ids=["input-closes", "input-close-fails"])
@pytest.mark.parametrize("dropped_in", ["its-own-thread", "another-thread"])
def test_a_dropped_bulk_run_closes_its_input_in_the_thread_that_runs_it(
    piggy: Piggy,
    uuids: list[str],
    unraisable: list[Any],
    caplog: pytest.LogCaptureFixture,
    dropped_in: str,
    failing: bool,
) -> None:
    """Dropped unfinished (``break`` out of a ``for``): the run stops and its input is closed
    at once in the thread that runs it, or, dropped in another thread, at that thread's next
    call (its loop is never run from elsewhere). Nothing is printed either way."""
    source = Source(uuids, failing=failing)
    seen: dict[str, Any] = {}

    def owner() -> None:
        try:
            run = piggy.contacts.get_many(source.gen, concurrency=1)
            seen["first"] = next(run).input
            if dropped_in == "its-own-thread":
                del run
            else:
                box = [run]
                del run
                _in_a_thread(box.clear)
            seen["at drop"] = list(source.closed_in)
            seen["next call"] = piggy.contacts.get(uuids[1]).uuid
            seen["after"] = list(source.closed_in)
            seen["me"] = threading.get_ident()
        except BaseException as exc:
            seen["error"] = exc

    _in_a_thread(owner)
    assert "error" not in seen
    assert seen["first"] == uuids[0]
    me = seen["me"]
    assert seen["at drop"] == ([me] if dropped_in == "its-own-thread" else [])
    assert seen["after"] == [me]
    assert seen["next call"] == uuids[1]
    assert unraisable == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("kind", ["pager", "bulk"])
def test_dropping_an_iterator_never_started_or_run_on_the_shared_loop_says_nothing(
    piggy: Piggy, uuids: list[str], unraisable: list[Any], kind: str
) -> None:
    def make() -> Iterator[Any]:
        if kind == "pager":
            return piggy.contacts.iter_all()
        return piggy.contacts.get_many(uuids, concurrency=1)

    never = make()
    del never

    async def notebook_cell() -> bool:
        started = make()
        return next(started) is not None  # dropped on return, unfinished

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BlockingCallWarning)
        assert asyncio.run(notebook_cell())
    assert unraisable == []


@pytest.mark.parametrize("started", ["never", "in-this-thread", "inside-a-running-loop"])
def test_close_ends_a_bulk_run_and_closes_its_input(
    piggy: Piggy, uuids: list[str], threaded_fake: FakePiggy, started: str
) -> None:
    source = Source(uuids)
    ran_in: list[int] = []

    def scenario() -> None:
        run = piggy.contacts.get_many(source.gen, concurrency=1)
        if started != "never":
            assert next(run).input == uuids[0]
        run.close()
        sent = len(threaded_fake.requests)
        with pytest.raises(StopIteration):
            next(run)
        assert run.collect() == []
        assert len(threaded_fake.requests) == sent
        ran_in.append(threading.get_ident())

    if started == "inside-a-running-loop":

        async def notebook_cell() -> None:
            scenario()

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BlockingCallWarning)
            asyncio.run(notebook_cell())
    else:
        scenario()
    assert ran_in == [threading.get_ident()]
    if started == "never":
        assert source.closed_in == []  # never started: nothing to clean up
    elif started == "in-this-thread":
        assert source.closed_in == ran_in  # on this thread's own loop
    else:
        assert len(source.closed_in) == 1  # on the shared loop's thread
        assert source.closed_in != ran_in


def test_close_does_not_wait_for_a_sync_input_stuck_in_next(
    piggy: Piggy, uuids: list[str], threaded_fake: FakePiggy
) -> None:
    release, inside = threading.Event(), threading.Event()
    closed = threading.Event()
    seen: dict[str, Any] = {}

    def pipe() -> Iterator[str]:  # a pipe left open after its first line
        yield uuids[0]
        inside.set()
        release.wait(WAIT)
        yield uuids[1]

    def owner() -> None:
        try:
            run = piggy.contacts.get_many(pipe(), concurrency=1)
            seen["first"] = next(run).input
            # (closed before the input's thread is in next(), the run would ask it nothing)
            seen["inside"] = inside.wait(WAIT / 4)
            run.close()  # in the thread that runs it: on its own loop
            closed.set()
            seen["sent"] = len(threaded_fake.requests)
            seen["ended"] = list(run)
        except BaseException as exc:
            seen["error"] = exc

    thread = threading.Thread(target=owner)
    thread.start()
    try:
        assert closed.wait(WAIT / 4)  # at once, the input's thread still in next()
    finally:
        release.set()
        thread.join(WAIT)
    assert "error" not in seen
    assert seen["inside"]
    assert seen["first"] == uuids[0]
    assert seen["ended"] == []
    assert piggy.contacts.get(uuids[2]).uuid == uuids[2]  # the client goes on
    assert len(threaded_fake.requests) == seen["sent"] + 1  # the line read after close: not asked
