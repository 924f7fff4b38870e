"""Models of Piggy's ``contact-session-tokens`` docs page."""

from __future__ import annotations

from ._base import ContactSummary, _Model

__all__ = ["ContactSessionToken"]


class ContactSessionToken(_Model):
    """A contact's one-time session token: ``status`` is ``"active"`` until it is used.

    The token identifies the contact, so its repr leaves it out.
    """

    token: str
    contact: ContactSummary | None = None
    status: str | None = None

    def __repr__(self) -> str:
        return f"ContactSessionToken(token=<redacted>, status={self.status!r})"
