"""Hostile servers and bad days (issue 13): real sockets on 127.0.0.1, raw asyncio servers.

One test (or table) per item (OAuth items 4-6: test_hostile_oauth.py; webhooks, item
7: test_webhooks.py): each asserts the typed error, a bound (memory, requests,
seconds: generous, never a tight timing) and that the client works afterwards. Every test
is bounded in time (``anyio.fail_after``). Retry waits run on a fake clock.
"""

from __future__ import annotations

import asyncio
import copy
import gc
import gzip
import json
import logging
import pickle
import tracemalloc
import zlib
from typing import Any

import aiohttp
import anyio
import pytest

from piggy_async import (
    APIStatusError,
    AsyncPiggy,
    AuthenticationError,
    ClientClosedError,
    ConfigurationError,
    ContactNotFoundError,
    InternalServerError,
    InvalidArgumentError,
    MaintenanceError,
    PaginationError,
    PiggyError,
    PoolTimeoutError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
)
from piggy_async.webhooks import (
    WebhookSignatureError,
)

from .rawserver import (
    CONTACT,
    RawRequest,
    RawServer,
    answer,
    api_client,
    oauth_client,
    response,
    works_afterwards,
)

# Every test here runs on both ways an attempt goes out (conftest's ``wire_path``).
pytestmark = pytest.mark.usefixtures("wire_path")

MiB = 1024 * 1024
DEEP = b"[" * 100_000 + b"]" * 100_000
BAD_UTF8 = b'{"data": {"uuid": "\xff\xfe"}}'


# -- 1. compression bombs: the cap counts decoded bytes -----------------------------------


