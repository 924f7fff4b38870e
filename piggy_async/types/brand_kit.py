"""Models of Piggy's ``brand-kit`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["BrandKit"]


class BrandKit(_Model):
    """The account's logos, colours and font."""

    small_logo_url: str | None = None
    large_logo_url: str | None = None
    primary_color: str | None = None
    secondary_color: str | None = None
    tertiary_color: str | None = None
    quaternary_color: str | None = None
    font_family: str | None = None
