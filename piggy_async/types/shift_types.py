"""Models of Piggy's ``shift-types`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["ShiftType"]


class ShiftType(_Model):
    """A kind of shift (night, weekend, ...)."""

    uuid: str
    name: str | None = None
    description: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
