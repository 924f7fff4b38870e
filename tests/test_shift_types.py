"""shift-types.md: request shapes, documented examples, and the fake's stateful answers."""

from __future__ import annotations

import pytest

from piggy_async import APIStatusError, AsyncPiggy, InvalidArgumentError, Page, ShiftType
from piggy_async.testing import FakePiggy

from .conftest import Api
from .section_checks import UUID, assert_piggy_error, check_example, check_shape, doc_calls, raw

DOCS = doc_calls("shift-types")
NIGHT = {"name": "Night", "description": "Shifts between 23:00 and 06:00"}

CALLS = [
    ("List Shift Types", lambda p: p.shift_types.list(), set()),
    ("List Shift Types", lambda p: p.shift_types.list(page=1, limit=1), {"page", "limit"}),
    ("Create Shift Type", lambda p: p.shift_types.create(**NIGHT), set(NIGHT)),
    ("Find Shift Type by Name", lambda p: p.shift_types.find_one_by(name="Night"), {"name"}),
    ("Get Shift Type", lambda p: p.shift_types.get(UUID), set()),
    ("Update Shift Type", lambda p: p.shift_types.update(UUID, **NIGHT), set(NIGHT)),
]


@pytest.mark.parametrize(("heading", "call", "sends"), CALLS)
async def test_request_shape(heading: str, call: object, sends: set[str]) -> None:
    await check_shape(DOCS[heading], call, sends)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("heading", "call"), [(h, c) for h, c, _ in CALLS if h != "List Shift Types" or not _]
)
async def test_documented_example_decodes(heading: str, call: object) -> None:
    result = await check_example(DOCS[heading], call)  # type: ignore[arg-type]
    shift_type = result.items[0] if isinstance(result, Page) else result
    assert isinstance(shift_type, ShiftType)
    assert shift_type.name == "Night"


async def test_lifecycle(api: Api, fake: FakePiggy) -> None:
    night = await api(lambda p: p.shift_types.create(**NIGHT))
    assert (await api(lambda p: p.shift_types.get(night.uuid))) == night
    assert (await api(lambda p: p.shift_types.find_one_by(name="Night"))).uuid == night.uuid
    changed = await api(
        lambda p: p.shift_types.update(night.uuid, name="Late night", description="From 01:00")
    )
    assert (changed.uuid, changed.name, changed.description) == (
        night.uuid,
        "Late night",
        "From 01:00",
    )
    await api(lambda p: p.shift_types.create(name="Weekend", description="Sat and Sun"))
    names = [t.name for t in await api.items(lambda p: p.shift_types.iter_all(page_size=1))]
    assert names == ["Late night", "Weekend"]


async def test_documented_errors(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    for call in (
        piggy.shift_types.get(UUID),
        piggy.shift_types.update(UUID, **NIGHT),
        piggy.shift_types.find_one_by(name="Night"),
    ):
        with pytest.raises(APIStatusError) as unknown:
            await call
        assert (unknown.value.status_code, unknown.value.code) == (400, 80550)
    answer = await raw(fake, "POST", "/shift-types", {"name": "Night"})
    assert_piggy_error(answer, 1003, "Invalid input.")
    assert not fake.store.shift_types


async def test_bad_arguments_fail_before_any_request(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    before = len(fake.requests)
    with pytest.raises(InvalidArgumentError, match="description"):
        await piggy.shift_types.create(name="Night", description="")
    with pytest.raises(InvalidArgumentError, match="uuid"):
        await piggy.shift_types.update("", **NIGHT)
    assert len(fake.requests) == before
