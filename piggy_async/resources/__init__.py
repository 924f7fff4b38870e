"""One module per Piggy API resource; each method states verb, path, parameters, model."""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from .._bulk import BulkRun, ProgressCallback

if TYPE_CHECKING:
    from .._transport import Transport

I = TypeVar("I")  # noqa: E741
T = TypeVar("T")


class Resource:
    """Base of ``piggy.contacts``, ``piggy.automations``, ...: holds the client's transport."""

    __slots__ = ("_transport",)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def _bulk(
        self,
        func: Callable[[I], Awaitable[T]],
        inputs: Iterable[I] | AsyncIterable[I],
        concurrency: int,
        on_progress: ProgressCallback | None,
    ) -> BulkRun[I, T]:
        """The one way resources run a call over many inputs (ordered, bounded, adaptive)."""
        return BulkRun(
            func,
            inputs,
            concurrency=concurrency,
            on_progress=on_progress,
            sleep=self._transport.pause,
        )
