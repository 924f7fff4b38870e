"""portal-sessions.md: which method returns each documented example, and what each call
sends. (The six kinds of session are tested further in ``tests/test_portal_session_kinds.py``.)"""

from __future__ import annotations

from . import UUID, Call, shape

KIND_METHODS = {
    "Create Credit Reception Portal Session": "create_credit_reception",
    "Create Redeem Giftcard Portal Session": "create_redeem_giftcards",
    "Create Top Up Giftcard Portal Session": "create_top_up_giftcards",
    "Create Pay Prepaid Portal Session": "create_pay_prepaid",
    "Create Top Up Prepaid Portal Session": "create_top_up_prepaid",
    "Create Voucher Portal Session": "create_vouchers",
}
OPTIONS = {
    "contact_uuid": UUID,
    "scanner_type": "hand_scanner",
    "enable_email_identification": True,
    "enable_registration": True,
    "enable_on_screen_keyboard": False,
    "camera_service": 3,
    "facing_mode": "user",
    "primary_identification_method": "identifier",
}


def _kind(method: str, **arguments: object) -> Call:
    if method == "create_redeem_giftcards":
        arguments.setdefault("amount_in_cents", 1040)
    return lambda p: getattr(p.portal_sessions, method)(shop_uuid=UUID, **arguments)


EXAMPLES: dict[str, Call] = {
    "Get Portal Session": lambda p: p.portal_sessions.get(UUID),
    "Create Portal Session": lambda p: p.portal_sessions.create(shop_uuid=UUID),
    **{heading: _kind(method) for heading, method in KIND_METHODS.items()},
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("Get Portal Session", lambda p: p.portal_sessions.get(UUID)),
    shape(
        "Create Portal Session",
        lambda p: p.portal_sessions.create(shop_uuid=UUID, contact_uuid=UUID),
        "shop_uuid",
        "contact_uuid",
    ),
    shape(
        "Create Portal Session",
        lambda p: p.portal_sessions.create(shop_uuid=UUID, **OPTIONS),
        "shop_uuid",
        *OPTIONS,
    ),
    *(
        shape(
            heading,
            _kind(method),
            "shop_uuid",
            *(["amount_in_cents"] if "Redeem" in heading else []),
        )
        for heading, method in KIND_METHODS.items()
    ),
    *(
        shape(
            heading,
            _kind(method, **OPTIONS),
            "shop_uuid",
            *OPTIONS,
            *(["amount_in_cents"] if "Redeem" in heading else []),
        )
        for heading, method in KIND_METHODS.items()
    ),
    shape(
        "Create Redeem Giftcard Portal Session",
        _kind("create_redeem_giftcards", allow_multiple_giftcards=False),
        "shop_uuid",
        "amount_in_cents",
        "allow_multiple_giftcards",
    ),
]
