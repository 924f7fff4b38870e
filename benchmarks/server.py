"""The benchmark's Piggy stand-in, run in its own process: answers every
``GET /api/v3/oauth/clients/contacts/{uuid}`` with the same pre-encoded Contact.

    python -m benchmarks.server [--large]      # prints the port, then serves until killed
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from aiohttp import web

from benchmarks.payloads import large_contact, seed_contact


def make_app(body: bytes) -> web.Application:
    async def contact(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/api/v3/oauth/clients/contacts/{uuid}", contact)
    return app


async def serve(large: bool) -> None:
    body = large_contact() if large else seed_contact()
    runner = web.AppRunner(make_app(body), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.large))


if __name__ == "__main__":
    main()
