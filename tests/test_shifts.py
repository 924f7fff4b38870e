"""shifts.md: request shapes, documented examples, and the fake's stateful answers."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from piggy_async import (
    APIStatusError,
    AsyncPiggy,
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
    Page,
    Shift,
)
from piggy_async.testing import FakePiggy

from .conftest import Api
from .section_checks import UUID, assert_piggy_error, check_example, check_shape, doc_calls, raw

DOCS = doc_calls("shifts")
TIMES = {"started_at": "2024-12-01T09:00:00+00:00", "ended_at": "2024-12-01T17:30:00+00:00"}
REQUIRED = {"contact_uuid": UUID, "shop_uuid": UUID, "status": "approved", **TIMES}
OPTIONAL = {
    "external_id": "ABC-123",
    "team_uuid": UUID,
    "shift_type_uuid": UUID,
    "break_in_minutes": 30,
}


@pytest.mark.parametrize(
    ("heading", "call", "sends"),
    [
        (
            "List Shifts",
            lambda p: p.shifts.list(shop_uuid=UUID, status="approved"),
            {"shop_uuid", "status"},
        ),
        (
            "List Shifts",
            lambda p: p.shifts.list(
                shop_uuid=UUID, status="approved", team_uuid=UUID, page=2, limit=10
            ),
            {"shop_uuid", "status", "team_uuid", "page", "limit"},
        ),
        ("Create Shift", lambda p: p.shifts.create(**REQUIRED), set(REQUIRED)),
        (
            "Create Shift",
            lambda p: p.shifts.create(**REQUIRED, **OPTIONAL),
            set(REQUIRED) | set(OPTIONAL),
        ),
        (
            "Find Shift by External ID",
            lambda p: p.shifts.find_one_by(external_id="A"),
            {"external_id"},
        ),
        ("Get Shift", lambda p: p.shifts.get(UUID), set()),
        (
            "Update Shift",
            lambda p: p.shifts.update(UUID, status="pending", **TIMES),
            {"status", *TIMES},
        ),
        (
            "Update Shift",
            lambda p: p.shifts.update(
                UUID,
                status="pending",
                contact_uuid=UUID,
                team_uuid=UUID,
                break_in_minutes=15,
                **TIMES,
            ),
            {"status", "contact_uuid", "team_uuid", "break_in_minutes", *TIMES},
        ),
        ("Delete Shift", lambda p: p.shifts.delete(UUID), set()),
    ],
)
async def test_request_shape(heading: str, call: object, sends: set[str]) -> None:
    await check_shape(DOCS[heading], call, sends)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("heading", "call"),
    [
        ("List Shifts", lambda p: p.shifts.list(shop_uuid=UUID, status="approved")),
        ("Create Shift", lambda p: p.shifts.create(**REQUIRED)),
        ("Find Shift by External ID", lambda p: p.shifts.find_one_by(external_id="ABC-123")),
        ("Get Shift", lambda p: p.shifts.get(UUID)),
        ("Update Shift", lambda p: p.shifts.update(UUID, status="approved", **TIMES)),
    ],
)
async def test_documented_example_decodes(heading: str, call: object) -> None:
    result = await check_example(DOCS[heading], call)  # type: ignore[arg-type]
    shift = result.items[0] if isinstance(result, Page) else result
    assert isinstance(shift, Shift)
    assert shift.contact is not None
    assert shift.contact.email == "john.doe@example.com"  # the docs' PHP-style [ 'uuid': ] object
    assert shift.net_duration_in_minutes == 480


@pytest.fixture
def arranged(fake: FakePiggy) -> dict[str, str]:
    team = {"uuid": "team-1", "name": "Kitchen Staff"}
    fake.store.shift_teams[team["uuid"]] = team
    kind = {"uuid": "type-1", "name": "Night", "description": "Nights"}
    fake.store.shift_types[kind["uuid"]] = kind
    return {
        "contact_uuid": next(iter(fake.store.contacts)),
        "shop_uuid": fake.store.shop["uuid"],
        "team_uuid": team["uuid"],
        "shift_type_uuid": kind["uuid"],
    }


async def test_lifecycle(api: Api, fake: FakePiggy, arranged: dict[str, str]) -> None:
    started = datetime(2024, 12, 1, 9, tzinfo=timezone.utc)
    shift = await api(
        lambda p: p.shifts.create(
            **arranged,
            started_at=started,
            ended_at="2024-12-01T17:30:00+00:00",
            status="approved",
            external_id="ABC-123",
            break_in_minutes=30,
        )
    )
    assert shift.net_duration_in_minutes == 480
    assert shift.started_at == started.isoformat()
    assert (await api(lambda p: p.shifts.get(shift.uuid))) == shift
    assert (await api(lambda p: p.shifts.find_one_by(external_id="ABC-123"))).uuid == shift.uuid
    listed = await api(lambda p: p.shifts.list(shop_uuid=arranged["shop_uuid"], status="approved"))
    assert [s.uuid for s in listed.items] == [shift.uuid]
    assert (listed.meta.page, listed.meta.per_page, listed.meta.total) == (1, 30, 1)
    changed = await api(
        lambda p: p.shifts.update(
            shift.uuid,
            status="pending",
            started_at="2024-12-01T08:00:00+00:00",
            ended_at="2024-12-01T15:30:00+00:00",
            break_in_minutes=45,
        )
    )
    assert (changed.status, changed.net_duration_in_minutes) == ("pending", 405)
    assert changed.team_uuid == arranged["team_uuid"]  # not sent, kept
    await api(lambda p: p.shifts.delete(shift.uuid))
    assert not fake.store.shifts
    with pytest.raises(APIStatusError) as gone:
        await api(lambda p: p.shifts.get(shift.uuid))
    assert (gone.value.status_code, gone.value.code) == (400, 80530)


async def test_iter_all_walks_every_page(piggy: AsyncPiggy, arranged: dict[str, str]) -> None:
    for hour in range(5):
        await piggy.shifts.create(
            contact_uuid=arranged["contact_uuid"],
            shop_uuid=arranged["shop_uuid"],
            started_at=f"2024-12-0{hour + 1}T09:00:00+00:00",
            ended_at=f"2024-12-0{hour + 1}T17:00:00+00:00",
            status="pending",
        )
    pager = piggy.shifts.iter_all(shop_uuid=arranged["shop_uuid"], status="pending", page_size=2)
    seen = [shift.started_at async for shift in pager]
    assert len(seen) == 5
    assert len(set(seen)) == 5


async def test_documented_errors(
    piggy: AsyncPiggy, fake: FakePiggy, arranged: dict[str, str]
) -> None:
    base = {**arranged, **TIMES, "status": "approved"}
    cases = [
        ({**base, "contact_uuid": UUID}, 55031),
        ({**base, "shop_uuid": UUID}, 1008),
        ({**base, "status": "unheard-of"}, 80531),
        ({**base, "team_uuid": UUID}, 80540),
        ({**base, "shift_type_uuid": UUID}, 80550),
    ]
    for body, code in cases:
        with pytest.raises(APIStatusError) as failed:
            await piggy.shifts.create(**body)
        assert (failed.value.status_code, failed.value.code) == (400, code), body
    assert not fake.store.shifts
    await piggy.shifts.create(**base, external_id="E-1")
    answer = await raw(fake, "POST", "/shifts", {**base, "external_id": "E-1"})
    # the docs give the duplicate the code of "Shift status not found." (docs/fidelity.md)
    assert_piggy_error(answer, 80531, "Shift with external id already exists for this account.")
    missing = {k: v for k, v in base.items() if k != "ended_at"}
    assert_piggy_error(await raw(fake, "POST", "/shifts", missing), 1003, "Invalid input.")
    for method, path in (("GET", "/shifts/find?external_id=nope"), ("DELETE", f"/shifts/{UUID}")):
        assert_piggy_error(await raw(fake, method, path), 80530, "Shift not found.")
    update = {**TIMES, "status": "approved"}
    assert_piggy_error(await raw(fake, "PUT", f"/shifts/{UUID}", update), 80530, "Shift not found.")
    query = f"/shifts?shop_uuid={arranged['shop_uuid']}&status=approved&team_uuid={UUID}"
    assert_piggy_error(await raw(fake, "GET", query), 80540, "Shift team not found.")
    query = f"/shifts?shop_uuid={UUID}&status=approved"
    assert_piggy_error(await raw(fake, "GET", query), 1008, "Shop not found.")


async def test_a_failed_update_changes_nothing(
    piggy: AsyncPiggy, fake: FakePiggy, arranged: dict[str, str]
) -> None:
    shift = await piggy.shifts.create(**arranged, **TIMES, status="approved")
    with pytest.raises(APIStatusError):
        await piggy.shifts.update(shift.uuid, status="approved", team_uuid=UUID, **TIMES)
    with pytest.raises(APIStatusError):  # ends before it starts
        await piggy.shifts.update(
            shift.uuid, status="pending", started_at=TIMES["ended_at"], ended_at=TIMES["started_at"]
        )
    assert await piggy.shifts.get(shift.uuid) == shift


async def test_bad_arguments_fail_before_any_request(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    before = len(fake.requests)
    with pytest.raises(InvalidArgumentError, match="status"):
        await piggy.shifts.list(shop_uuid=UUID, status="")
    with pytest.raises(InvalidArgumentError, match="limit"):
        await piggy.shifts.list(shop_uuid=UUID, status="approved", limit=101)
    with pytest.raises(InvalidArgumentError, match="shop_uuid"):
        piggy.shifts.iter_all(shop_uuid="", status="approved")
    with pytest.raises(InvalidArgumentError, match="break_in_minutes"):
        await piggy.shifts.create(**REQUIRED, break_in_minutes=-1)
    with pytest.raises(InvalidArgumentError, match="started_at"):
        await piggy.shifts.update(UUID, status="pending", started_at="", ended_at="x")
    with pytest.raises(InvalidArgumentError, match="shift_uuid"):
        await piggy.shifts.delete("")
    assert len(fake.requests) == before


async def test_errors_are_typed_by_meaning(piggy: AsyncPiggy, arranged: dict[str, str]) -> None:
    """80531 is both "Shift status not found." and the duplicate external id (as documented):
    the message decides the family."""
    base = {**arranged, **TIMES, "status": "approved", "external_id": "E-1"}
    await piggy.shifts.create(**base)
    with pytest.raises(ConflictError) as duplicate:
        await piggy.shifts.create(**base)
    assert duplicate.value.code == 80531
    with pytest.raises(NotFoundError) as status:
        await piggy.shifts.create(**{**base, "external_id": "E-2", "status": "unheard-of"})
    assert status.value.code == 80531
    with pytest.raises(NotFoundError) as shift:
        await piggy.shifts.get(UUID)
    assert shift.value.code == 80530
