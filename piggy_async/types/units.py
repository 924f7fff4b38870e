"""Models of Piggy's ``units`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["Unit"]


class Unit(_Model):
    """The unit of a credit reception's value (euros, liters, calories, ...)."""

    id: int | None = None
    name: str | None = None
    label: str | None = None
    prefix: str | None = None
    is_default: bool | None = None
    #: in Create Unit's answer (docs: units, "Create Unit")
    loyalty_program_id: int | None = None
    format: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
