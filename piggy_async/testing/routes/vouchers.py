"""The fake server's routes of Piggy's ``vouchers`` docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .._seed import new_uuid
from ..server_base import invalid, ok
from ._base import Routes, first_match, lookup, now_iso, paged, required, route

__all__ = ["VouchersRoutes"]


class VouchersRoutes(Routes):
    """Vouchers: the fake's answers to the ``vouchers`` calls."""

    def voucher_of(self, uuid: str) -> dict[str, Any]:
        return lookup(self.store.vouchers, uuid, "Voucher")

    @route("POST", "/vouchers")
    async def create_voucher(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "promotion_uuid")
        self.promotion_of(body["promotion_uuid"])
        if body.get("contact_uuid") is not None:
            self.contact_of(body["contact_uuid"])
        if body.get("code") and any(
            v["code"] == body["code"] for v in self.store.vouchers.values()
        ):
            raise invalid("code", "The code has already been taken.")
        voucher = self.store.add_voucher(
            body["promotion_uuid"], body.get("code"), body.get("contact_uuid")
        )
        for key in ("activation_date", "expiration_date"):
            if body.get(key):
                voucher[key] = body[key]
        return ok(voucher)

    @route("POST", "/vouchers/batch")
    async def batch_vouchers(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "promotion_uuid", "quantity")
        self.promotion_of(body["promotion_uuid"])
        for _ in range(int(body["quantity"])):
            self.store.add_voucher(body["promotion_uuid"], contact_uuid=body.get("contact_uuid"))
        return ok(["Voucher generation successfully started in background."])

    @route("GET", "/vouchers")
    async def list_vouchers(self, request: web.Request) -> web.Response:
        items = list(self.store.vouchers.values())
        q = request.query
        if q.get("promotion_uuid"):
            items = [v for v in items if v["promotion"]["uuid"] == q["promotion_uuid"]]
        if q.get("contact_uuid"):
            items = [v for v in items if (v["contact"] or {}).get("uuid") == q["contact_uuid"]]
        if q.get("status"):
            items = [v for v in items if v["status"] == q["status"]]
        return paged(items, request, 30, laravel=True)

    @route("GET", "/vouchers/find")
    async def find_voucher(self, request: web.Request) -> web.Response:
        return ok(
            first_match(self.store.vouchers.values(), "code", request.query.get("code"), "Voucher")
        )

    @route("POST", "/vouchers/redeem")
    async def redeem_voucher(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "code", "contact_uuid")
        self.contact_of(body["contact_uuid"])
        voucher = first_match(self.store.vouchers.values(), "code", body["code"], "Voucher")
        if voucher["is_redeemed"]:
            raise invalid("code", "The voucher has already been redeemed.")
        owner = (voucher["contact"] or {}).get("uuid")
        if owner and owner != body["contact_uuid"]:
            raise invalid("contact_uuid", "The voucher belongs to another contact.")
        lock = self.store.voucher_locks.get(voucher["uuid"])
        if voucher["status"] == "LOCKED" and (
            lock is None or lock["release_key"] != body.get("release_key")
        ):
            raise invalid("release_key", "The voucher is locked.")
        voucher.update(
            status="REDEEMED",
            is_redeemed=True,
            redeemed_at=now_iso(),
            contact={"uuid": body["contact_uuid"]},
        )
        self.fake.emit("voucher_redeemed", voucher)
        return ok(voucher)

    @route("POST", "/vouchers/{uuid}/lock")
    async def lock_voucher(self, request: web.Request) -> web.Response:
        voucher = self.voucher_of(request.match_info["uuid"])
        if voucher["status"] != "ACTIVE":
            raise invalid("uuid", f"The voucher is {voucher['status'].lower()}.")
        voucher["status"] = "LOCKED"
        lock = {
            "release_key": new_uuid(self.store.rng),
            "locked_at": now_iso(),
            "unlocked_at": None,
            "system_release_at": None,
        }
        self.store.voucher_locks[voucher["uuid"]] = lock
        return ok({"voucher": {"uuid": voucher["uuid"], "status": "LOCKED"}, "lock": lock})

    @route("POST", "/vouchers/{uuid}/release")
    async def release_voucher(self, request: web.Request) -> web.Response:
        voucher = self.voucher_of(request.match_info["uuid"])
        lock = self.store.voucher_locks.get(voucher["uuid"])
        if lock is None or lock["release_key"] != self.body_of(request).get("release_key"):
            raise invalid("release_key", "The release key is invalid.")
        voucher["status"] = "ACTIVE"
        lock["unlocked_at"] = now_iso()
        return ok({"voucher": {"uuid": voucher["uuid"], "status": "ACTIVE"}, "lock": lock})

    @route("PUT", "/vouchers/{uuid}")
    async def update_voucher(self, request: web.Request) -> web.Response:
        voucher = self.voucher_of(request.match_info["uuid"])
        for key, value in self.body_of(request).items():
            if key in ("activation_date", "expiration_date", "status", "name", "description"):
                voucher[key] = value
        return ok(voucher)
