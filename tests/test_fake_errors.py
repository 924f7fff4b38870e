"""The fake server fails like documented Piggy: HTTP 400 with a code the docs list for the call.

Every call mapped in ``tests/sections/<section>.py`` (``EXAMPLES``) names things the fake does
not know (a random UUID, an unknown email or code). The fake must answer with HTTP 400 and
one of the codes the docs list under that call's "Possible errors", with the documented
message, and the client must raise that code's class.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import piggy_async.testing
from piggy_async import (
    APIStatusError,
    ContactNotFoundError,
    ErrorCode,
    InsufficientBalanceError,
)
from piggy_async._codes import CODES
from piggy_async._error_map import code_error_class
from piggy_async.testing import FakePiggy

from . import sections
from .conftest import SHARED
from .docs_examples import DocCall, parse_docs, section_name

DOCS = SHARED / "piggy-docs"
SECTIONS = sections.load()
MESSAGES = {(row.code, row.message) for row in CODES}

#: (section, heading) -> why the fake cannot fail this call (it creates something).
SUCCEEDS: dict[tuple[str, str], str] = {
    ("contacts", "Create Contact"): "creates the contact",
    ("contacts", "Create Contact Async"): "creates the contact",
    ("contacts", "Create Anonymous Contact"): "creates the contact",
    ("contacts", "Find or Create Contact"): "creates the contact",
    ("contacts", "Find or Create Contact Async"): "creates the contact",
    ("contacts", "List Contacts"): "lists nothing",
    ("vouchers", "List Vouchers"): "lists nothing (the call names no promotion)",
    ("giftcards", "List Giftcards"): "lists nothing (the call names no program)",
    ("forms", "List Forms"): "lists (only 1003 documented; the client checks the filters)",
    ("referrals", "List Referrals"): "lists (only 1003 documented; the client checks status)",
    ("webhooks", "List Webhook Subscriptions"): "lists (only 1003 documented)",
    ("webhooks", "Create Webhook Subscription"): "creates the subscription (only 1003)",
    ("perks", "Create Perk"): "creates the perk (only 1003 documented)",
    ("promotions", "Create Promotion"): "creates the promotion (only 1003 documented)",
    ("shift_teams", "Create Team"): "creates the team",
    ("shift_types", "Create Shift Type"): "creates the shift type",
}

#: (section, heading) -> the code the fake answers where the call's own "Possible errors"
#: leave the failure out (each one is a row of docs/fidelity.md).
UNLISTED: dict[tuple[str, str], ErrorCode] = {
    # lists 5002, 5003, 5006, 5008 for the giftcard, but not "Giftcard not found."
    ("giftcard_transactions", "Create Giftcard Transaction"): ErrorCode.GIFTCARD_NOT_FOUND,
    # lists 1003, 55031, 60006, but not "Contact identifier not found." (as Unlink does)
    ("contact_identifiers", "Update Contact Identifier"): ErrorCode.CONTACT_IDENTIFIER_NOT_FOUND,
    # list only 1003 (credit, reward) or contact/shop codes (prepaid): fidelity.md rows 20, 28
    ("credit_receptions", "Reverse Credit Reception"): ErrorCode.MODEL_NOT_FOUND,
    ("reward_receptions", "Reverse Reward Reception"): ErrorCode.MODEL_NOT_FOUND,
    ("prepaid_transactions", "Reverse Prepaid Transaction"): ErrorCode.MODEL_NOT_FOUND,
    # lists only 1003 "Invalid input."; an unknown session is the generic "Model not found."
    ("portal_sessions", "Get Portal Session"): ErrorCode.MODEL_NOT_FOUND,
}


def _rows() -> list[Any]:
    if not DOCS.is_dir():
        return []
    rows = []
    for doc in parse_docs(DOCS):
        name = section_name(doc.page)
        mapping = SECTIONS.get(name)
        call = None if mapping is None else mapping.EXAMPLES.get(doc.heading)
        if call is None or (name, doc.heading) in SUCCEEDS or not doc.errors:
            continue
        extra = UNLISTED.get((name, doc.heading))
        rows.append(pytest.param(doc, call, extra, id=doc.where))
    return rows


ROWS = _rows()


@pytest.mark.skipif(not ROWS, reason=f"Piggy's docs pages not found at {DOCS}")
@pytest.mark.parametrize(("doc", "call", "extra"), ROWS or [(None, None, None)])
async def test_unknown_things_fail_with_a_documented_code(
    doc: DocCall, call: sections.Call, extra: ErrorCode | None
) -> None:
    async with FakePiggy() as fake, fake.client(max_retries=0) as piggy:
        with pytest.raises(APIStatusError) as info:
            await asyncio.wait_for(call(piggy), 10)
    err = info.value
    documented = {code for code, _ in doc.errors} | ({extra} if extra else set())
    assert err.status_code == 400, f"{doc.where}: HTTP {err.status_code}"
    assert err.code in documented, f"{doc.where}: code {err.code}, docs: {sorted(documented)}"
    assert isinstance(err.code, ErrorCode)
    assert (int(err.code), err.message) in MESSAGES, f"{doc.where}: {err.message!r}"
    expected = code_error_class(err.code, err.message)
    if expected is not None:
        assert type(err) is expected


def test_no_route_answers_a_piggy_code_with_404() -> None:
    """Piggy answers its coded errors with 400; only an unknown route is a bare 404."""
    testing = Path(piggy_async.testing.__file__).parent
    offenders = [
        f"{path.relative_to(testing)}:{number}"
        for path in sorted(testing.rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if "PiggyHTTPError(404" in line
    ]
    assert offenders == []


async def test_a_known_contact_still_found_and_an_unknown_one_is_400() -> None:
    async with FakePiggy(contacts=1) as fake, fake.client(max_retries=0) as piggy:
        known = next(iter(fake.store.contacts))
        assert (await piggy.contacts.get(known)).uuid == known
        with pytest.raises(ContactNotFoundError) as info:
            await asyncio.wait_for(piggy.contacts.get(sections.UUID), 10)
    assert info.value.status_code == 400
    assert info.value.message == "Contact not found."
    assert fake.requests[-1].status == 400


async def test_families_through_the_fake() -> None:
    """Not enough credits (1017) and not enough on a giftcard (5003): one family, two codes."""
    async with FakePiggy(contacts=1) as fake, fake.client(max_retries=0) as piggy:
        contact = next(iter(fake.store.contacts))
        shop = fake.store.shops[0]["uuid"]
        reward = max(fake.store.rewards.values(), key=lambda r: r["required_credits"])
        fake.store.contacts[contact]["credit_balance"]["balance"] = 0
        with pytest.raises(InsufficientBalanceError) as credits:
            await asyncio.wait_for(
                piggy.reward_receptions.create(
                    contact_uuid=contact, reward_uuid=reward["uuid"], shop_uuid=shop
                ),
                10,
            )
        program = fake.store.giftcard_programs[0]["uuid"]
        card = await piggy.giftcards.create(giftcard_program_uuid=program, type="DIGITAL")
        with pytest.raises(InsufficientBalanceError) as amount:
            await asyncio.wait_for(
                piggy.giftcard_transactions.create(
                    shop_uuid=shop, giftcard_uuid=card.uuid, amount_in_cents=-(10**6)
                ),
                10,
            )
    assert reward["required_credits"] > 0
    assert (credits.value.code, credits.value.status_code) == (ErrorCode.INSUFFICIENT_CREDITS, 400)
    assert amount.value.code == ErrorCode.GIFTCARD_INSUFFICIENT_AMOUNT
