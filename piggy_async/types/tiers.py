"""Models of Piggy's ``tiers`` docs page."""

from __future__ import annotations

from typing import Any

from ._base import _Model

__all__ = ["Tier"]


class Tier(_Model):
    """A loyalty tier (Gold, Silver, ...)."""

    uuid: str | None = None
    name: str | None = None
    description: str | None = None
    position: int | None = None
    media: Any = None
