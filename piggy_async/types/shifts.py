"""Models of Piggy's ``shifts`` docs page."""

from __future__ import annotations

from ._base import ContactSummary, _Model

__all__ = ["Shift"]


class Shift(_Model):
    """A contact's (an employee's) shift at a shop, in a team and of a shift type."""

    uuid: str
    contact: ContactSummary | None = None
    external_id: str | None = None
    team_uuid: str | None = None
    shift_type_uuid: str | None = None
    status: str | None = None
    break_in_minutes: int | None = None
    net_duration_in_minutes: int | None = None
    started_at: str | None = None
    ended_at: str | None = None
    created_at: str | None = None
