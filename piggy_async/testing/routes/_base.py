"""What every section of the fake server's routes shares: the ``Routes`` base (handler
methods tagged with :func:`route`, registered as aiohttp ``RouteDef``s), lookups that answer
Piggy's not-found errors (HTTP 400 + the documented code), the page shape and required-field
checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any, Protocol, TypeVar

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import iso
from .._store import Store
from ..server_base import (
    API_PREFIX,
    PiggyHTTPError,
    contact_not_found,
    int_query,
    ok,
    piggy_error,
)

__all__ = [
    "FakeServer",
    "Routes",
    "definition",
    "first_match",
    "lookup",
    "not_found",
    "now_iso",
    "paged",
    "required",
    "route",
]

Handler = TypeVar("Handler", bound=Callable[..., Awaitable[web.StreamResponse]])


class FakeServer(Protocol):
    """What route handlers need of the fake server (``FakePiggy``)."""

    store: Store
    client_secret: str

    def body_of(self, request: web.Request) -> dict[str, Any]: ...

    def emit(self, event_type: str, data: Any) -> None: ...


def route(method: str, path: str) -> Callable[[Handler], Handler]:
    """Tag a handler method with the ``method`` and API ``path`` it answers."""

    def tag(handler: Handler) -> Handler:
        tags: list[tuple[str, str]] = handler.__dict__.setdefault("piggy_routes", [])
        tags.insert(0, (method, path))
        return handler

    return tag


class Routes:
    """The routes of one Piggy API section: handler methods over the fake's store."""

    def __init__(self, fake: FakeServer) -> None:
        self.fake = fake
        self.store = fake.store

    def body_of(self, request: web.Request) -> dict[str, Any]:
        """The request's JSON (or form) body as a dict, or Piggy's 1003 error."""
        return self.fake.body_of(request)

    def routes(self) -> list[web.RouteDef]:
        """Every tagged handler of this section, in definition order, under the API prefix."""
        table: list[web.RouteDef] = []
        for klass in reversed(type(self).__mro__):
            for name, member in vars(klass).items():
                for method, path in getattr(member, "piggy_routes", ()):
                    handler = getattr(self, name)
                    if method == "GET":
                        table.append(web.get(API_PREFIX + path, handler))
                    else:
                        table.append(web.route(method, API_PREFIX + path, handler))
        return table

    def contact_uuid_of(self, request: web.Request) -> str:
        contact_uuid = request.match_info["uuid"]
        if contact_uuid not in self.store.contacts:
            raise contact_not_found()
        return contact_uuid

    def contact_of(self, contact_uuid: Any) -> dict[str, Any]:
        contact = self.store.contacts.get(contact_uuid) if isinstance(contact_uuid, str) else None
        if contact is None:
            raise contact_not_found()
        return contact

    def shop_of(self, shop_uuid: Any) -> dict[str, Any]:
        return first_match(
            self.store.shops,
            "uuid",
            shop_uuid,
            "Shop",
            piggy_error(ErrorCode.SHOP_NOT_FOUND),
        )

    def transaction_of(self, uuid: str, kind: str) -> tuple[str, dict[str, Any]]:
        found = self.store.transaction_index.get(uuid)
        if found is None or found[1]["type"] != kind:
            raise not_found("Transaction")
        return found

    def giftcard_of(self, uuid: Any) -> dict[str, Any]:
        return lookup(self.store.giftcards, uuid, "Giftcard")

    def promotion_of(self, uuid: Any) -> dict[str, Any]:
        return lookup(self.store.promotions, uuid, "Promotion")


def now_iso() -> str:
    return iso(datetime.now(timezone.utc))


