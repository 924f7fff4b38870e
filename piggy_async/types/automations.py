"""Models of Piggy's ``automations`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["Automation"]


class Automation(_Model):
    """An automation of the account: the ``event`` that drives it, its ``status``."""

    name: str
    uuid: str | None = None
    event: str | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
