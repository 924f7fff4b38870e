"""``extra_headers=`` on a method: headers sent with that one call only (its retries
included), checked like ``default_headers``, in the async client and the sync facade."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import piggy_sync
from piggy_async import AsyncPiggy, ConfigurationError, request_headers
from piggy_async._client import _RESOURCES
from piggy_async.testing import FakePiggy


def _sent(fake: FakePiggy, name: str) -> list[str | None]:
    return [r.headers.get(name) for r in fake.requests if r.path != "/oauth/token"]


async def test_the_headers_go_with_that_call_only(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    await piggy.contacts.get(contact_uuid, extra_headers={"X-Request-ID": "r-1"})
    await piggy.contacts.get(contact_uuid)
    ref = await piggy.contacts.create(
        email="one@example.com", extra_headers={"X-Request-ID": "r-2"}
    )
    page = await piggy.contacts.list(limit=2, extra_headers={"X-Request-ID": "r-3"})
    await piggy.request("GET", f"/contacts/{ref.uuid}", extra_headers={"X-Request-ID": "r-4"})
    assert _sent(fake, "X-Request-ID") == ["r-1", None, "r-2", "r-3", "r-4"]
    assert len(page.items) == 2
    post = fake.requests[2]
    assert post.method == "POST"
    assert post.headers["Content-Type"] == "application/json"  # a JSON body stays JSON
    assert post.headers["Authorization"] == f"Bearer {fake.token}"


async def test_a_json_body_stays_json(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    odd = {"Content-Type": "text/plain", "X-Request-ID": "j"}
    await piggy.contacts.create(email="json@example.com", extra_headers=odd)
    with request_headers({"Content-Type": "text/csv"}):
        await piggy.contacts.create(email="json2@example.com", extra_headers=odd)
    assert [r.headers["Content-Type"] for r in fake.requests] == ["application/json"] * 2
    assert [r.json["email"] for r in fake.requests] == ["json@example.com", "json2@example.com"]


async def test_each_retry_of_the_call_carries_them(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    fake.faults.status(503, times=2)
    await piggy.contacts.get(contact_uuid, extra_headers={"X-Request-ID": "again"})
    assert _sent(fake, "X-Request-ID") == ["again"] * 3


async def test_the_call_wins_over_a_block_and_a_view(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    view = piggy.with_options(extra_headers={"X-App": "shop", "X-Request-ID": "view"})
    with request_headers({"X-Request-ID": "block", "X-Tenant": "t-1"}):
        await view.contacts.get(contact_uuid, extra_headers={"X-Request-ID": "call"})
        await view.contacts.get(contact_uuid)
    first, second = (r.headers for r in fake.requests[-2:])
    assert (first["X-App"], first["X-Tenant"], first["X-Request-ID"]) == ("shop", "t-1", "call")
    assert second["X-Request-ID"] == "block"


async def test_under_client_credentials_the_token_is_kept(
    fake: FakePiggy, contact_uuid: str
) -> None:
    async with fake.client(client_id=fake.client_id, client_secret=fake.client_secret) as piggy:
        await piggy.contacts.get(contact_uuid, extra_headers={"X-Request-ID": "oauth"})
    call = fake.requests[-1]
    assert call.path == f"/contacts/{contact_uuid}"
    assert call.headers["X-Request-ID"] == "oauth"
    assert call.headers["Authorization"].startswith("Bearer ")
    token_call = next(r for r in fake.requests if r.path == "/oauth/token")
    assert "X-Request-ID" not in token_call.headers  # the call's own, not the token fetch's


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"Authorization": "Bearer x"}, "pass credentials as api_key, not in extra_headers"),
        ({"X-Request-ID": "a\r\nX-Evil: 1"}, r"extra_headers\['X-Request-ID'\]"),
        ({"X Request": "a"}, "extra_headers: 'X Request' is not a valid header name"),
        ({"X-Request-ID": 5}, r"extra_headers\['X-Request-ID'\] must be text, not int"),
        (["X-Request-ID"], "extra_headers must be a mapping"),
    ],
)
async def test_bad_headers_are_refused_before_anything_is_sent(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str, headers: object, words: str
) -> None:
    with pytest.raises(ConfigurationError, match=words):
        await piggy.contacts.get(contact_uuid, extra_headers=headers)  # type: ignore[arg-type]
    assert fake.requests == []


async def test_a_known_name_still_has_its_value_checked(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    await piggy.contacts.get(contact_uuid, extra_headers={"X-Request-ID": "seen"})
    for value in ("a\r\nX-Evil: 1", "a\nb", "a\x00", "a\ud800"):
        with pytest.raises(ConfigurationError, match="X-Request-ID"):
            await piggy.contacts.get(contact_uuid, extra_headers={"X-Request-ID": value})
    await piggy.contacts.get(contact_uuid, extra_headers={"X-Note": "a\tb"})  # valid text
    assert _sent(fake, "X-Request-ID") == ["seen", None]
    assert _sent(fake, "X-Note") == [None, "a\tb"]


def _one_call_methods(client: object) -> list[tuple[str, inspect.Signature]]:
    """(name, signature) of every public method of every resource that is a coroutine
    function, that is, makes one call (iterators and bulk runs are plain functions)."""
    found = []
    for attr in _RESOURCES:
        resource = getattr(client, attr)
        for name, method in inspect.getmembers(resource, inspect.ismethod):
            if not name.startswith("_") and inspect.iscoroutinefunction(method):
                found.append((f"{attr}.{name}", inspect.signature(method)))
    return found


def test_every_method_that_makes_one_call_takes_extra_headers() -> None:
    client = AsyncPiggy(api_key="k", base_url="http://127.0.0.1:9")
    methods = _one_call_methods(client)
    assert len(methods) > 120  # every resource is looked at
    missing = [
        name
        for name, sig in methods
        if "extra_headers" not in sig.parameters
        or sig.parameters["extra_headers"].kind is not inspect.Parameter.KEYWORD_ONLY
        or sig.parameters["extra_headers"].default is not None
    ]
    assert missing == []
    sync = piggy_sync.Piggy(api_key="k", base_url="http://127.0.0.1:9")
    for attr in _RESOURCES:
        async_names = {
            name
            for name, method in inspect.getmembers(getattr(client, attr), inspect.ismethod)
            if not name.startswith("_") and inspect.iscoroutinefunction(method)
        }
        for name in async_names:
            sig = inspect.signature(getattr(getattr(sync, attr), name))
            assert "extra_headers" in sig.parameters, f"piggy_sync {attr}.{name}"
    sync.close()


def test_the_sync_facade_sends_them(threaded_fake: FakePiggy) -> None:
    uuid = next(iter(threaded_fake.store.contacts))
    with piggy_sync.Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as piggy:
        piggy.contacts.get(uuid, extra_headers={"X-Request-ID": "sync"})
        piggy.contacts.get(uuid)
    assert _sent(threaded_fake, "X-Request-ID") == ["sync", None]


# -- the checks every header goes through (default_headers, extra_headers, request_headers) --


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"X-A": "fine", "X-B": "a\r\nX-Evil: 1"}, r"\[X-B\]|'X-B'"),  # after a good one
        ({5: "x"}, "5 is not a valid header name"),
        ({"X:A": "x"}, r"letters, digits and !#\$%&'\*\+\.\^_`\|~- only\)"),
        ({"X-A": b"x"}, "must be text, not bytes"),
        (("X-A", "x"), "must be a mapping of header name to text, not tuple"),
    ],
)
@pytest.mark.parametrize(
    "where", ["default_headers", "extra_headers", "request_headers", "with_options", "view"]
)
async def test_every_header_is_checked_and_the_error_says_which(
    piggy: AsyncPiggy, contact_uuid: str, headers: Any, words: str, where: str
) -> None:
    async def give() -> None:
        if where == "default_headers":
            AsyncPiggy(api_key="k", base_url="http://127.0.0.1:9", default_headers=headers)
        elif where == "extra_headers":
            await piggy.contacts.get(contact_uuid, extra_headers=headers)
        elif where == "request_headers":
            request_headers(headers)
        elif where == "with_options":  # the lean per-request copy
            piggy.with_options(extra_headers=headers)
        else:  # a view with other settings too
            piggy.with_options(max_retries=0, partner_id="p-1", extra_headers=headers)

    with pytest.raises(ConfigurationError, match=words) as info:
        await give()
    named = where if where in ("default_headers", "request_headers") else "extra_headers"
    assert str(info.value).startswith(named)


@pytest.mark.parametrize(
    ("partner_id", "words"),
    [
        ("", "partner_id must be a non-empty string (or None)"),
        (7, "partner_id must be a non-empty string (or None)"),
        ("p\r\nX-Evil: 1", "partner_id must not contain line breaks or NUL characters"),
    ],
)
def test_a_bad_partner_id_is_named(partner_id: Any, words: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        AsyncPiggy(api_key="k", base_url="http://127.0.0.1:9", partner_id=partner_id)
    assert str(info.value) == words
