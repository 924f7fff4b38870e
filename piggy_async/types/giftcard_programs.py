"""Models of Piggy's ``giftcard-programs`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["GiftcardProgram"]


class GiftcardProgram(_Model):
    """A giftcard program of the account."""

    #: absent in the docs' giftcard examples (giftcards, "Get Giftcard")
    uuid: str | None = None
    name: str | None = None
    active: bool | str | None = None
    max_amount_in_cents: int | None = None
    calculator_flow: str | None = None
    expiration_days: int | None = None
    #: in List Giftcard Programs (docs: giftcard-programs)
    id: int | None = None
    card_count: int | None = None
    settles: int | None = None
    min_amount_in_cents: int | None = None
