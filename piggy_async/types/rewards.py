"""Models of Piggy's ``rewards`` docs page."""

from __future__ import annotations

from typing import Any

from ._base import _Model

__all__ = ["Reward"]


class Reward(_Model):
    """A reward contacts can spend credits on (``reward_type`` PHYSICAL or DIGITAL)."""

    uuid: str
    title: str | None = None
    description: str | None = None
    media: Any = None
    active: bool | None = None
    reward_type: str | None = None
    required_credits: int | None = None
    attributes: dict[str, Any] = {}
