"""contact-verification.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import EMAIL, UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "Send Contact Verification Email": lambda p: p.contact_verification.send(email=EMAIL),
    "Verify Login Code": lambda p: p.contact_verification.verify(email=EMAIL, code="123456"),
    "Get Auth Token": lambda p: p.contact_verification.get_auth_token(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "Send Contact Verification Email",
        lambda p: p.contact_verification.send(email=EMAIL),
        "email",
    ),
    shape(
        "Verify Login Code",
        lambda p: p.contact_verification.verify(email=EMAIL, code="123456"),
        "email",
        "code",
    ),
    shape("Get Auth Token", lambda p: p.contact_verification.get_auth_token(UUID)),
]