def _bomb(encoding: str, size: int = 64 * MiB) -> bytes:
    wbits = 31 if encoding == "gzip" else 15
    comp = zlib.compressobj(9, zlib.DEFLATED, wbits)
    chunk = b" " * MiB
    return b"".join([comp.compress(chunk) for _ in range(size // MiB)] + [comp.flush()])


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
@pytest.mark.parametrize("where", ["2xx", "500", "token", "own-session"])
async def test_compression_bomb_is_cut_at_the_decoded_cap(
    srv: RawServer, encoding: str, where: str
) -> None:
    bomb = _bomb(encoding)
    assert len(bomb) < MiB  # small on the wire, 64 MiB inflated
    raw = response(
        500 if where == "500" else 200, bomb, {"Content-Encoding": encoding}
    )  # with a Content-Length: the compressed size, under the cap
    session = None
    if where == "token":
        srv.token_handler = answer(raw)
        piggy = oauth_client(srv, max_response_bytes=MiB)
    else:
        srv.handler = answer(raw)
        if where == "own-session":  # the user's session: aiohttp inflates, we count
            session = aiohttp.ClientSession()
        piggy = api_client(srv, max_response_bytes=MiB, session=session)
    async with piggy:
        tracemalloc.start()
        try:
            with anyio.fail_after(20):
                with pytest.raises(ResponseTooLargeError) as info:
                    await piggy.contacts.get("c-1")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert info.value.limit == MiB
        assert peak < 24 * MiB, f"peak {peak / MiB:.1f} MiB for a 64 MiB bomb"
        assert srv.count("/contacts/c-1") == (0 if where == "token" else 1)  # never retried
        with anyio.fail_after(10):
            await works_afterwards(piggy, srv)
    if session is not None:
        await session.close()


@pytest.mark.parametrize(
    ("encoding", "wbits"),
    [("gzip", 31), ("x-gzip", 31), ("deflate", 15), ("deflate", -15), ("identity", 0)],
    ids=["gzip", "x-gzip", "deflate-zlib", "deflate-raw", "identity"],
)
async def test_compressed_answers_decode(srv: RawServer, encoding: str, wbits: int) -> None:
    plain = json.dumps(CONTACT).encode()
    body = plain
    if wbits:
        comp = zlib.compressobj(6, zlib.DEFLATED, wbits)
        body = comp.compress(plain) + comp.flush()
    srv.handler = answer(response(200, body, {"Content-Encoding": encoding}))
    async with api_client(srv) as piggy:
        with anyio.fail_after(10):
            assert (await piggy.contacts.get("c-1")).email == "jane@example.com"
    assert srv.requests[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    ("encoding", "body"),
    [("gzip", gzip.compress(b'{"data": {}}')[:12]), ("br", b"\x0b\x01\x80{}\x03"), ("gzip", b"")],
    ids=["truncated-gzip", "brotli-not-asked-for", "empty-gzip"],
)
async def test_undecodable_encodings_are_response_decode_errors(
    srv: RawServer, encoding: str, body: bytes
) -> None:
    srv.handler = answer(response(200, body, {"Content-Encoding": encoding}))
    async with api_client(srv) as piggy:
        with anyio.fail_after(10):
            with pytest.raises(ResponseDecodeError, match="not valid"):
                await piggy.contacts.get("c-1")
            await works_afterwards(piggy, srv)


# -- 3. malformed bodies and arguments: typed errors, retries kept -------------------------


@pytest.mark.parametrize(
    "raw",
    [
        response(200, BAD_UTF8),
        response(200, DEEP),
        response(200, b'{"data": ' * 50_000 + b"1" + b"}" * 50_000),
        response(200, b"\x1f\x8b\x08garbage", {"Content-Encoding": "gzip"}),
    ],
    ids=["invalid-utf8", "deep-array", "deep-object", "corrupt-gzip"],
)
async def test_malformed_2xx_body_is_response_decode_error(srv: RawServer, raw: bytes) -> None:
    srv.handler = answer(raw)
    async with api_client(srv) as piggy:
        with anyio.fail_after(10):
            with pytest.raises(ResponseDecodeError):
                await piggy.contacts.get("c-1")
            await works_afterwards(piggy, srv)


@pytest.mark.parametrize(
    "raw",
    [
        response(503, BAD_UTF8),
        response(503, DEEP),
        response(503, b"\xc3\x28"),
        response(503, b"\x1f\x8b\x08garbage", {"Content-Encoding": "gzip"}),
    ],
    ids=["utf8", "deep", "bytes", "corrupt-gzip"],
)
async def test_malformed_503_body_keeps_its_class_and_its_retries(
    srv: RawServer, raw: bytes
) -> None:
    srv.handler = answer(raw)
    async with api_client(srv) as piggy:
        with anyio.fail_after(10):
            with pytest.raises(MaintenanceError) as info:
                await piggy.contacts.get("c-1")
            assert info.value.attempts == 3
            assert srv.count("/contacts/c-1") == 3
            await works_afterwards(piggy, srv)


@pytest.mark.parametrize("body", [BAD_UTF8, DEEP, b'{"token_type": "Bearer"}'])
async def test_malformed_token_answer_is_response_decode_error(srv: RawServer, body: bytes) -> None:
    srv.token_handler = answer(response(200, body))
    async with oauth_client(srv) as piggy:
        with anyio.fail_after(10):
            with pytest.raises(ResponseDecodeError, match="access_token"):
                await piggy.contacts.get("c-1")
            assert srv.count("/contacts") == 0
            await works_afterwards(piggy, srv)


async def test_bad_arguments_fail_before_any_io(srv: RawServer) -> None:
    async with api_client(srv) as piggy:
        with anyio.fail_after(10):
            with pytest.raises(InvalidArgumentError) as info:
                await piggy.contacts.get("\ud800")
            assert info.value.argument == "contact_uuid"
            with pytest.raises(InvalidArgumentError):
                await piggy.contacts.find_one_by(email="a\udc80@example.com")
            with pytest.raises(InvalidArgumentError):
                await piggy.contacts.update("c-1", attributes={"name": "\ud800"})
            assert srv.requests == []
            await works_afterwards(piggy, srv)


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({"partner_id": "p\r\nX-Evil: 1"}, "partner_id"),
        ({"partner_id": "p\x00"}, "partner_id"),
        ({"default_headers": {"X-Trace": "a\nb"}}, "X-Trace"),
        ({"default_headers": {"X-Trace": "a\x00"}}, "X-Trace"),
        ({"default_headers": {"Bad Name": "x"}}, "Bad Name"),
        ({"default_headers": {"X-Trace": "\ud800"}}, "X-Trace"),
        ({"default_headers": {"X-Trace": 5}}, "X-Trace"),
        ({"api_key": "k\x00"}, "api_key"),
    ],
)
def test_bad_header_settings_are_configuration_errors(kwargs: dict[str, Any], names: str) -> None:
    settings = {"api_key": "k", **kwargs}
    with pytest.raises(ConfigurationError, match=names):
        AsyncPiggy(base_url="https://api.piggy.eu/api", **settings)


# -- 8. loopback is parsed, not a prefix ----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.attacker.example/api", "http://localhost.attacker.example/api", "http://127/x"],
)
def test_plain_http_to_a_lookalike_host_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError, match="plain http"):
        AsyncPiggy(api_key="k", base_url=url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/api", "http://127.9.8.7/api", "http://[::1]:80/api",
            "http://localhost/api", "http://LOCALHOST./api"],
)  # fmt: skip
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    assert AsyncPiggy(api_key="k", base_url=url).base_url == url.rstrip("/")


# -- 9. a pager that does not advance stops with a typed error --------------------------------------


async def test_pager_stops_when_the_page_does_not_advance(srv: RawServer) -> None:
    page = {"data": [{"uuid": "c-1"}], "meta": {"page": 1, "limit": 1, "last_page": 5}}
    srv.handler = answer(response(200, page))
    async with api_client(srv) as piggy:
        seen: list[str] = []

        async def iterate() -> None:
            async for contact in piggy.contacts.iter_all(page_size=1):
                seen.append(contact.uuid)

        with anyio.fail_after(10):
            with pytest.raises(PaginationError, match="does not advance"):
                await iterate()
        assert seen == ["c-1"]  # the repeated page is not yielded again
        assert srv.count("/contacts") == 2  # not 17,000
        with anyio.fail_after(10):
            await works_afterwards(piggy, srv)


