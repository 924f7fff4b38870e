"""The fake server's routes of Piggy's ``bookings`` docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .._seed import new_uuid
from ..server_base import invalid, ok
from ._base import Routes, now_iso, required, route
from ._refs import contact_ref, int_field, moment_field, shop_ref, text_field

__all__ = ["BookingsRoutes"]

_TEXT = ("external_id", "source", "company_name", "status")
_MOMENTS = ("starts_at", "ends_at", "checked_in_at")
_COUNTS = {"number_of_people": 1, "prepaid_amount": 0}


def _changes(body: dict[str, Any]) -> dict[str, Any]:
    """The documented optional fields of ``body``, checked (1003 when one is malformed)."""
    changes: dict[str, Any] = {}
    for name in _TEXT:
        if text_field(body, name) is not None:
            changes[name] = body[name]
    for name in _MOMENTS:
        if moment_field(body, name) is not None:
            changes[name] = body[name]
    for name, low in _COUNTS.items():
        if int_field(body, name, low) is not None:
            changes[name] = body[name]
    return changes


class BookingsRoutes(Routes):
    """Bookings: the fake's answers to the ``bookings`` calls."""

    @route("POST", "/bookings")
    async def create_booking(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "shop_uuid", "contact_uuid")
        changes = _changes(body)
        contact = contact_ref(self.store, body["contact_uuid"])
        shop_ref(self.store, body["shop_uuid"])
        booking = {
            "uuid": new_uuid(self.store.rng),
            "contact": contact,
            **changes,
            "created_at": now_iso(),
        }
        self.store.bookings[booking["uuid"]] = booking
        return ok(booking)

    @route("PUT", "/bookings/{uuid}")
    async def update_booking(self, request: web.Request) -> web.Response:
        booking = self.store.bookings.get(request.match_info["uuid"])
        if booking is None:
            # The page lists only 1003 for this call; no not-found code (docs/fidelity.md).
            raise invalid("uuid", "The selected booking is invalid.")
        booking.update(_changes(self.body_of(request)))
        return ok(booking)
