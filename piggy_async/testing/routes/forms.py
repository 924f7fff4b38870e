"""The fake server's routes of Piggy's ``forms`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import invalid, ok
from ._base import Routes, route

__all__ = ["FormsRoutes"]


class FormsRoutes(Routes):
    """Forms: the fake's answers to the ``forms`` calls."""

    @route("GET", "/forms")
    async def list_forms(self, request: web.Request) -> web.Response:
        forms = self.store.forms
        for key, allowed in (
            ("type", ("PUBLIC", "PRIVATE")),
            ("status", ("PUBLISHED", "DRAFT", "BIN")),
        ):
            wanted = request.query.get(key)
            if wanted is not None:
                if wanted not in allowed:
                    raise invalid(key, f"The selected {key} is invalid.")
                forms = [f for f in forms if f[key] == wanted]
        return ok(forms)
