"""The fake server answers request bodies it cannot read as Piggy does: HTTP 400 with
Piggy's code 1003 "Invalid input.", never a 500 (real requests over 127.0.0.1)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from piggy_async.testing import FakePiggy

AUTH = {"Authorization": "Bearer test-api-key"}
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

MALFORMED = [
    pytest.param(JSON, b"[" * 100_000 + b"]" * 100_000, "JSON", id="deep-json"),
    pytest.param(JSON, b'{"email": "\xff\xfe"}', "JSON", id="json-invalid-utf8"),
    pytest.param(JSON, b'{"email": ', "JSON", id="json-truncated"),
    pytest.param(FORM, b"\xff\xfe=\xff", "form data", id="form-invalid-utf8"),
]


async def _post(
    url: str, content_type: str, body: bytes, auth: bool = True
) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": content_type, **(AUTH if auth else {})}
    timeout = aiohttp.ClientTimeout(total=10)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(url, data=body, headers=headers) as answer,
    ):
        return answer.status, await answer.json()


@pytest.mark.parametrize(("content_type", "body", "kind"), MALFORMED)
async def test_malformed_body_is_invalid_input(content_type: str, body: bytes, kind: str) -> None:
    async with FakePiggy() as fake:
        status, payload = await asyncio.wait_for(
            _post(fake.base_url + "/contacts", content_type, body), 20
        )
        assert status == 400
        assert payload["code"] == 1003
        assert payload["message"] == "Invalid input."
        assert payload["errors"] == {"body": [f"The body must be valid {kind}."]}
        assert fake.store.contacts == {}


@pytest.mark.parametrize(("content_type", "body", "kind"), MALFORMED)
async def test_malformed_token_request_is_invalid_input(
    content_type: str, body: bytes, kind: str
) -> None:
    async with FakePiggy() as fake:
        status, payload = await asyncio.wait_for(
            _post(fake.origin + "/oauth/token", content_type, body, auth=False), 20
        )
        assert (status, payload["code"]) == (400, 1003)
        assert fake.issued_tokens == {}


async def test_authentication_is_checked_before_the_body() -> None:
    async with FakePiggy() as fake:
        status, payload = await asyncio.wait_for(
            _post(fake.base_url + "/contacts", JSON, b"{", auth=False), 20
        )
        assert (status, payload) == (
            401,
            {"status_code": 401, "error": "invalid_token", "message": "Unauthenticated."},
        )  # no Piggy code: none is documented for a 401 (docs/fidelity.md row 63)


async def test_wrong_client_credentials_and_unknown_routes_carry_no_made_up_code() -> None:
    async with FakePiggy() as fake:
        wrong = f"grant_type=client_credentials&client_id={fake.client_id}&client_secret=no"
        status, payload = await asyncio.wait_for(
            _post(fake.origin + "/oauth/token", FORM, wrong.encode(), auth=False), 20
        )
        assert (status, payload) == (
            401,
            {
                "status_code": 401,
                "error": "invalid_client",
                "message": "Client authentication failed",
            },
        )
        assert fake.issued_tokens == {}
        status, payload = await asyncio.wait_for(
            _post(fake.base_url + "/no-such-section", JSON, b"{}"), 20
        )
        assert (status, payload) == (404, {"status_code": 404, "message": "Route not found."})


async def test_a_readable_body_still_reaches_the_handler() -> None:
    async with FakePiggy() as fake:
        status, payload = await asyncio.wait_for(
            _post(fake.base_url + "/contacts", JSON, b'{"email": "a@example.com"}'), 20
        )
        assert status == 200
        assert payload["data"]["uuid"] in fake.store.contacts