# -- 12. a client used from a new event loop ------------------------------------------------------------


async def test_client_works_in_a_second_event_loop(srv: RawServer) -> None:
    piggy = AsyncPiggy(api_key="k", base_url=srv.base_url)

    async def one_call() -> str:
        return (await piggy.contacts.get("c-1")).uuid

    def two_runs() -> list[str]:
        got = [asyncio.run(one_call()), asyncio.run(one_call())]
        asyncio.run(piggy.aclose())
        gc.collect()  # an unclosed session or socket would warn here (warnings are errors)
        return got

    with anyio.fail_after(20):
        assert await asyncio.to_thread(two_runs) == ["c-1", "c-1"]
    assert srv.count("/contacts/c-1") == 2


async def test_a_session_from_another_loop_is_a_configuration_error(srv: RawServer) -> None:
    async with aiohttp.ClientSession() as session:
        piggy = AsyncPiggy(api_key="k", base_url=srv.base_url, session=session)

        def elsewhere() -> None:
            asyncio.run(piggy.contacts.get("c-1"))

        with anyio.fail_after(10):
            with pytest.raises(ConfigurationError, match="another event loop"):
                await asyncio.to_thread(elsewhere)
            assert (await piggy.contacts.get("c-1")).uuid == "c-1"  # in its own loop: fine
    assert srv.count("/contacts/c-1") == 1


# -- 13. errors pickle and copy --------------------------------------------------------------------------


def _same(a: PiggyError, b: PiggyError) -> None:
    assert type(b) is type(a)
    assert str(b) == str(a)
    assert b.message == a.message
    assert b.attempts == a.attempts
    assert b.outcome_unknown == a.outcome_unknown
    assert b.url == a.url
    assert b.method == a.method
    for name in ("status_code", "code", "retry_after", "errors", "body", "request_sent",
                 "limit", "argument", "path"):  # fmt: skip
        assert getattr(b, name, None) == getattr(a, name, None), name


async def test_errors_from_a_real_server_pickle_and_copy(srv: RawServer) -> None:
    srv.handler = answer(
        response(429, {"message": "slow down", "code": 42}, {"Retry-After": "1000000000"})
    )
    caught: list[PiggyError] = []
    async with api_client(srv) as piggy:
        with anyio.fail_after(10):
            with pytest.raises(RateLimitError) as limited:
                await piggy.contacts.get("c-1")
            caught.append(limited.value)
            srv.handler = answer(response(500, {"message": "boom", "code": 7}))
            with pytest.raises(InternalServerError) as broken:
                await piggy.contacts.create(email="x@example.com")
            caught.append(broken.value)
    assert limited.value.retry_after == 1_000_000_000
    assert broken.value.outcome_unknown
    caught += [
        ResponseDecodeError("bad", method="GET", url="u", path="$.data", body=b"x"),
        ResponseTooLargeError("big", method="GET", url="u", limit=3),
        InvalidArgumentError("no", argument="limit"),
        PoolTimeoutError("busy", method="POST", url="u", request_sent=False),
        ClientClosedError("closed"),
        WebhookSignatureError("sig"),
        ContactNotFoundError("gone", status_code=404, code=55031, errors={"a": ["b"]}),
    ]
    for err in caught:
        for clone in (pickle.loads(pickle.dumps(err)), copy.copy(err), copy.deepcopy(err)):
            _same(err, clone)


# -- 14. no query values in messages and logs ------------------------------------------------------------


async def test_query_values_stay_out_of_messages_and_logs(
    srv: RawServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    email = "jane.doe@example.com"
    calls = 0

    async def api(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            writer.write(response(503, b"{}"))
        else:
            writer.write(response(404, {"message": "Contact not found", "code": 55031}))

    srv.handler = api
    async with api_client(srv) as piggy:
        with anyio.fail_after(10):
            with pytest.raises(ContactNotFoundError) as info:
                await piggy.contacts.find_one_by(email=email)
    err = info.value
    texts = [str(err), repr(err), *(r.getMessage() for r in caplog.records)]
    for text in texts:
        assert "jane.doe" not in text, text
    assert "/contacts/find-one-by" in str(err)
    assert "jane.doe%40example.com" in (err.url or "")  # the full URL stays on the error
    assert any("retrying GET /contacts/find-one-by" in r.getMessage() for r in caplog.records)


# -- the transport stays usable after each kind of failure ---------------------------------------------


async def test_a_status_error_then_a_good_answer(srv: RawServer) -> None:
    srv.handler = answer(response(401, {"message": "no"}))
    async with api_client(srv) as piggy:
        with anyio.fail_after(10):
            with pytest.raises(AuthenticationError) as info:
                await piggy.contacts.get("c-1")
            assert isinstance(info.value, APIStatusError)
            assert srv.count("/contacts") == 1
            await works_afterwards(piggy, srv)
