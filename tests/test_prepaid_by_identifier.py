"""Prepaid transactions by contact identifier (docs: prepaid-transactions, "Create Prepaid
Transaction": ``contact_uuid`` and ``contact_identifier_value`` each REQUIRED_WITHOUT the
other), against the fake over 127.0.0.1."""

from __future__ import annotations

import pytest

from piggy_async import ErrorCode, InactiveError, InvalidArgumentError, NotFoundError
from piggy_async.testing import FakePiggy


async def test_a_card_pays_for_its_contact() -> None:
    async with FakePiggy(contacts=1) as fake, fake.client(max_retries=0) as piggy:
        contact_uuid = next(iter(fake.store.contacts))
        shop_uuid = fake.store.shop["uuid"]
        await piggy.contact_identifiers.create(
            contact_identifier_value="CARD-1", contact_uuid=contact_uuid
        )
        top_up = await piggy.prepaid_transactions.create(
            contact_identifier_value="CARD-1", amount_in_cents=1500, shop_uuid=shop_uuid
        )
        assert fake.requests[-1].json == {
            "contact_identifier_value": "CARD-1",
            "amount_in_cents": 1500,
            "shop_uuid": shop_uuid,
        }
        assert top_up.contact is not None
        assert top_up.contact.uuid == contact_uuid
        assert top_up.contact_identifier is not None
        assert top_up.contact_identifier.value == "CARD-1"
        balance = await piggy.contacts.get_prepaid_balance(contact_uuid)
        assert top_up.prepaid_balance is not None
        assert top_up.prepaid_balance.balance_in_cents == balance.balance_in_cents

        with pytest.raises(NotFoundError) as unknown:
            await piggy.prepaid_transactions.create(
                contact_identifier_value="NO-SUCH-CARD", amount_in_cents=1, shop_uuid=shop_uuid
            )
        assert unknown.value.code == ErrorCode.CONTACT_IDENTIFIER_NOT_FOUND
        await piggy.contact_identifiers.update(
            contact_identifier_value="CARD-1", contact_identifier_active=False
        )
        with pytest.raises(InactiveError) as inactive:
            await piggy.prepaid_transactions.create(
                contact_identifier_value="CARD-1", amount_in_cents=1, shop_uuid=shop_uuid
            )
        assert inactive.value.code == ErrorCode.CONTACT_IDENTIFIER_INACTIVE


async def test_neither_contact_nor_identifier_is_refused_before_sending() -> None:
    async with FakePiggy() as fake, fake.client(max_retries=0) as piggy:
        with pytest.raises(InvalidArgumentError, match="contact_identifier_value"):
            await piggy.prepaid_transactions.create(amount_in_cents=1, shop_uuid="s")
    assert fake.requests == []
