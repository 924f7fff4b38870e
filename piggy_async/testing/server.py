"""The fake Piggy server: an aiohttp app that speaks the Piggy API on loopback.

::

    async with FakePiggy(contacts=10) as fake:
        async with fake.client() as piggy:
            contact = await piggy.contacts.get(next(iter(fake.store.contacts)))
        assert fake.requests[-1].path == f"/contacts/{contact.uuid}"

Stateful (see :class:`~piggy_async.testing.Store`), checks the bearer token (or an OAuth
token it issued at ``/oauth/token``), answers errors in Piggy's shape and codes, logs every
request (:attr:`FakePiggy.requests`) and can inject faults (:attr:`FakePiggy.faults`).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from aiohttp import ClientSession, web

from ._faults import Fault, Faults
from ._store import Store
from .routes import routes_of
from .server_base import (
    API_PREFIX,
    PiggyHTTPError,
)

__all__ = ["API_PREFIX", "FakePiggy", "RecordedRequest"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class RecordedRequest:
    """One request the fake server received. ``path`` is relative to the API prefix and
    decoded; ``raw_path`` is exactly what came over the wire."""

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    started: float = 0.0
    finished: float | None = None
    status: int | None = None
    form: dict[str, str] = field(default_factory=dict)
    #: the kind of fault injected into this request, if any
    fault: str | None = None
    #: whether the real handler ran (so a write may have happened)
    handled: bool = False


class FakePiggy:
    """A running fake Piggy server on a free loopback port.

    ``token``: the API key it accepts. ``client_id``/``client_secret``: the OAuth client it
    accepts at ``/oauth/token`` (tokens live ``token_ttl`` seconds). ``contacts``: how many
    generated contacts to seed it with. ``transactions``: loyalty transactions per contact.
    """

    def __init__(
        self,
        *,
        token: str = "test-api-key",
        client_id: str = "test-client",
        client_secret: str = "test-secret",
        contacts: int = 0,
        transactions: int = 0,
        seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        token_ttl: float = 3600.0,
        keep_log: bool = True,
    ) -> None:
        self.token = token
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_ttl = token_ttl
        self.store = Store(seed)
        for _ in range(contacts):
            self.store.add_contact(transactions=transactions)
        self.requests: list[RecordedRequest] = []
        self.keep_log = keep_log
        self.faults = Faults()
        self.issued_tokens: dict[str, float] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.request_count = 0
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._bodies: dict[int, tuple[Any, dict[str, str]]] = {}
        self._malformed: dict[int, str] = {}
        self._webhook_session: ClientSession | None = None
        self._deliveries: list[asyncio.Task[int]] = []
        self.app = self._build_app()

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> FakePiggy:
        """Start listening; ``base_url`` is valid afterwards."""
        runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=0.1
        )
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        await site.start()
        self._runner = runner
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self._port = sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        """Stop the server and drop its connections."""
        await self.flush_webhooks()
        session, self._webhook_session = self._webhook_session, None
        if session is not None:
            await session.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    # -- webhooks --------------------------------------------------------------------------

    async def send_webhook(self, url: str, event_type: str, data: Any, *, secret: str) -> int:
        """POST a signed webhook to ``url``, as Piggy does; returns the answer's status."""
        from ..webhooks import SIGNATURE_HEADER, sign

        body = msgspec.json.encode({"type": event_type, "data": data})
        if self._webhook_session is None:
            self._webhook_session = ClientSession()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
        async with self._webhook_session.post(url, data=body, headers=headers) as resp:
            status = resp.status
        self.store.sent_webhooks.append({"url": url, "type": event_type, "status": status})
        return status

    def emit(self, event_type: str, data: Any) -> None:
        """Deliver an event to every active webhook subscription for it (in the background;
        ``await flush_webhooks()`` to wait for the deliveries)."""
        for sub in self.store.webhook_subscriptions.values():
            if sub["status"] == "ACTIVE" and sub["event_type"] == event_type:
                task = asyncio.ensure_future(
                    self.send_webhook(sub["url"], event_type, data, secret=sub["secret"])
                )
                self._deliveries.append(task)

    async def flush_webhooks(self) -> None:
        """Wait until every webhook emitted so far was delivered (or failed)."""
        deliveries, self._deliveries = self._deliveries, []
        if deliveries:
            await asyncio.gather(*deliveries, return_exceptions=True)

    async def __aenter__(self) -> FakePiggy:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """The ``base_url`` to give a client: ``http://127.0.0.1:<port>/api/v3/oauth/clients``."""
        return self.origin + API_PREFIX

    def client(self, **options: Any) -> Any:
        """An ``AsyncPiggy`` bound to this server with its API key (options pass through)."""
        from .._client import AsyncPiggy

        options.setdefault("api_key", self.token)
        if "client_id" in options:
            options.pop("api_key")
        return AsyncPiggy(base_url=self.base_url, **options)

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        """The logged requests with this method and (decoded, relative) path."""
        return [r for r in self.requests if r.method == method and r.path == path]

    # -- plumbing --------------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=4 * 1024**2)
        r = app.router
        r.add_post("/oauth/token", self._oauth_token)
        r.add_routes(routes_of(self))
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        rel = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else path
        body_json, form, malformed = await _read_body(request)
        record = RecordedRequest(
            method=request.method,
            path=rel,
            raw_path=request.raw_path,
            query=dict(request.query),
            json=body_json,
            headers=dict(request.headers),
            started=time.monotonic(),
            form=form,
        )
        self._bodies[id(request)] = (body_json, form)
        if malformed is not None:
            self._malformed[id(request)] = malformed
        self.request_count += 1
        if self.keep_log:
            self.requests.append(record)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            fault = self.faults.take(request.method, rel)
            if fault is not None:
                record.fault = fault.kind
                reached = fault.kind in Fault.REACHES_HANDLER
                record.handled = reached
                response = await fault.apply(request, lambda: self._dispatch(request, handler, rel))
            else:
                record.handled = True
                response = await self._dispatch(request, handler, rel)
            record.status = response.status
            return response
        finally:
            self._bodies.pop(id(request), None)
            self._malformed.pop(id(request), None)
            self.in_flight -= 1
            record.finished = time.monotonic()

    async def _dispatch(
        self, request: web.Request, handler: Handler, rel: str
    ) -> web.StreamResponse:
        try:
            if rel != "/oauth/token":
                self._authenticate(request)
            malformed = self._malformed.get(id(request))
            if malformed is not None:
                # Piggy answers a body it cannot read as any other invalid input.
                raise PiggyHTTPError(400, 1003, "Invalid input.", {"body": [malformed]})
            return await handler(request)
        except PiggyHTTPError as err:
            payload: dict[str, Any] = {"status_code": err.status}
            if err.code is not None:
                payload["code"] = err.code
            if err.error is not None:
                payload["error"] = err.error
            payload["message"] = err.message
            if err.errors:
                payload["errors"] = err.errors
            return web.Response(
                status=err.status,
                body=msgspec.json.encode(payload),
                content_type="application/json",
            )
        except web.HTTPNotFound:
            return web.json_response(
                {"status_code": 404, "message": "Route not found."}, status=404
            )
        except web.HTTPMethodNotAllowed:
            return web.json_response(
                {"status_code": 405, "message": "Method not allowed."}, status=405
            )

    def _authenticate(self, request: web.Request) -> None:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme == "Bearer" and value:
            if secrets.compare_digest(value, self.token):
                return
            expires = self.issued_tokens.get(value)
            if expires is not None and time.monotonic() < expires:
                return
        raise PiggyHTTPError(401, None, "Unauthenticated.", error="invalid_token")

    # -- OAuth -----------------------------------------------------------------------------

    async def _oauth_token(self, request: web.Request) -> web.Response:
        body_json, form = self._bodies[id(request)]
        form = form or (body_json if isinstance(body_json, dict) else {})
        if form.get("grant_type") != "client_credentials":
            raise PiggyHTTPError(400, 1003, "Invalid input.", {"grant_type": ["unsupported"]})
        if form.get("client_id") != self.client_id or form.get("client_secret") != (
            self.client_secret
        ):
            raise PiggyHTTPError(401, None, "Client authentication failed", error="invalid_client")
        token = secrets.token_urlsafe(24)
        self.issued_tokens[token] = time.monotonic() + self.token_ttl
        body = {"token_type": "Bearer", "expires_in": int(self.token_ttl), "access_token": token}
        return web.json_response(body)

    # -- contacts --------------------------------------------------------------------------

    def body_of(self, request: web.Request) -> dict[str, Any]:
        """A copy of the request's JSON (or form) body as a dict (the request log keeps the
        original); Piggy's 1003 error if it is not an object."""
        body_json, form = self._bodies[id(request)]
        body = form if body_json is None else body_json
        if not isinstance(body, dict):
            raise PiggyHTTPError(400, 1003, "Invalid input.", {"body": ["Expected an object."]})
        return dict(body)

    # -- automations, forms, portal --------------------------------------------------------


async def _read_body(request: web.Request) -> tuple[Any, dict[str, str], str | None]:
    """The request's JSON and form bodies, and why it could not be read (None if it could).

    A body too deep to decode, not UTF-8 or not JSON/form-encoded as its type says is
    reported, never raised: the fake answers it as Piggy does (400, code 1003).
    """
    if not request.can_read_body:
        return None, {}, None
    raw = await request.read()
    if request.content_type == "application/json":
        try:
            return msgspec.json.decode(raw), {}, None
        except (msgspec.DecodeError, RecursionError):
            return None, {}, "The body must be valid JSON."
    if request.content_type == "application/x-www-form-urlencoded":
        try:
            return None, {k: str(v) for k, v in (await request.post()).items()}, None
        except ValueError:  # includes UnicodeDecodeError
            return None, {}, "The body must be valid form data."
    return None, {}, None


async def serve_forever(fake: FakePiggy) -> None:  # pragma: no cover - used by the CLI
    """Run until cancelled."""
    async with fake:
        await asyncio.Event().wait()
