"""FastAPI with the lifespan pattern, in-process (httpx's ASGITransport), against the fake
server: a route declared with ``response_model=Contact`` and one annotated ``-> Contact``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from piggy_async import AsyncPiggy, Contact
from piggy_async.testing import FakePiggy

fastapi = pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
Request = fastapi.Request


def make_app(base_url: str, api_key: str) -> Any:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with AsyncPiggy(api_key=api_key, base_url=base_url) as piggy:
            app.state.piggy = piggy
            yield

    app = fastapi.FastAPI(lifespan=lifespan)

    @app.get("/contacts/{uuid}", response_model=Contact)
    async def by_model(uuid: str, request: Request) -> Any:
        return await request.app.state.piggy.contacts.get(uuid)

    @app.get("/annotated/{uuid}")
    async def by_annotation(uuid: str, request: Request) -> Contact:
        found: Contact = await request.app.state.piggy.contacts.get(uuid)
        return found

    return app


async def test_fastapi_declares_and_serves_response_model_contact(
    fake: FakePiggy, contact_uuid: str
) -> None:
    app = make_app(fake.base_url, fake.token)
    expected = fake.store.contacts[contact_uuid]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
            for path in ("/contacts/", "/annotated/"):
                response = await http.get(path + contact_uuid)
                assert response.status_code == 200, response.text
                body = response.json()
                assert body["uuid"] == contact_uuid
                assert body["email"] == expected["email"]
                assert body["credit_balance"]["balance"] == expected["credit_balance"]["balance"]
            openapi = (await http.get("/openapi.json")).json()
    content = openapi["paths"]["/contacts/{uuid}"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"]["properties"]["uuid"] == {"type": "string"}
    assert len(fake.requests_to("GET", f"/contacts/{contact_uuid}")) == 2
