"""Visits: the calls of Piggy's ``visits`` docs page (beta in Piggy)."""

from __future__ import annotations

from datetime import datetime

from .._validate import check_text, segment
from ..types import Visit
from ._base import Headers, Resource, compact

__all__ = ["Visits"]


def _when(value: str | datetime | None, name: str) -> str | None:
    """An optional ISO 8601 date and time (a datetime is converted), or None."""
    if value is None or isinstance(value, datetime):
        return None if value is None else value.isoformat()
    return check_text(value, name)


def _visit_fields(
    external_id: str | None,
    source: str | None,
    starts_at: str | datetime | None,
    ends_at: str | datetime | None,
) -> dict[str, object]:
    """The optional body fields both visit calls take, checked (None: not sent)."""
    return compact(
        {
            "external_id": None if external_id is None else check_text(external_id, "external_id"),
            "source": None if source is None else check_text(source, "source"),
            "starts_at": _when(starts_at, "starts_at"),
            "ends_at": _when(ends_at, "ends_at"),
        }
    )


class Visits(Resource):
    """Visits: a contact's visits to a shop."""

    __slots__ = ()

    async def create(
        self,
        *,
        shop_uuid: str,
        contact_uuid: str,
        external_id: str | None = None,
        source: str | None = None,
        starts_at: str | datetime | None = None,
        ends_at: str | datetime | None = None,
        extra_headers: Headers | None = None,
    ) -> Visit:
        """Record a contact's visit to a shop (``external_id`` is unique per account).

        ``POST /visits`` (docs: visits, "Create Visit").
        """
        body = {
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
            "contact_uuid": check_text(contact_uuid, "contact_uuid"),
            **_visit_fields(external_id, source, starts_at, ends_at),
        }
        return await self._transport.request(
            "POST", "/visits", Visit, json=body, headers=extra_headers
        )

    async def update(
        self,
        uuid: str,
        *,
        external_id: str | None = None,
        source: str | None = None,
        starts_at: str | datetime | None = None,
        ends_at: str | datetime | None = None,
        extra_headers: Headers | None = None,
    ) -> Visit:
        """Change a visit's fields (its shop and contact cannot change).

        ``PUT /visits/{uuid}`` (docs: visits, "Update Visit").
        """
        path = f"/visits/{segment(uuid, 'uuid')}"
        body = _visit_fields(external_id, source, starts_at, ends_at)
        return await self._transport.request("PUT", path, Visit, json=body, headers=extra_headers)
