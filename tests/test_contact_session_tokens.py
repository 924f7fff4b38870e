"""contact-session-tokens.md: request shapes, documented examples, and the fake's one-time
tokens (a used token cannot be used again)."""

from __future__ import annotations

import pytest

from piggy_async import (
    APIStatusError,
    AsyncPiggy,
    ContactSessionToken,
    InvalidArgumentError,
    InvalidInputError,
    PiggyError,
)
from piggy_async.testing import FakePiggy

from .conftest import Api
from .section_checks import check_example, check_shape, doc_calls

DOCS = doc_calls("contact-session-tokens")
TOKEN = "12345abcdefg"


@pytest.mark.parametrize(
    ("heading", "call"),
    [
        ("Find Contact Session Token", lambda p: p.contact_session_tokens.get(TOKEN)),
        ("Use Contact Session Token", lambda p: p.contact_session_tokens.use(TOKEN)),
    ],
)
async def test_request_shape_and_example(heading: str, call: object) -> None:
    await check_shape(DOCS[heading], call, set())  # type: ignore[arg-type]
    token = await check_example(DOCS[heading], call)  # type: ignore[arg-type]
    assert isinstance(token, ContactSessionToken)
    assert token.token == TOKEN
    assert token.status == ("active" if heading.startswith("Find") else "used")


async def test_a_used_token_cannot_be_used_again(api: Api, fake: FakePiggy) -> None:
    contact_uuid = next(iter(fake.store.contacts))
    token = fake.store.add_contact_session_token(contact_uuid)["token"]
    found = await api(lambda p: p.contact_session_tokens.get(token))
    assert (found.status, found.contact.uuid) == ("active", contact_uuid)
    assert found.contact.email == fake.store.contacts[contact_uuid]["email"]
    used = await api(lambda p: p.contact_session_tokens.use(token))
    assert used.status == "used"
    with pytest.raises(InvalidInputError) as again:
        await api(lambda p: p.contact_session_tokens.use(token))
    assert (again.value.status_code, again.value.code) == (400, 1003)
    assert list(again.value.errors) == ["contact_session_token"]
    assert (await api(lambda p: p.contact_session_tokens.get(token))).status == "used"


async def test_unknown_token(piggy: AsyncPiggy) -> None:
    for call in (piggy.contact_session_tokens.get, piggy.contact_session_tokens.use):
        with pytest.raises(APIStatusError) as unknown:
            await call("no-such-token")
        assert (unknown.value.status_code, unknown.value.code) == (400, 60013)


async def test_the_token_stays_out_of_reprs(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    token = fake.store.add_contact_session_token(next(iter(fake.store.contacts)))["token"]
    found = await piggy.contact_session_tokens.get(token)
    assert token not in repr(found)
    assert "active" in repr(found)


async def test_bad_token_argument(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    before = len(fake.requests)
    with pytest.raises(InvalidArgumentError, match="contact_session_token"):
        await piggy.contact_session_tokens.use("")
    assert len(fake.requests) == before
    # a token is one path segment, whatever it holds
    with pytest.raises(APIStatusError):
        await piggy.contact_session_tokens.get("a/../b")
    assert fake.requests[-1].raw_path.endswith("/contact-session-tokens/a%2F..%2Fb")


async def test_the_token_never_shows_in_errors_or_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    secret = "SECRET-TOKEN-123"
    async with FakePiggy() as fake, fake.client() as piggy:
        caplog.set_level(logging.DEBUG, logger="piggy_async")
        for call in (piggy.contact_session_tokens.get, piggy.contact_session_tokens.use):
            with pytest.raises(PiggyError) as info:
                await call(secret)
            shown = f"{info.value!s} {info.value!r} {info.value.url}"
            assert secret not in shown
            assert "<redacted>" in shown
        assert fake.requests[-1].path == f"/contact-session-tokens/{secret}/use"
    assert caplog.records
    assert all(secret not in record.getMessage() for record in caplog.records)
