"""Where a bulk run takes its inputs from, without letting the input stall the event loop.

In-memory collections (list, tuple, range, set, dict views, deque) are read on the loop:
nothing there can block. Any other sync iterable (a generator, a file, a database cursor)
is read in a worker thread, a chunk ahead, so that a slow ``next()`` or a sync piggy call
inside a generator neither blocks the loop nor deadlocks it. Async iterables are awaited
one item at a time by one worker at a time.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Iterable,
    Iterator,
    KeysView,
    Set,
    ValuesView,
)
from typing import Any, Generic, TypeVar

from .errors import InvalidArgumentError

__all__ = ["Inputs", "length_of"]

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


def _next_chunk(source: Iterator[Any], count: int) -> tuple[list[Any], bool, Exception | None]:
    """Up to ``count`` items; True when the source ran out; what it raised, if it did (the
    items read before are kept). Runs in the input thread."""
    chunk: list[Any] = []
    for _ in range(count):
        try:
            chunk.append(next(source))
        except StopIteration:
            return chunk, True, None
        except Exception as exc:  # the input itself failed (an unreadable file, ...)
            return chunk, True, exc
    return chunk, False, None


class Inputs(Generic[I]):
    """The inputs of one run: ``take_now()`` when an item is at hand, else ``await fetch()``."""

    def __init__(self, inputs: Iterable[I] | AsyncIterable[I]) -> None:
        self.sync: Iterator[I] | None = None
        self.async_: AsyncIterator[I] | None = None
        self.threaded = False
        if isinstance(inputs, AsyncIterable):
            self.async_ = aiter(inputs)
        elif isinstance(inputs, Iterable) and not isinstance(inputs, (str, bytes)):
            self.sync = iter(inputs)
            self.threaded = not isinstance(inputs, _IN_MEMORY)
        else:
            raise InvalidArgumentError(
                f"inputs must be an iterable of items, not {type(inputs).__name__}",
                argument="inputs",
            )
        self.buffer: deque[I] = deque()
        self.exhausted = False  # the source has no more items (the buffer may still hold some)
        self.error: Exception | None = None  # what the source raised, once it is exhausted
        self.busy = False  # a fetch is under way
        self._reading: asyncio.Future[tuple[list[I], bool, Exception | None]] | None = None

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

    async def fetch(self, room: int) -> None:
        """Read more into the buffer (up to ``room`` items from a thread, or one async item);
        sets ``exhausted`` at the end, and ``error`` if the source raised."""
        self.busy = True
        try:
            if self.async_ is not None:
                try:
                    self.buffer.append(await anext(self.async_))
                except StopAsyncIteration:
                    self.exhausted = True
                except Exception as exc:
                    self.exhausted, self.error = True, exc
                return
            assert self.sync is not None
            loop = asyncio.get_running_loop()
            count = max(1, min(READ_AHEAD, room))
            self._reading = loop.run_in_executor(None, _next_chunk, self.sync, count)
            # Shielded: a cancelled worker leaves the read to finish, so aclose() can wait
            # until the thread is out of the source.
            chunk, ended, error = await asyncio.shield(self._reading)
            self._reading = None
            self.buffer.extend(chunk)
            if ended:
                self.exhausted, self.error = True, error
        finally:
            self.busy = False

    async def aclose(self) -> None:
        """Close an async generator given as input (after the run ends or is cancelled)."""
        reading = self._reading
        if reading is not None and not reading.done():
            await asyncio.wait([reading])  # a thread still in next(): let it finish first
        closer: Any = getattr(self.async_, "aclose", None)
        if closer is not None:
            await closer()
