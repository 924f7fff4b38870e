"""Where a bulk run takes its inputs from, without letting the input stall the event loop.

In-memory collections (list, tuple, range, set, dict views, deque) are read on the loop:
nothing there can block. Any other sync iterable (a generator, a file, a database cursor)
is read in a worker thread, up to a chunk ahead, so that a slow ``next()`` or a sync piggy
call inside a generator neither blocks the loop nor deadlocks it; each item is handed over
as soon as it is read (a pipe that pauses after ten lines gets those ten looked up, not
held until the chunk is full). Async iterables are awaited one item at a time by one
worker at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections import deque
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    KeysView,
    Set,
    ValuesView,
)
from typing import Any, Generic, TypeVar

from .errors import InvalidArgumentError

__all__ = ["Inputs", "check_source", "length_of"]

I = TypeVar("I")  # noqa: E741 - input type

_IN_MEMORY: tuple[type, ...] = (
    list,
    tuple,
    range,
    deque,
    Set,
    KeysView,
    ValuesView,
    type(iter([])),
    type(iter(())),
    type(iter(range(0))),
    type(iter(range(1 << 64))),
)
#: Items read per trip to the input thread (fewer when the window has less room).
READ_AHEAD = 64


def length_of(inputs: object) -> int | None:
    """``len(inputs)`` when it has one; None otherwise."""
    try:
        return len(inputs)  # type: ignore[arg-type]
    except TypeError:
        return None


def check_source(inputs: object, name: str = "inputs") -> None:
    """Refuse what cannot be a run's inputs (a string is not a list of items); ``name``:
    the argument the caller took them as."""
    if isinstance(inputs, AsyncIterable):
        return
    if not isinstance(inputs, Iterable) or isinstance(inputs, (str, bytes)):
        raise InvalidArgumentError(
            f"{name} must be an iterable of items, not {type(inputs).__name__}", argument=name
        )


class Inputs(Generic[I]):
    """The inputs of one run: ``take_now()`` when an item is at hand, else ``await fetch()``."""

    def __init__(self, inputs: Iterable[I] | AsyncIterable[I]) -> None:
        self.sync: Iterator[I] | None = None
        self.async_: AsyncIterator[I] | None = None
        self.threaded = False
        check_source(inputs)
        if isinstance(inputs, AsyncIterable):
            self.async_ = aiter(inputs)
        else:
            self.sync = iter(inputs)
            self.threaded = not isinstance(inputs, _IN_MEMORY)
        self.buffer: deque[I] = deque()
        self.exhausted = False  # the source has no more items (the buffer may still hold some)
        self.error: BaseException | None = None  # what the source raised, once exhausted
        self.busy = False  # a fetch is under way (for a sync source: until its thread is out)
        self._told = False  # the input thread has told the loop of items not yet seen
        self._closed = False  # the run is over: the input thread stops after its next()

    @property
    def inline(self) -> bool:
        """True when items can be taken without awaiting (an in-memory collection)."""
        return self.sync is not None and not self.threaded

    def take_now(self) -> tuple[bool, I | None]:
        """``(True, item)`` if an item is at hand; ``(False, None)`` otherwise.

        What the source raises ends it: kept in ``error``, raised once every item read
        before it has its result."""
        if self.buffer:
            return True, self.buffer.popleft()
        if self.inline and not self.exhausted:
            assert self.sync is not None
            try:
                return True, next(self.sync)
            except StopIteration:
                self.exhausted = True
            except Exception as exc:
                self.exhausted, self.error = True, exc
        return False, None

    async def fetch(self, room: int, notify: Callable[[], None]) -> None:
        """Read more into the buffer: one item of an async source, awaited here; from a sync
        source, up to ``room`` items (at most ``READ_AHEAD``) in the input thread, started
        here and not awaited: each item goes into the buffer as it is read, and
        ``notify()`` runs on the loop when items arrive and when the read is over (``busy``
        until then). Sets ``exhausted`` at the end, and ``error`` if the source raised."""
        if self.async_ is None:
            self._read_in_thread(max(1, min(READ_AHEAD, room)), notify)
            return
        self.busy = True
        try:
            self.buffer.append(await anext(self.async_))
        except StopAsyncIteration:
            self.exhausted = True
        except Exception as exc:
            self.exhausted, self.error = True, exc
        finally:
            self.busy = False

    def _read_in_thread(self, count: int, notify: Callable[[], None]) -> None:
        loop = asyncio.get_running_loop()
        self.busy = True
        reading = loop.run_in_executor(None, self._read, loop, count, notify)
        reading.add_done_callback(functools.partial(self._read_over, notify))

    def _read(
        self, loop: asyncio.AbstractEventLoop, count: int, notify: Callable[[], None]
    ) -> tuple[bool, BaseException | None]:
        """Up to ``count`` items into the buffer, the loop told of new ones (at most one
        call pending at a time); (True: the source ran out, what it raised). Runs in the
        input thread."""
        source = self.sync
        assert source is not None
        for _ in range(count):
            if self._closed:
                break
            try:
                item = next(source)
            except StopIteration:
                return True, None
            except Exception as exc:  # the input itself failed (an unreadable file, ...)
                return True, exc
            if self._closed:  # read after the run ended: nobody will look it up
                break
            self.buffer.append(item)
            if not self._told:
                self._told = True
                with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
                    loop.call_soon_threadsafe(self._arrived, notify)
        return False, None

    def _arrived(self, notify: Callable[[], None]) -> None:
        self._told = False  # (before notify: an item read from now on is told again)
        notify()

    def _read_over(
        self,
        notify: Callable[[], None],
        reading: asyncio.Future[tuple[bool, BaseException | None]],
    ) -> None:
        self.busy = False
        if reading.cancelled():
            return
        failure = reading.exception()
        ended, error = (True, failure) if failure is not None else reading.result()
        if ended:
            self.exhausted, self.error = True, error
        notify()

    async def aclose(self) -> None:
        """Close an async generator given as input (after the run ends or is cancelled).

        A thread still in a sync input's ``next()`` is not waited for (a pipe left open
        would hold the run's end forever): it stops when ``next()`` returns, dropping what
        it read."""
        self._closed = True
        closer: Any = getattr(self.async_, "aclose", None)
        if closer is not None:
            await closer()
