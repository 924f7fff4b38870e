"""shift-teams.md: request shapes, documented examples, and the fake's stateful answers."""

from __future__ import annotations

import pytest

from piggy_async import APIStatusError, AsyncPiggy, InvalidArgumentError, Page, ShiftTeam
from piggy_async.testing import FakePiggy

from .conftest import Api
from .section_checks import UUID, assert_piggy_error, check_example, check_shape, doc_calls, raw

DOCS = doc_calls("shift-teams")

CALLS = [
    ("List Teams", lambda p: p.shift_teams.list(), set()),
    ("List Teams", lambda p: p.shift_teams.list(page=2, limit=100), {"page", "limit"}),
    ("Create Team", lambda p: p.shift_teams.create(name="Management"), {"name"}),
    ("Find Team by Name", lambda p: p.shift_teams.find_one_by(name="Management"), {"name"}),
    ("Get Team", lambda p: p.shift_teams.get(UUID), set()),
    ("Update Team", lambda p: p.shift_teams.update(UUID, name="Management"), {"name"}),
]


@pytest.mark.parametrize(("heading", "call", "sends"), CALLS)
async def test_request_shape(heading: str, call: object, sends: set[str]) -> None:
    await check_shape(DOCS[heading], call, sends)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("heading", "call"), [(h, c) for h, c, _ in CALLS if h != "List Teams" or not _]
)
async def test_documented_example_decodes(heading: str, call: object) -> None:
    result = await check_example(DOCS[heading], call)  # type: ignore[arg-type]
    team = result.items[0] if isinstance(result, Page) else result
    assert isinstance(team, ShiftTeam)
    assert team.name in ("Kitchen Staff", "Management")


async def test_lifecycle(api: Api, fake: FakePiggy) -> None:
    team = await api(lambda p: p.shift_teams.create(name="Kitchen Staff"))
    assert (await api(lambda p: p.shift_teams.get(team.uuid))) == team
    assert (await api(lambda p: p.shift_teams.find_one_by(name="Kitchen Staff"))).uuid == team.uuid
    renamed = await api(lambda p: p.shift_teams.update(team.uuid, name="Kitchen"))
    assert (renamed.uuid, renamed.name) == (team.uuid, "Kitchen")
    with pytest.raises(APIStatusError) as gone:
        await api(lambda p: p.shift_teams.find_one_by(name="Kitchen Staff"))
    assert (gone.value.status_code, gone.value.code) == (400, 80540)
    for n in range(4):
        await api(lambda p, n=n: p.shift_teams.create(name=f"Team {n}"))
    names = [t.name for t in await api.items(lambda p: p.shift_teams.iter_all(page_size=2))]
    assert names == ["Kitchen", "Team 0", "Team 1", "Team 2", "Team 3"]
    page = await api(lambda p: p.shift_teams.list(page=3, limit=2))
    assert (page.meta.page, page.meta.per_page, page.meta.last_page, page.meta.total) == (
        3,
        2,
        3,
        5,
    )
    assert page.next_page is None


async def test_documented_errors(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    for call in (
        piggy.shift_teams.get(UUID),
        piggy.shift_teams.update(UUID, name="X"),
        piggy.shift_teams.find_one_by(name="nobody"),
    ):
        with pytest.raises(APIStatusError) as unknown:
            await call
        assert (unknown.value.status_code, unknown.value.code) == (400, 80540)
    assert_piggy_error(await raw(fake, "POST", "/shift-teams", {}), 1003, "Invalid input.")
    assert_piggy_error(await raw(fake, "POST", "/shift-teams", {"name": 7}), 1003, "Invalid input.")
    await piggy.shift_teams.create(name="Bar")
    with pytest.raises(APIStatusError) as taken:
        await piggy.shift_teams.create(name="Bar")
    assert (taken.value.code, list(taken.value.errors)) == (1003, ["name"])


async def test_bad_arguments_fail_before_any_request(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    before = len(fake.requests)
    with pytest.raises(InvalidArgumentError, match="name"):
        await piggy.shift_teams.create(name=" ")
    with pytest.raises(InvalidArgumentError, match="page"):
        await piggy.shift_teams.list(page=0)
    with pytest.raises(InvalidArgumentError, match="page_size"):
        piggy.shift_teams.iter_all(page_size=0)
    assert len(fake.requests) == before
