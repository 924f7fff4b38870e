"""Contacts (docs page ``contacts``): merge and a contact's identifiers against the fake."""

from __future__ import annotations

import pytest

from piggy_async import AsyncPiggy, ContactIdentifier, ContactNotFoundError
from piggy_async.testing import FakePiggy

from .test_endpoints import assert_sent


async def test_merge_moves_balances_identifiers_and_removes_the_source(
    piggy: AsyncPiggy, fake: FakePiggy
) -> None:
    source = fake.store.add_contact("old@example.com", credits=40)
    destination = fake.store.add_contact("new@example.com", credits=60)
    await piggy.contact_identifiers.create(
        contact_identifier_value="CARD-1", contact_uuid=source["uuid"]
    )
    fake.store.contacts[source["uuid"]]["prepaid_balance"]["balance_in_cents"] = 250
    before = fake.store.contacts[destination["uuid"]]["prepaid_balance"]["balance_in_cents"]

    await piggy.contacts.merge(
        source_contact_uuid=source["uuid"], destination_contact_uuid=destination["uuid"]
    )
    assert_sent(
        fake,
        "POST",
        "/contacts/merge",
        json={
            "source_contact_uuid": source["uuid"],
            "destination_contact_uuid": destination["uuid"],
        },
    )
    balance = await piggy.contacts.get_credit_balance(destination["uuid"])
    assert balance.balance == 100
    prepaid = await piggy.contacts.get_prepaid_balance(destination["uuid"])
    assert prepaid.balance_in_cents == before + 250
    identifiers = await piggy.contacts.list_contact_identifiers(destination["uuid"])
    assert_sent(fake, "GET", f"/contacts/{destination['uuid']}/contact-identifiers")
    assert [(type(i), i.value) for i in identifiers] == [(ContactIdentifier, "CARD-1")]
    assert identifiers[0].contact is not None
    assert identifiers[0].contact.uuid == destination["uuid"]
    with pytest.raises(ContactNotFoundError):
        await piggy.contacts.get(source["uuid"])


async def test_merge_with_an_unknown_contact_is_55031(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    known = next(iter(fake.store.contacts))
    with pytest.raises(ContactNotFoundError) as info:
        await piggy.contacts.merge(source_contact_uuid="nobody", destination_contact_uuid=known)
    assert info.value.code == 55031
    assert known in fake.store.contacts


async def test_identifiers_of_a_contact_without_any_is_empty(
    piggy: AsyncPiggy, fake: FakePiggy
) -> None:
    contact = fake.store.add_contact("solo@example.com")
    assert await piggy.contacts.list_contact_identifiers(contact["uuid"]) == []
