"""Bookings: the calls of Piggy's ``bookings`` docs page (beta in Piggy)."""

from __future__ import annotations

from datetime import datetime

from .._validate import check_int, check_text, segment
from ..types import Booking
from ._base import Headers, Resource, compact

__all__ = ["Bookings"]


def _when(value: str | datetime | None, name: str) -> str | None:
    """An optional ISO 8601 date and time (a datetime is converted), or None."""
    if value is None or isinstance(value, datetime):
        return None if value is None else value.isoformat()
    return check_text(value, name)


def _booking_fields(
    external_id: str | None,
    source: str | None,
    starts_at: str | datetime | None,
    ends_at: str | datetime | None,
    checked_in_at: str | datetime | None,
    number_of_people: int | None,
    company_name: str | None,
    status: str | None,
    prepaid_amount: int | None,
) -> dict[str, object]:
    """The optional body fields both booking calls take, checked (None: not sent)."""
    return compact(
        {
            "external_id": None if external_id is None else check_text(external_id, "external_id"),
            "source": None if source is None else check_text(source, "source"),
            "starts_at": _when(starts_at, "starts_at"),
            "ends_at": _when(ends_at, "ends_at"),
            "checked_in_at": _when(checked_in_at, "checked_in_at"),
            "number_of_people": None
            if number_of_people is None
            else check_int(number_of_people, "number_of_people", 1),
            "company_name": None
            if company_name is None
            else check_text(company_name, "company_name"),
            "status": None if status is None else check_text(status, "status"),
            "prepaid_amount": None
            if prepaid_amount is None
            else check_int(prepaid_amount, "prepaid_amount", 0),
        }
    )


class Bookings(Resource):
    """Bookings: a contact's reservations at a shop (party size, times, check-in)."""

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
        checked_in_at: str | datetime | None = None,
        number_of_people: int | None = None,
        company_name: str | None = None,
        status: str | None = None,
        prepaid_amount: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Booking:
        """Record a contact's booking at a shop (``prepaid_amount`` in cents).

        ``POST /bookings`` (docs: bookings, "Create Booking").
        """
        body = {
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
            "contact_uuid": check_text(contact_uuid, "contact_uuid"),
            **_booking_fields(
                external_id,
                source,
                starts_at,
                ends_at,
                checked_in_at,
                number_of_people,
                company_name,
                status,
                prepaid_amount,
            ),
        }
        return await self._transport.request(
            "POST", "/bookings", Booking, json=body, headers=extra_headers
        )

    async def update(
        self,
        uuid: str,
        *,
        external_id: str | None = None,
        source: str | None = None,
        starts_at: str | datetime | None = None,
        ends_at: str | datetime | None = None,
        checked_in_at: str | datetime | None = None,
        number_of_people: int | None = None,
        company_name: str | None = None,
        status: str | None = None,
        prepaid_amount: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Booking:
        """Change a booking's fields (its shop and contact cannot change).

        ``PUT /bookings/{uuid}`` (docs: bookings, "Update Booking").
        """
        path = f"/bookings/{segment(uuid, 'uuid')}"
        body = _booking_fields(
            external_id,
            source,
            starts_at,
            ends_at,
            checked_in_at,
            number_of_people,
            company_name,
            status,
            prepaid_amount,
        )
        return await self._transport.request("PUT", path, Booking, json=body, headers=extra_headers)
