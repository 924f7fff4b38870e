"""Models of Piggy's ``forms`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["Form"]


class Form(_Model):
    """A Piggy form (sign-up, survey, ...): ``type`` PUBLIC/PRIVATE, ``url`` to show it."""

    uuid: str
    name: str | None = None
    url: str | None = None
    status: str | None = None
    type: str | None = None
