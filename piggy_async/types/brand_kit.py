"""Models of Piggy's ``brand-kit`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["BrandKit"]


class BrandKit(_Model):
    """The account's logos, colours and font.

    The fourth colour is ``quarternary_color`` in Piggy's docs (brand-kit, "Get Brand Kit")
    and ``quaternary_color`` in the PHP SDK's answers: either decodes, and
    ``quaternary_color`` always holds it (docs/fidelity.md).
    """

    small_logo_url: str | None = None
    large_logo_url: str | None = None
    primary_color: str | None = None
    secondary_color: str | None = None
    tertiary_color: str | None = None
    quaternary_color: str | None = None
    font_family: str | None = None
    #: the docs' spelling, as Piggy sent it (``quaternary_color`` has the value too)
    quarternary_color: str | None = None

    def __post_init__(self) -> None:
        if self.quaternary_color is None:
            self.quaternary_color = self.quarternary_color
