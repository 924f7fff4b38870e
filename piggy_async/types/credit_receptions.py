"""Models of Piggy's ``credit-receptions`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["CreditCalculation"]


class CreditCalculation(_Model):
    """How many credits a purchase is worth."""

    credits: int
