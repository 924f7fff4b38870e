"""One module per Piggy API resource; each method states verb, path, parameters, model."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._transport import Transport


class Resource:
    """Base of ``piggy.contacts``, ``piggy.automations``, ...: holds the client's transport."""

    __slots__ = ("_transport",)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
