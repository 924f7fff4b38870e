"""The fake server's routes of Piggy's ``vouchers`` docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, first_match, lookup, now_iso, paged, required, route

__all__ = ["VouchersRoutes"]

#: A voucher's status -> the code vouchers.md lists for using a voucher in that state.
_STATUS_ERRORS = {
    "REDEEMED": ErrorCode.VOUCHER_ALREADY_REDEEMED,
    "EXPIRED": ErrorCode.VOUCHER_EXPIRED,
    "DEACTIVATED": ErrorCode.VOUCHER_DEACTIVATED,
    "INACTIVE": ErrorCode.VOUCHER_INACTIVE,
    "LOCKED": ErrorCode.VOUCHER_ALREADY_LOCKED,
}


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
            raise piggy_error(ErrorCode.VOUCHER_ALREADY_EXISTS)
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
        required(body, "code")
        voucher = first_match(self.store.vouchers.values(), "code", body["code"], "Voucher")
        if voucher["is_redeemed"]:
            raise piggy_error(ErrorCode.VOUCHER_ALREADY_REDEEMED)
        if voucher["status"] in _STATUS_ERRORS and voucher["status"] != "LOCKED":
            raise piggy_error(_STATUS_ERRORS[voucher["status"]])
        owner = (voucher["contact"] or {}).get("uuid")
        contact_uuid = body.get("contact_uuid") or owner
        if contact_uuid is None:  # REQUIRED_IF the voucher has no contact (vouchers.md)
            raise invalid("contact_uuid", "The contact uuid field is required.")
        self.contact_of(contact_uuid)
        if owner and owner != contact_uuid:
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
            contact={"uuid": contact_uuid},
        )
        self.fake.emit("voucher_redeemed", voucher)
        return ok(voucher)

    @route("POST", "/vouchers/{uuid}/lock")
    async def lock_voucher(self, request: web.Request) -> web.Response:
        voucher = self.voucher_of(request.match_info["uuid"])
        if voucher["status"] != "ACTIVE":
            raise piggy_error(_STATUS_ERRORS.get(voucher["status"], ErrorCode.VOUCHER_INACTIVE))
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
