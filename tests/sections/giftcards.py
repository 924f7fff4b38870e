"""giftcards.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

PROGRAM = "9e9ea3c4-0000-4000-8000-000000000001"

EXAMPLES: dict[str, Call] = {
    "List Giftcards": lambda p: p.giftcards.list(page=1),
    "Get Giftcard": lambda p: p.giftcards.get(UUID),
    "Find Giftcard by Hash": lambda p: p.giftcards.find_one_by(hash="abc123"),
    "Create Giftcard": lambda p: p.giftcards.create(giftcard_program_uuid=PROGRAM, type="DIGITAL"),
    "Send Giftcard by Email": lambda p: p.giftcards.send_by_email(UUID, contact_uuid=UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "List Giftcards",
        lambda p: p.giftcards.list(giftcard_program_uuid=PROGRAM, page=2, limit=10),
        "giftcard_program_uuid",
        "page",
        "limit",
    ),
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
