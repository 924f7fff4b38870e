"""Prepaid transactions (docs page ``prepaid-transactions``): list and balance paths."""

from __future__ import annotations

import pytest

from piggy_async import AsyncPiggy, InvalidArgumentError, PrepaidTransaction
from piggy_async.testing import FakePiggy

from .test_endpoints import assert_sent


async def test_list_filters_by_contact_and_pages(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    first, second = list(fake.store.contacts)[:2]
    shop_uuid = fake.store.shop["uuid"]
    for uuid, cents in ((first, 500), (first, 700), (second, 300)):
        await piggy.prepaid_transactions.create(
            contact_uuid=uuid, amount_in_cents=cents, shop_uuid=shop_uuid
        )
    page = await piggy.prepaid_transactions.list(contact_uuid=first, limit=1)
    assert_sent(fake, "GET", "/prepaid-transactions", {"contact_uuid": first, "limit": "1"})
    assert [type(t) for t in page.items] == [PrepaidTransaction]
    assert page.items[0].amount_in_cents == 500
    every = [t async for t in piggy.prepaid_transactions.iter_all(contact_uuid=first, page_size=1)]
    assert [t.amount_in_cents for t in every] == [500, 700]
    balance = await piggy.contacts.get_prepaid_balance(first)
    assert_sent(fake, "GET", f"/contacts/{first}/prepaid-balance")
    assert (
        balance.balance_in_cents
        == fake.store.contacts[first]["prepaid_balance"]["balance_in_cents"]
    )


async def test_list_limit_is_at_most_30(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    with pytest.raises(InvalidArgumentError, match="limit"):
        await piggy.prepaid_transactions.list(limit=31)
    assert fake.requests == []
