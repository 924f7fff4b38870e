"""Models of Piggy's ``visits`` docs page."""

from __future__ import annotations

from ._base import ContactSummary, _Model

__all__ = ["Visit"]


class Visit(_Model):
    """A contact's visit to a shop; dates are ISO 8601 text."""

    uuid: str
    contact: ContactSummary | None = None
    external_id: str | None = None
    source: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    created_at: str | None = None
