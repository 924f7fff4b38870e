"""Type test (mypy --strict, not run by pytest): the fake_piggy fixture's attributes are typed."""

from __future__ import annotations

from typing import Any

from piggy_async import AsyncPiggy, Contact, CreditBalance
from piggy_async.testing import FakePiggyFixture, Faults, RecordedRequest, Store


async def uses_the_fixture(fake_piggy: FakePiggyFixture) -> None:
    piggy: AsyncPiggy = fake_piggy.piggy
    store: Store = fake_piggy.store
    faults: Faults = fake_piggy.faults
    requests: list[RecordedRequest] = fake_piggy.requests
    base_url: str = fake_piggy.base_url
    contact: Contact = await piggy.contacts.get("uuid")
    as_dict: dict[str, Any] = contact.to_dict()
    as_json: str = contact.to_json()
    balance: CreditBalance = await piggy.contacts.get_credit_balance(contact.uuid)
    print(store, faults, requests, base_url, as_dict, as_json, balance)
