"""Checks the routes of the newer sections share (bookings, visits, shifts, shift teams and
types, orders, contact session tokens, portal session variants): the contact and shop a call
names, typed body fields, and the documented page meta, all failing as Piggy does
(HTTP 400 with the documented code and message)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from .._store import Store
from ..server_base import int_query, invalid, ok, piggy_error

__all__ = [
    "contact_ref",
    "int_field",
    "moment_field",
    "page_meta_answer",
    "shop_ref",
    "text_field",
]


def contact_ref(store: Store, contact_uuid: Any) -> dict[str, Any]:
    """The contact a body names, as ``{uuid, email}``, or 55031 "Contact not found."."""
    contact = store.contacts.get(contact_uuid) if isinstance(contact_uuid, str) else None
    if contact is None:
        raise piggy_error(ErrorCode.CONTACT_NOT_FOUND)
    return {"uuid": contact["uuid"], "email": contact.get("email")}


def shop_ref(store: Store, shop_uuid: Any) -> dict[str, Any]:
    """The shop a body names, or 1008 "Shop not found."."""
    for shop in store.shops:
        if isinstance(shop_uuid, str) and shop.get("uuid") == shop_uuid:
            found: dict[str, Any] = shop
            return found
    raise piggy_error(ErrorCode.SHOP_NOT_FOUND)


def text_field(body: dict[str, Any], name: str) -> str | None:
    """An optional string field (absent: None), or 1003 "Invalid input."."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise invalid(name, f"The {name} must be a string.")
    return value


def int_field(body: dict[str, Any], name: str, low: int = 0) -> int | None:
    """An optional integer field of at least ``low`` (absent: None), or 1003."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise invalid(name, f"The {name} must be an integer of at least {low}.")
    return value


def moment_field(body: dict[str, Any], name: str) -> datetime | None:
    """An optional ISO 8601 date and time (absent: None), or 1003."""
    value = body.get(name)
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise invalid(name, f"The {name} is not a valid date.") from None


def page_meta_answer(items: list[Any], request: web.Request) -> web.Response:
    """One page of ``items`` with the meta these sections document:
    ``{page, per_page, last_page, total}`` (``limit``: default 30, at most 100)."""
    page = int_query(request, "page", 1, 1, None)
    limit = int_query(request, "limit", 30, 1, 100)
    start = (page - 1) * limit
    meta = {
        "page": page,
        "per_page": limit,
        "last_page": max(1, -(-len(items) // limit)),
        "total": len(items),
    }
    return ok(items[start : start + limit], meta)
