"""What an error must never show: an e-mail address it refused, a session token or the OAuth
client secret a server echoed back, credentials or personal data in a redirect's target or
in ``base_url``, or aiohttp's own exception (which holds the request's headers, the API key
among them) kept as its ``__context__``. Written against an audit's findings; each test
fails on the code before the fix."""

from __future__ import annotations

import asyncio
import json
import pickle
import traceback
from urllib.parse import quote, quote_plus

import anyio
import pytest

from piggy_async import (
    APIConnectionError,
    APIStatusError,
    AsyncPiggy,
    ConfigurationError,
    InvalidArgumentError,
)
from tests.rawserver import RawRequest, RawServer, response

KEY = "sk-LEAKCHECK-123"
TOKEN = "TOKEN-LEAK-456"
CLIENT_SECRET = "CS/LEAK+789"
EMAIL = "leak.check@example.com"


def everything_shown(err: BaseException) -> str:
    """Every text a user, a log line or an error tracker could get out of ``err``."""
    texts = [str(err), repr(err), repr(err.args), "".join(traceback.format_exception(err))]
    texts.append(repr(pickle.loads(pickle.dumps(err)).__dict__))
    if isinstance(err, APIStatusError) and err.response is not None:
        texts.append(err.response.content.decode("utf-8", "replace"))
        texts.append(repr(err.body))
    return "\n".join(texts)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (f"{EMAIL} ", "has whitespace (character 23 of 23)"),
        (f"\t{EMAIL}", "has whitespace (character 1 of 23)"),
        ("leak.check.example.com", "has no '@'"),
        ("@example.com", "has nothing before its '@'"),
        ("leak.check@", "has nothing after its '@'"),
    ],
)
async def test_an_email_that_is_refused_is_described_not_quoted(value: str, problem: str) -> None:
    async with AsyncPiggy(api_key=KEY, base_url="http://127.0.0.1:9/api") as piggy:
        with pytest.raises(InvalidArgumentError) as info:
            await piggy.contacts.find_one_by(email=value)
    assert str(info.value) == f"email is not an email address: it {problem}"
    assert value.strip() not in everything_shown(info.value)


@pytest.mark.parametrize(
    "location",
    [
        f"https://api.example/api/v3/oauth/clients/contact-session-tokens/{TOKEN}",
        f"/api/v3/oauth/clients/contact-session-tokens/{quote(TOKEN)}?page=2#top",
        f"https://svc:{KEY}@elsewhere.example/contact-session-tokens/{TOKEN}",
        f"https://elsewhere.example/login/{EMAIL}",
        f"https://elsewhere.example/login/{quote(EMAIL, safe='')}",
    ],
)
async def test_a_redirect_target_shows_no_token_credentials_or_address(location: str) -> None:
    async def moved(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(response(301, b"", {"Location": location}))

    async with RawServer(handler=moved) as srv, AsyncPiggy(api_key=KEY, base_url=srv.base_url) as p:
        with anyio.fail_after(10), pytest.raises(APIStatusError) as info:
            await p.contact_session_tokens.get(TOKEN)
    shown = everything_shown(info.value)
    for secret in (TOKEN, KEY, EMAIL, quote(EMAIL, safe="")):
        assert secret not in shown
    assert "unexpected redirect to '" in str(info.value)
    assert "elsewhere.example" in str(info.value) or "contact-session-tokens" in str(info.value)


ECHOES = {
    "json": json.dumps(
        {
            "message": f"client_secret {CLIENT_SECRET} does not match",
            "code": 1003,
            "errors": {"client_secret": [f"{quote_plus(CLIENT_SECRET)} is invalid"]},
        }
    ).encode(),
    # As PHP writes it ("\\/" for "/"), by hand: json.dumps would double the backslash.
    "php": b'{"message": "client_secret CS\\/LEAK+789 does not match", "code": 1003}',
}


@pytest.mark.parametrize("status", [400, 401, 500])
@pytest.mark.parametrize("echo", list(ECHOES))
async def test_the_token_endpoint_echoing_the_client_secret_shows_it_nowhere(
    status: int, echo: str
) -> None:
    async def echoing(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(response(status, ECHOES[echo]))

    async with (
        RawServer(token_handler=echoing) as srv,
        AsyncPiggy(
            client_id="id-1", client_secret=CLIENT_SECRET, base_url=srv.base_url, max_retries=0
        ) as piggy,
    ):
        with anyio.fail_after(10), pytest.raises(APIStatusError) as info:
            await piggy.contacts.get("c-1")
    shown = everything_shown(info.value)
    for form in (CLIENT_SECRET, quote_plus(CLIENT_SECRET), quote(CLIENT_SECRET, safe="")):
        assert form not in shown
    assert "CS\\/LEAK" not in shown
    assert "LEAK+789" not in shown
    assert "client_secret <redacted> does not match" in str(info.value)


async def test_a_broken_answer_keeps_no_aiohttp_error_holding_the_request_headers() -> None:
    async def garbage(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n{}")

    async with (
        RawServer(handler=garbage) as srv,
        AsyncPiggy(api_key=KEY, base_url=srv.base_url, max_retries=0) as piggy,
    ):
        with anyio.fail_after(10), pytest.raises(APIConnectionError) as info:
            await piggy.contacts.find_one_by(email=EMAIL)
    err: BaseException = info.value
    assert err.__cause__ is None
    assert err.__context__ is None  # (it was aiohttp's error, its repr carrying the key)
    assert KEY not in everything_shown(err)
    assert EMAIL not in everything_shown(err)


@pytest.mark.parametrize(
    "base_url",
    [
        f"https://u:{KEY}@api.example:99999/api",  # a bad port: checked before credentials
        f"ftp://u:{KEY}@api.example/api",
        f"https://u:{KEY}@api.example/a b",
        f"http://api.example/api?key={KEY}",  # plain http to a remote host
    ],
)
def test_a_refused_base_url_is_quoted_without_credentials_or_query(base_url: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        AsyncPiggy(api_key="k", base_url=base_url)
    assert KEY not in everything_shown(info.value)
    assert "api.example" in str(info.value)


async def test_an_address_ending_in_an_at_sign_is_refused_by_its_argument() -> None:
    async with AsyncPiggy(api_key=KEY, base_url="http://127.0.0.1:9/api") as piggy:
        with pytest.raises(InvalidArgumentError) as info:
            await piggy.contacts.find_one_by(email="jane@example.com@")
    assert str(info.value) == "email is not an email address: it has nothing after its '@'"
    assert info.value.argument == "email"


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "email must not be empty"), (None, "email must be a string, not NoneType")],
)
async def test_an_empty_or_missing_address_is_named_by_its_argument(
    value: object, message: str
) -> None:
    async with AsyncPiggy(api_key=KEY, base_url="http://127.0.0.1:9/api") as piggy:
        with pytest.raises(InvalidArgumentError) as info:
            await piggy.contacts.find_one_by(email=value)  # type: ignore[arg-type]
    assert str(info.value) == message
    assert info.value.argument == "email"
