"""Models of Piggy's ``loyalty-program`` docs page."""

from __future__ import annotations

from ._base import _Model
from .units import Unit

__all__ = ["LoyaltyProgram"]


class LoyaltyProgram(_Model):
    """The account's loyalty program."""

    id: int | None = None
    name: str | None = None
    max_amount: int | None = None
    custom_credit_name: str | None = None
    #: the program's default unit (docs: loyalty-program, "Get Loyalty Program")
    unit: Unit | None = None
