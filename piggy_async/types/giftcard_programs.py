"""Models of Piggy's ``giftcard-programs`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["GiftcardProgram"]


class GiftcardProgram(_Model):
    """A giftcard program of the account."""

    uuid: str
    name: str | None = None
    active: bool | str | None = None
    max_amount_in_cents: int | None = None
    calculator_flow: str | None = None
    expiration_days: int | None = None
