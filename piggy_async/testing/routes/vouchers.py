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

    def redeemable(self, body: dict[str, Any]) -> dict[str, Any]:
        """The voucher ``body`` names, checked as Piggy checks a redemption."""
        required(body, "code")
        voucher = first_match(self.store.vouchers.values(), "code", body["code"], "Voucher")
        if voucher["status"] in _STATUS_ERRORS and voucher["status"] not in (
            "LOCKED",
            "REDEEMED",
        ):
            raise piggy_error(_STATUS_ERRORS[voucher["status"]])
        owner = (voucher["contact"] or {}).get("uuid")
        contact_uuid = body.get("contact_uuid") or owner
        if not contact_uuid:
            raise invalid("contact_uuid", "The contact uuid field is required.")
        self.contact_of(contact_uuid)
        if owner and owner != contact_uuid:
            raise invalid("contact_uuid", "The voucher belongs to another contact.")
        lock = self.store.voucher_locks.get(voucher["uuid"])
        if voucher["status"] == "LOCKED" and (
            lock is None or lock["release_key"] != body.get("release_key")
        ):
            raise invalid("release_key", "The voucher is locked.")
        voucher["contact"] = {"uuid": contact_uuid}
        return voucher

    def redemptions_left(self, voucher: dict[str, Any]) -> int:
        promo = self.store.promotions.get(voucher["promotion"]["uuid"], {})
        allowed = int(promo.get("redemptions_per_voucher") or 1)
        return allowed - len(self.store.voucher_redemptions.get(voucher["uuid"], []))

    def redeem_times(self, voucher: dict[str, Any], times: int) -> list[dict[str, Any]]:
        if self.redemptions_left(voucher) <= 0:
            raise piggy_error(ErrorCode.VOUCHER_ALREADY_REDEEMED)
        if self.redemptions_left(voucher) < times:
            raise piggy_error(ErrorCode.VOUCHER_NO_REDEMPTIONS_LEFT)
        made = [{"uuid": new_uuid(self.store.rng), "created_at": now_iso()} for _ in range(times)]
        self.store.voucher_redemptions.setdefault(voucher["uuid"], []).extend(made)
        voucher.update(is_redeemed=self.redemptions_left(voucher) <= 0, redeemed_at=now_iso())
        if voucher["is_redeemed"]:
            voucher["status"] = "REDEEMED"
        self.fake.emit("voucher_redeemed", voucher)
        return made

    @route("POST", "/vouchers/redeem")
    async def redeem_voucher(self, request: web.Request) -> web.Response:
        voucher = self.redeemable(self.body_of(request))
        self.redeem_times(voucher, 1)
        return ok(voucher)

    @route("POST", "/vouchers/multi-redeem")
    async def multi_redeem_voucher(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "code", "number_of_times", "shop_uuid")
        times = body["number_of_times"]
        if not isinstance(times, int) or not 1 <= times <= 50:
            raise invalid("number_of_times", "The number of times must be between 1 and 50.")
        voucher = self.redeemable(body)
        self.shop_of(body["shop_uuid"])
        made = self.redeem_times(voucher, times)
        return ok({"voucher": voucher, "voucher_redemptions": made})

    @route("POST", "/vouchers/{uuid}/reverse")
    async def reverse_voucher(self, request: web.Request) -> web.Response:
        voucher = self.voucher_of(request.match_info["uuid"])
        made = self.store.voucher_redemptions.get(voucher["uuid"])
        if not made:
            raise invalid("uuid", "The voucher has not been redeemed.")
        made.pop()
        voucher.update(status="ACTIVE", is_redeemed=False, redeemed_at=None)
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

    @route("PUT", "/vouchers/update/{uuid}")
    async def update_voucher(self, request: web.Request) -> web.Response:
        voucher = self.voucher_of(request.match_info["uuid"])
        body = self.body_of(request)
        required(body, "status")
        if body["status"] not in ("ACTIVE", "DEACTIVATED"):
            raise invalid("status", "The status must be ACTIVE or DEACTIVATED.")
        voucher["status"] = body["status"]
        attributes = body.get("custom_attributes")
        if isinstance(attributes, dict):
            voucher.setdefault("attributes", {}).update(attributes)
        return ok(voucher)
