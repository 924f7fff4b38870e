"""Referrals: the calls of Piggy's ``referrals`` docs page."""

from __future__ import annotations

from .._validate import check_choice, check_limit, check_page
from ..types import Referral
from ._base import Headers, Resource

__all__ = ["Referrals"]

#: Referral statuses (docs: referrals, "List Referrals").
STATUSES = ("pending", "completed", "failed")


class Referrals(Resource):
    """Referrals between contacts."""

    __slots__ = ()

    async def list(
        self,
        *,
        referring_contact_uuid: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        page: int | None = None,
        extra_headers: Headers | None = None,
    ) -> list[Referral]:
        """Referrals of the referral program, optionally of one referring contact or one
        ``status`` (pending, completed, failed); ``limit`` up to 100.

        ``GET /referrals`` (docs: referrals, "List Referrals").
        """
        params = {
            "referring_contact_uuid": referring_contact_uuid,
            "status": None if status is None else check_choice(status, "status", STATUSES),
            "limit": check_limit(limit, maximum=100),
            "page": check_page(page),
        }
        return await self._transport.request(
            "GET", "/referrals", list[Referral], params=params, headers=extra_headers
        )
