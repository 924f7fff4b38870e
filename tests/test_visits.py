"""visits.md: request shapes, documented examples, and the fake's stateful answers."""

from __future__ import annotations

import pytest

from piggy_async import APIStatusError, AsyncPiggy, InvalidArgumentError, Visit
from piggy_async.testing import FakePiggy

from .conftest import Api
from .section_checks import UUID, assert_piggy_error, check_example, check_shape, doc_calls, raw

DOCS = doc_calls("visits")
ALL = {
    "external_id": "V-0012",
    "source": "Website",
    "starts_at": "2024-05-01T20:00:00+00:00",
    "ends_at": "2024-05-01T22:30:00+00:00",
}


@pytest.mark.parametrize(
    ("heading", "call", "sends"),
    [
        (
            "Create Visit",
            lambda p: p.visits.create(shop_uuid=UUID, contact_uuid=UUID),
            {"shop_uuid", "contact_uuid"},
        ),
        (
            "Create Visit",
            lambda p: p.visits.create(shop_uuid=UUID, contact_uuid=UUID, **ALL),
            {"shop_uuid", "contact_uuid", *ALL},
        ),
        ("Update Visit", lambda p: p.visits.update(UUID, **ALL), set(ALL)),
        ("Update Visit", lambda p: p.visits.update(UUID, ends_at=ALL["ends_at"]), {"ends_at"}),
    ],
)
async def test_request_shape(heading: str, call: object, sends: set[str]) -> None:
    await check_shape(DOCS[heading], call, sends)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("heading", "call"),
    [
        ("Create Visit", lambda p: p.visits.create(shop_uuid=UUID, contact_uuid=UUID)),
        ("Update Visit", lambda p: p.visits.update(UUID, source="Website")),
    ],
)
async def test_documented_example_decodes(heading: str, call: object) -> None:
    visit = await check_example(DOCS[heading], call)  # type: ignore[arg-type]
    assert isinstance(visit, Visit)
    assert visit.external_id == "V-0012"


async def test_create_then_update(api: Api, fake: FakePiggy) -> None:
    contact_uuid = next(iter(fake.store.contacts))
    shop_uuid = fake.store.shops[1]["uuid"]
    visit = await api(
        lambda p: p.visits.create(shop_uuid=shop_uuid, contact_uuid=contact_uuid, source="App")
    )
    assert visit.contact.uuid == contact_uuid
    assert visit.source == "App"
    changed = await api(lambda p: p.visits.update(visit.uuid, external_id="V-1"))
    assert (changed.uuid, changed.source, changed.external_id) == (visit.uuid, "App", "V-1")


async def test_external_id_is_unique(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    contact_uuid = next(iter(fake.store.contacts))
    shop_uuid = fake.store.shop["uuid"]
    first = await piggy.visits.create(
        shop_uuid=shop_uuid, contact_uuid=contact_uuid, external_id="X"
    )
    with pytest.raises(APIStatusError) as taken:
        await piggy.visits.create(shop_uuid=shop_uuid, contact_uuid=contact_uuid, external_id="X")
    assert (taken.value.status_code, taken.value.code) == (400, 1003)
    assert "external_id" in taken.value.errors
    assert list(fake.store.visits) == [first.uuid]
    again = await piggy.visits.update(first.uuid, external_id="X")  # its own id is fine
    assert again.external_id == "X"


async def test_documented_errors(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    contact_uuid = next(iter(fake.store.contacts))
    with pytest.raises(APIStatusError) as unknown_contact:
        await piggy.visits.create(shop_uuid=fake.store.shop["uuid"], contact_uuid=UUID)
    assert (unknown_contact.value.status_code, unknown_contact.value.code) == (400, 55031)
    with pytest.raises(APIStatusError) as unknown_shop:
        await piggy.visits.create(shop_uuid=UUID, contact_uuid=contact_uuid)
    assert (unknown_shop.value.status_code, unknown_shop.value.code) == (400, 1008)
    body = {"shop_uuid": fake.store.shop["uuid"], "contact_uuid": contact_uuid, "starts_at": "soon"}
    assert_piggy_error(await raw(fake, "POST", "/visits", body), 1003, "Invalid input.")
    answer = await raw(fake, "PUT", f"/visits/{UUID}", {"source": "App"})
    assert_piggy_error(answer, 1003, "Invalid input.")  # the only code the call lists


async def test_bad_arguments_fail_before_any_request(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    before = len(fake.requests)
    with pytest.raises(InvalidArgumentError, match="shop_uuid"):
        await piggy.visits.create(shop_uuid=None, contact_uuid=UUID)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="external_id"):
        await piggy.visits.update(UUID, external_id="")
    assert len(fake.requests) == before


async def test_dates_are_checked(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    before = len(fake.requests)
    with pytest.raises(InvalidArgumentError, match="starts_at"):
        await piggy.visits.update(UUID, starts_at="")
    with pytest.raises(InvalidArgumentError, match="ends_at"):
        await piggy.visits.update(UUID, ends_at=1714600000)  # type: ignore[arg-type]
    assert len(fake.requests) == before
