"""Models of Piggy's ``shift-teams`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["ShiftTeam"]


class ShiftTeam(_Model):
    """A team that shifts are worked in (kitchen staff, housekeeping, ...)."""

    uuid: str
    name: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
