"""``piggy.automations``: Piggy's Automations API (``/automations``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._validate import check_text
from ..errors import InvalidArgumentError
from ..types import Automation
from ._base import Headers, Resource

__all__ = ["Automations"]


class Automations(Resource):
    """Automations: event-driven flows (mails, credits, gift cards) run for one contact."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[Automation]:
        """Every automation of the account. ``GET /automations``.

        (docs: automations, "List Automations").
        """
        return await self._transport.request(
            "GET", "/automations", list[Automation], headers=extra_headers
        )

    async def create_run(
        self,
        *,
        automation_uuid: str,
        contact_uuid: str,
        data: Mapping[str, Any] | None = None,
        extra_headers: Headers | None = None,
    ) -> None:
        """Run an automation (its event must be ``contact_updated``) for one contact, with
        optional ``data`` handed to the run. ``POST /automations/runs``.
        (docs: automations, "Create Automation Run").
        """
        body: dict[str, Any] = {
            "automation_uuid": check_text(automation_uuid, "automation_uuid"),
            "contact_uuid": check_text(contact_uuid, "contact_uuid"),
        }
        if data is not None:
            if not isinstance(data, Mapping):
                raise InvalidArgumentError(
                    f"data must be a mapping, not {type(data).__name__}", argument="data"
                )
            body["data"] = dict(data)
        await self._transport.request(
            "POST", "/automations/runs", Any, json=body, headers=extra_headers
        )
