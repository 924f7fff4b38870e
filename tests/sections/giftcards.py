"""giftcards.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

PROGRAM = "9e9ea3c4-0000-4000-8000-000000000001"

_PROGRAM = "the docs' giftcard_program has no uuid; the Giftcard model requires one"

EXAMPLES: dict[str, Call] = {
    "Get Giftcard": lambda p: p.giftcards.get(UUID),
    "Find Giftcard by Hash": lambda p: p.giftcards.find_one_by(hash="abc123"),
    "Create Giftcard": lambda p: p.giftcards.create(giftcard_program_uuid=PROGRAM, type="DIGITAL"),
    "Send Giftcard by Email": lambda p: p.giftcards.send_by_email(UUID, contact_uuid=UUID),
}

MISSING: dict[str, str] = {
    "List Giftcards": "no public method yet (giftcards.list)",
}

XFAIL: dict[str, str] = {
    "Get Giftcard": _PROGRAM,
    "Find Giftcard by Hash": _PROGRAM,
}

SHAPES = [
    shape("Get Giftcard", lambda p: p.giftcards.get(UUID)),
    shape("Find Giftcard by Hash", lambda p: p.giftcards.find_one_by(hash="abc123"), "hash"),
    shape(
        "Create Giftcard",
        lambda p: p.giftcards.create(giftcard_program_uuid=PROGRAM, type="PHYSICAL"),
        "giftcard_program_uuid",
        "type",
    ),
    shape(
        "Send Giftcard by Email",
        lambda p: p.giftcards.send_by_email(UUID, contact_uuid=UUID),
        "contact_uuid",
    ),
]
