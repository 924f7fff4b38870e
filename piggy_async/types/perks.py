"""Models of Piggy's ``perks`` docs page."""

from __future__ import annotations

from ._attributes import AttributeOption
from ._base import _Model

__all__ = ["Perk"]


class Perk(_Model):
    """A perk (a benefit of a tier)."""

    uuid: str
    name: str | None = None
    label: str | None = None
    data_type: str | None = None
    options: list[AttributeOption] = []
