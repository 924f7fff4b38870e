"""Hostile servers an audit (2026-12-02) found the client wrong against: real sockets on
127.0.0.1. Each test fails on the code before its fix: an answer nobody asked for taken as
the next request's, raw ``ValueError``s (a header-unsafe OAuth token, counts and codes past
Python's limit on digits), a compressed body that inflates to nothing read forever, error
bodies parsed into 50 times their size, ``Retry-After`` read with Python's float syntax.
Every test is bounded in time (``anyio.fail_after``)."""

from __future__ import annotations

import asyncio
import gzip
import json
import tracemalloc
import zlib

import anyio
import pytest

from piggy_async import (
    APIStatusError,
    AsyncPiggy,
    InvalidInputError,
    ResponseDecodeError,
    ResponseTooLargeError,
)
from piggy_async._policy import parse_error_body, parse_retry_after

from .rawserver import RawRequest, RawServer, answer, api_client, oauth_client, response

# Every test here runs on both ways an attempt goes out (conftest's ``wire_path``).
pytestmark = pytest.mark.usefixtures("wire_path")

BOUND = 20


def contact(uuid: str) -> bytes:
    return response(200, {"data": {"uuid": uuid}})


async def test_an_answer_sent_while_a_pooled_connection_is_idle_is_never_taken_as_one() -> None:
    stray = [True]

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                uuid = head.split(b" ")[1].decode().rsplit("/", 1)[1]
                writer.write(contact(uuid))
                if stray:  # then, once, with no request outstanding: an answer nobody
                    stray.clear()  # asked for
                    await writer.drain()
                    await asyncio.sleep(0.1)
                    writer.write(contact("c-STALE"))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        base_url = f"http://127.0.0.1:{port}/api/v3/oauth/clients"
        async with AsyncPiggy(api_key="k", base_url=base_url, max_retries=0) as piggy:
            with anyio.fail_after(BOUND):
                got = [(await piggy.contacts.get("c-1")).uuid]
                await asyncio.sleep(0.3)  # the stray answer is in
                for uuid in ("c-2", "c-3"):
                    got.append((await piggy.contacts.get(uuid)).uuid)
    finally:
        server.close()
        await server.wait_closed()
    assert got == ["c-1", "c-2", "c-3"]  # (it was c-1, c-STALE, c-2)


