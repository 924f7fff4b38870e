"""The fake server's routes of Piggy's ``contact-verification`` docs page."""

from __future__ import annotations

import secrets

from aiohttp import web

from ..server_base import PiggyHTTPError, contact_not_found, invalid, is_email, ok
from ._base import Routes, required, route

__all__ = ["ContactVerificationRoutes"]


class ContactVerificationRoutes(Routes):
    """Contact verification: the fake's answers to the ``contact-verification`` calls."""

    @route("POST", "/contact-verification/send")
    async def send_code(self, request: web.Request) -> web.Response:
        email = self.body_of(request).get("email")
        if not is_email(email):
            raise invalid("email", "The email must be a valid email address.")
        if str(email).lower() not in self.store.by_email:
            raise contact_not_found()
        self.store.verification_codes[str(email)] = f"{secrets.randbelow(10**6):06d}"
        return ok(
            {
                "type": "Success",
                "message": f"An email containing a link to verify your email has been sent to "
                f"{email}. Please check your spam / junk as well.",
            }
        )

    @route("POST", "/contact-verification/verify")
    async def verify_code(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "email", "code")
        if self.store.verification_codes.get(body["email"]) != str(body["code"]):
            raise PiggyHTTPError(400, 13010, "Passcode not found.")
        del self.store.verification_codes[body["email"]]
        return ok({"uuid": self.store.by_email[str(body["email"]).lower()]}, {})

    @route("GET", "/contact-verification/auth-token/{uuid}")
    async def auth_token(self, request: web.Request) -> web.Response:
        self.contact_of(request.match_info["uuid"])
        return ok({"auth_token": secrets.token_urlsafe(48)})
