"""``piggy.forms``: Piggy's Forms API (``/forms``)."""

from __future__ import annotations

from typing import Literal

from .._validate import check_choice
from ..types import Form
from ._base import Headers, Resource

__all__ = ["Forms"]

#: Form statuses (docs: forms, "List Forms").
FORM_STATUSES = ("PUBLISHED", "DRAFT", "BIN")


class Forms(Resource):
    """Forms: Piggy-hosted sign-up and survey forms."""

    __slots__ = ()

    async def list(
        self,
        *,
        type: Literal["PUBLIC", "PRIVATE"] | None = None,
        status: Literal["PUBLISHED", "DRAFT", "BIN"] | None = None,
        extra_headers: Headers | None = None,
    ) -> list[Form]:
        """The account's forms, optionally only one type or status.

        ``GET /forms?type=&status=`` (docs: forms, "List Forms").
        """
        params = {
            "type": None if type is None else check_choice(type, "type", ("PUBLIC", "PRIVATE")),
            "status": None if status is None else check_choice(status, "status", FORM_STATUSES),
        }
        return await self._transport.request(
            "GET", "/forms", list[Form], params=params, headers=extra_headers
        )
