"""Models of Piggy's ``shops`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["Address", "Shop"]


class Address(_Model):
    """A shop's postal address."""

    id: int | None = None
    shop_id: int | None = None
    street: str | None = None
    housenumber: str | int | None = None
    house_number: str | int | None = None
    postalcode: str | None = None
    postal_code: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    latitude: float | str | None = None
    longitude: float | str | None = None


class Shop(_Model):
    """A shop (physical or web) of the account."""

    uuid: str | None = None
    id: int | str | None = None
    name: str | None = None
    type: str | None = None
    address: Address | None = None
    #: the shop's own reference (docs: shops, "List Shops"; ``null`` or text)
    reference: str | None = None
