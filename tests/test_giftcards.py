"""Giftcards (docs page ``giftcards``): the list, its meta and filter, against the fake."""

from __future__ import annotations

import msgspec
import pytest

from piggy_async import APIStatusError, AsyncPiggy, Giftcard, GiftcardTransaction
from piggy_async.testing import FakePiggy

from .test_endpoints import assert_sent


async def test_list_pages_and_filters_by_program(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    program_uuid = fake.store.giftcard_programs[0]["uuid"]
    made = [
        await piggy.giftcards.create(giftcard_program_uuid=program_uuid, type="DIGITAL")
        for _ in range(3)
    ]
    page = await piggy.giftcards.list(giftcard_program_uuid=program_uuid, limit=2)
    assert_sent(fake, "GET", "/giftcards", {"giftcard_program_uuid": program_uuid, "limit": "2"})
    assert [g.uuid for g in page.items] == [g.uuid for g in made[:2]]
    assert (page.meta.page, page.meta.per_page, page.meta.last_page, page.meta.total) == (
        1,
        2,
        2,
        3,
    )
    assert page.next_page == 2
    every = [g async for g in piggy.giftcards.iter_all(page_size=2)]
    assert [g.uuid for g in every] == [g.uuid for g in made]


async def test_list_of_an_unknown_program_is_1100(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    with pytest.raises(APIStatusError) as info:
        await piggy.giftcards.list(giftcard_program_uuid="no-such-program")
    assert (info.value.status_code, info.value.code) == (400, 1100)


def test_models_take_the_docs_shapes_without_uuids() -> None:
    # giftcards.md "Get Giftcard": giftcard_program has no uuid;
    # giftcard-transactions.md "Create Giftcard Transaction": "uuid": null.
    card = msgspec.json.decode(
        b'{"uuid": "g1", "giftcard_program": {"name": "My Giftcards", "active": true}}',
        type=Giftcard,
    )
    assert card.giftcard_program is not None
    assert (card.giftcard_program.uuid, card.giftcard_program.name) == (None, "My Giftcards")
    tx = msgspec.json.decode(b'{"uuid": null, "amount_in_cents": 100}', type=GiftcardTransaction)
    assert (tx.uuid, tx.amount_in_cents) == (None, 100)
