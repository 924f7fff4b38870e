"""An aiohttp.web service that shares one Piggy client across all its requests.

The client is opened when the application starts and closed when it stops (aiohttp's
``cleanup_ctx``), so every request reuses the same pool of connections to Piggy.

    PIGGY_API_KEY=... python examples/aiohttp_service.py      # then GET /contacts/<uuid>
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from piggy_async import AsyncPiggy, ContactNotFoundError

PIGGY = web.AppKey("piggy", AsyncPiggy)


async def piggy_client(app: web.Application) -> AsyncIterator[None]:
    """Open one client on startup (credentials from the environment), close it on cleanup."""
    async with AsyncPiggy() as piggy:
        app[PIGGY] = piggy
        yield


async def get_contact(request: web.Request) -> web.Response:
    """GET /contacts/{uuid}: the contact as JSON, or 404 when Piggy does not know it."""
    piggy = request.app[PIGGY]
    try:
        contact = await piggy.contacts.get(request.match_info["uuid"])
    except ContactNotFoundError:
        raise web.HTTPNotFound(text="no such contact") from None
    return web.json_response(contact.to_dict())


async def get_balance(request: web.Request) -> web.Response:
    """GET /contacts/{uuid}/balance: the contact's credit balance."""
    balance = await request.app[PIGGY].contacts.get_credit_balance(request.match_info["uuid"])
    return web.json_response({"credits": balance.balance})


def make_app() -> web.Application:
    app = web.Application()
    app.cleanup_ctx.append(piggy_client)
    app.router.add_get("/contacts/{uuid}", get_contact)
    app.router.add_get("/contacts/{uuid}/balance", get_balance)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="127.0.0.1", port=8080)
