"""``request_headers``: headers for every call made inside a block (a request-scoped
X-Request-ID set in middleware), per task, in the async client and the sync facade."""

from __future__ import annotations

import asyncio
import threading

import pytest

import piggy_sync
from piggy_async import AsyncPiggy, ConfigurationError, request_headers
from piggy_async.testing import FakePiggy
from piggy_sync import _runtime


def _sent(fake: FakePiggy, name: str) -> list[str | None]:
    return [r.headers.get(name) for r in fake.requests]


async def test_calls_inside_the_block_carry_the_headers(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    await piggy.contacts.get(contact_uuid)
    with request_headers({"X-Request-ID": "r-1"}):
        await piggy.contacts.get(contact_uuid)
        with request_headers({"X-Tenant": "t-9"}):  # an inner block adds to the outer one
            await piggy.contacts.create(email="scoped@example.com")
        await piggy.contacts.list()
    await piggy.contacts.list()
    assert _sent(fake, "X-Request-ID") == [None, "r-1", "r-1", "r-1", None]
    assert _sent(fake, "X-Tenant") == [None, None, "t-9", None, None]
    post = fake.requests[2]
    assert post.headers["Content-Type"] == "application/json"  # a JSON body stays JSON
    assert post.headers["Authorization"].startswith("Bearer ")


async def test_tasks_see_their_own_block_and_inherit_their_parents(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    async def handler(rid: str) -> None:
        with request_headers({"X-Request-ID": rid}):
            await asyncio.sleep(0)  # interleave with the other handlers
            child = asyncio.create_task(piggy.contacts.get(contact_uuid))
            await piggy.contacts.get(contact_uuid)
            await child

    await asyncio.wait_for(asyncio.gather(*(handler(f"r-{i}") for i in range(5))), 10)
    sent = _sent(fake, "X-Request-ID")
    assert sorted(sent) == sorted(f"r-{i}" for i in range(5) for _ in range(2))


async def test_a_view_and_a_block_both_apply(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    view = piggy.with_options(extra_headers={"X-App": "shop", "X-Request-ID": "view"})
    with request_headers({"X-Request-ID": "block"}):
        await view.contacts.get(contact_uuid)
    sent = fake.requests[-1].headers
    assert (sent["X-App"], sent["X-Request-ID"]) == ("shop", "block")  # the block wins


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"Authorization": "Bearer x"}, "credentials"),
        ({"X-Request-ID": "a\r\nX-Evil: 1"}, "X-Request-ID"),
        ({"X Request": "a"}, "not a valid header name"),
        ({"X-Request-ID": 5}, "must be text"),
        (["X-Request-ID"], "mapping"),
    ],
)
def test_bad_headers_are_refused_before_any_call(headers: object, words: str) -> None:
    with pytest.raises(ConfigurationError, match=words):
        request_headers(headers)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["a\r\nX-Evil: 1", "a\nb", "a\x00", "a\ud800"])
def test_a_known_header_name_still_has_its_value_checked(piggy: AsyncPiggy, value: str) -> None:
    """The per-call fast check (a name seen valid before, printable text) lets no CR, LF, NUL
    or lone surrogate through, in a block or a per-request view."""
    request_headers({"X-Request-ID": "seen"})  # the name is now known valid
    piggy.with_options(extra_headers={"X-Request-ID": "seen"})
    with pytest.raises(ConfigurationError, match="X-Request-ID"):
        request_headers({"X-Request-ID": value})
    with pytest.raises(ConfigurationError, match="X-Request-ID"):
        piggy.with_options(extra_headers={"X-Request-ID": value})
    with pytest.raises(ConfigurationError, match="X-Request-ID"):
        piggy.with_options(timeout=3.0, extra_headers={"X-Request-ID": value})


async def test_text_that_is_not_printable_but_allowed_is_sent(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    """A tab or a non-ASCII letter fails the fast check but is valid header text: sent."""
    for value in ("a\tb", "café"):
        await piggy.with_options(extra_headers={"X-Note": value}).contacts.get(contact_uuid)
        with request_headers({"X-Note": value}):
            await piggy.contacts.get(contact_uuid)
    assert _sent(fake, "X-Note")[-4:] == ["a\tb", "a\tb", "café", "café"]


def test_the_sync_facade_carries_the_callers_block(threaded_fake: FakePiggy) -> None:
    uuid = next(iter(threaded_fake.store.contacts))
    with piggy_sync.Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as piggy:
        with piggy_sync.request_headers({"X-Request-ID": "main"}):
            piggy.contacts.get(uuid)  # the calling thread's own loop

        def worker() -> None:
            with piggy_sync.request_headers({"X-Request-ID": "thread"}):
                piggy.contacts.get(uuid)

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join(timeout=30)

        async def notebook_cell() -> None:  # a running loop: the call goes through the portal
            with piggy_sync.request_headers({"X-Request-ID": "portal"}):
                piggy.contacts.get(uuid)

        _runtime._state.warned = False
        with pytest.warns(piggy_sync.BlockingCallWarning):
            asyncio.run(notebook_cell())
        piggy.contacts.get(uuid)
    assert _sent(threaded_fake, "X-Request-ID") == ["main", "thread", "portal", None]
