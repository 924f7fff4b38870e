"""Models of Piggy's ``giftcard-transactions`` docs page."""

from __future__ import annotations

from typing import Any

from ._base import _Model

__all__ = ["GiftcardTransaction"]


class GiftcardTransaction(_Model):
    """A payment with or top-up of a giftcard."""

    #: null in the docs' example (giftcard-transactions, "Create Giftcard Transaction")
    uuid: str | None = None
    id: int | None = None
    amount_in_cents: int | None = None
    type: str | None = None
    settled: bool | None = None
    card_id: int | None = None
    shop_id: int | None = None
    settlements: list[Any] = []
    created_at: str | None = None