@pytest.mark.parametrize("token", ["abc\r\nX-Injected: 1", "abc\x00def", "two words", ""])
async def test_a_token_that_cannot_go_into_a_header_is_a_decode_error(token: str) -> None:
    async def issue(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(response(200, {"access_token": token, "expires_in": 3600}))

    async with RawServer(token_handler=issue) as srv, oauth_client(srv, max_retries=0) as piggy:
        with anyio.fail_after(BOUND), pytest.raises(ResponseDecodeError, match="usable"):
            await piggy.contacts.get("c-1")
        with anyio.fail_after(BOUND):
            results = await piggy.contacts.get_many(["c-1", "c-2"]).collect()
    assert all(isinstance(r.error, ResponseDecodeError) for r in results)  # typed, per item
    assert srv.count("/contacts/") == 0  # nothing was sent with it


@pytest.mark.parametrize("field", ["page", "total", "last_page"])
async def test_a_count_of_thousands_of_digits_is_a_decode_error(field: str) -> None:
    meta = {"page": 1, "limit": 2, field: "9" * 5001}
    body = json.dumps({"data": [], "meta": meta}).encode()
    async with RawServer(handler=answer(response(200, body))) as srv, api_client(srv) as piggy:
        with anyio.fail_after(BOUND), pytest.raises(ResponseDecodeError, match=field):
            await piggy.contacts.list()


def test_an_error_code_of_thousands_of_digits_is_no_code_but_keeps_the_message() -> None:
    body = json.dumps({"code": "9" * 5001, "message": "Invalid input."}).encode()
    assert parse_error_body(body) == ("Invalid input.", None, {})
    assert parse_error_body(b'{"code": 1' + b"0" * 30 + b', "message": "m"}') == ("m", None, {})
    assert parse_error_body(b'{"code": "1003", "message": "m"}') == ("m", 1003, {})


async def test_a_compressed_body_that_inflates_to_nothing_is_cut_at_the_cap() -> None:
    async def endless(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
        writer.write(head)
        gz = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff"  # a file name that never ends
        while not writer.is_closing():
            piece = gz + b"a" * 65536
            gz = b""
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()

    limit = 1024 * 1024
    async with (
        RawServer(handler=endless) as srv,
        api_client(srv, max_response_bytes=limit, max_retries=0) as piggy,
    ):
        with anyio.fail_after(BOUND), pytest.raises(ResponseTooLargeError):
            await piggy.contacts.get("c-1")


async def test_a_multi_member_gzip_body_is_read_whole() -> None:
    body = json.dumps({"data": {"uuid": "c-1", "email": "jane@example.com"}}).encode()
    members = gzip.compress(body[:20]) + gzip.compress(body[20:])  # RFC 1952: one stream
    raw = response(200, members, {"Content-Encoding": "gzip"})
    async with RawServer(handler=answer(raw)) as srv, api_client(srv) as piggy:
        with anyio.fail_after(BOUND):
            found = await piggy.contacts.get("c-1")
    assert (found.uuid, found.email) == ("c-1", "jane@example.com")


async def test_a_huge_error_body_is_not_parsed_into_memory() -> None:
    errors = b'{"code": 1003, "message": "Invalid input.", "errors": {"x": [' + b"[]," * 3_000_000
    body = errors + b"[]]}}"
    async with (
        RawServer(handler=answer(response(400, body))) as srv,
        api_client(srv, max_retries=0) as piggy,
    ):
        tracemalloc.start()
        try:
            with anyio.fail_after(BOUND), pytest.raises(APIStatusError) as info:
                await piggy.contacts.get("c-1")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert not isinstance(info.value, InvalidInputError)  # the body was not read: the status
    assert info.value.status_code == 400
    assert peak < 4 * len(body)  # the body and its copies, not 50 times it in objects
    assert len(str(info.value)) < 300


def test_a_long_message_is_cut_in_the_text() -> None:
    message, _, _ = parse_error_body(json.dumps({"message": "x" * 10_000}).encode())
    assert message == "x" * 2000 + "... (10000 characters)"


@pytest.mark.parametrize("value", ["1_0", "1e3", "nan", "inf", "0x10", "+5", "٣"])
def test_retry_after_is_digits_not_python_float_syntax(value: str) -> None:
    assert parse_retry_after(value, now=0.0) is None
    assert parse_retry_after("10", now=0.0) == 10.0


def test_the_compressed_limit_leaves_room_for_any_real_gzip() -> None:
    data = bytes(range(256)) * 4096  # 1 MiB that does not compress
    packed = zlib.compress(data, 9)
    from piggy_async._wire import _compressed_limit

    assert len(packed) <= _compressed_limit(len(data))
    assert _compressed_limit(len(data)) < 2 * len(data)


async def test_the_guard_reads_what_this_aiohttp_has() -> None:
    # The idle-answer guard looks at aiohttp internals: an aiohttp that renamed them would
    # switch it off silently (getattr's default), and one that changed _get's arguments
    # would break every call. Either fails here first.
    import inspect

    from aiohttp.client_proto import ResponseHandler

    from piggy_async._session import _TCP_GET, _answered_unasked

    proto = ResponseHandler(asyncio.get_running_loop())
    assert hasattr(proto, "_buffer")
    assert hasattr(proto, "_tail")
    assert not _answered_unasked(proto)
    proto._tail = b"HTTP/1.1 200"
    assert _answered_unasked(proto)
    assert list(inspect.signature(_TCP_GET).parameters) == ["self", "key", "traces"]