#: What a route looks up -> the code (and message) Piggy's docs give when it is unknown.
#: Things without a code of their own get the general "Model not found." (60013).
NOT_FOUND: dict[str, tuple[ErrorCode, str | None]] = {
    "Voucher": (ErrorCode.VOUCHER_NOT_FOUND, None),
    "Promotion": (ErrorCode.PROMOTION_NOT_FOUND, None),
    "Giftcard": (ErrorCode.GIFTCARD_NOT_FOUND, None),
    "Giftcard program": (ErrorCode.GIFTCARD_PROGRAM_NOT_FOUND, None),
    "Giftcard transaction": (ErrorCode.GIFTCARD_TRANSACTION_NOT_FOUND, None),
    "Reward": (ErrorCode.REWARD_NOT_FOUND, None),
    "Collectable reward": (ErrorCode.COLLECTABLE_REWARD_NOT_FOUND, "Reward not found."),
    "Perk": (ErrorCode.PERK_NOT_FOUND, None),
    "Webhook subscription": (
        ErrorCode.WEBHOOK_SUBSCRIPTION_NOT_FOUND,
        "Webhook subscription not found.",
    ),
    "Subscription type": (ErrorCode.SUBSCRIPTION_TYPE_NOT_FOUND, None),
    "Shop": (ErrorCode.SHOP_NOT_FOUND, None),
    "Unit": (ErrorCode.UNIT_NOT_FOUND, None),
    "Contact identifier": (ErrorCode.CONTACT_IDENTIFIER_NOT_FOUND, None),
    "Credit reception": (ErrorCode.CREDIT_RECEPTION_NOT_FOUND, None),
}


def not_found(what: str = "Model") -> PiggyHTTPError:
    """Piggy's 400 for an unknown ``what``, with the code the docs give for it."""
    code, message = NOT_FOUND.get(what, (ErrorCode.MODEL_NOT_FOUND, None))
    return piggy_error(code, message)


def lookup(mapping: dict[str, dict[str, Any]], key: Any, what: str) -> dict[str, Any]:
    """``mapping[key]``, or Piggy's not-found error for ``what``."""
    found = mapping.get(key) if isinstance(key, str) else None
    if found is None:
        raise not_found(what)
    return found


def first_match(
    items: Any, field: str, value: Any, what: str, error: PiggyHTTPError | None = None
) -> dict[str, Any]:
    """The first item whose ``field`` equals ``value``, or Piggy's not-found (or ``error``)."""
    for item in items:
        if value is not None and item.get(field) == value:
            found: dict[str, Any] = item
            return found
    raise error or not_found(what)


def paged(
    items: list[Any],
    request: web.Request,
    default_limit: int,
    laravel: bool = False,
    *,
    size_query: str = "limit",
) -> web.Response:
    """One page of ``items``, its size from the ``size_query`` parameter, with the meta of
    one of Piggy's two list styles (``laravel``: the voucher lists')."""
    page = int_query(request, "page", 1, 1, None)
    limit = int_query(request, size_query, default_limit, 1, 500 if laravel else 100)
    total = len(items)
    start = (page - 1) * limit
    chunk = items[start : start + limit]
    last = max(1, -(-total // limit))
    if laravel:
        meta: dict[str, Any] = {
            "current_page": page,
            "from": start + 1 if chunk else None,
            "last_page": last,
            "per_page": limit,
            "to": start + len(chunk) if chunk else None,
            "total": total,
            "path": "/vouchers",
            "links": [],
        }
    else:
        meta = {
            "page": page,
            "limit": limit,
            "viewing_from": start + 1 if chunk else 0,
            "viewing_to": start + len(chunk),
            "last_page": last,
            "total": total,
        }
    return ok(chunk, meta)


def required(body: dict[str, Any], *names: str) -> None:
    errors = {n: [f"The {n} field is required."] for n in names if body.get(n) in (None, "")}
    if errors:
        raise PiggyHTTPError(400, 1003, "Invalid input.", errors)


def definition(
    body: dict[str, Any], type_key: str = "data_type", *, label_required: bool = True
) -> dict[str, Any]:
    required(body, "name", type_key, *(["label"] if label_required else []))
    return {
        "name": body["name"],
        "label": body.get("label") or body["name"],
        "type": body[type_key],
        "description": body.get("description"),
        "placeholder": body.get("placeholder"),
        "options": body.get("options") or [],
        "is_piggy_defined": False,
        "is_soft_read_only": False,
        "is_hard_read_only": False,
    }
