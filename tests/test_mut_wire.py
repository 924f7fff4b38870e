"""One attempt on the wire (``_wire``): the query string a call sends, and the body it reads
back (size cap, Content-Encoding undone by the client) from real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import random
import zlib
from typing import Any

import aiohttp
import anyio
import pytest

from piggy_async import capture_response
from piggy_async._wire import Answer, Call, encode_query, send
from piggy_async.errors import (
    APIConnectionError,
    InvalidArgumentError,
    ResponseDecodeError,
    ResponseTooLargeError,
)
from tests.rawserver import CONTACT, RawRequest, RawServer, api_client, response


@pytest.mark.parametrize(
    ("params", "query"),
    [
        (None, ""),
        ({}, ""),
        ({"a": None}, ""),  # None values are left out, and then nothing is left
        ({"flag": True, "off": False, "n": 3, "x": 1.5}, "?flag=true&off=false&n=3&x=1.5"),
        ({"email": "a+b@x.nl", "q": "a/b c&d"}, "?email=a%2Bb%40x.nl&q=a%2Fb%20c%26d"),
        ({"k y": "v", "skip": None, "z": "1"}, "?k%20y=v&z=1"),
    ],
)
def test_query_strings_encode_every_key_and_value(params: Any, query: str) -> None:
    assert encode_query(params) == query


def test_a_call_hides_its_secret_path_segment_and_starts_unsent() -> None:
    call = Call("GET", "https://h/api/s/tok-1/x?y=1", "/s/tok-1/x", None, None, "tok-1")
    assert (call.shown_url, call.shown_path) == (
        "https://h/api/s/<redacted>/x?y=1",
        "/s/<redacted>/x",
    )
    assert (call.url, call.path) == ("https://h/api/s/tok-1/x?y=1", "/s/tok-1/x")
    assert (call.attempt, call.sent, call.waiting, call.cut, call.reauthenticated) == (
        0,
        False,
        False,
        False,
        False,
    )
    plain = Call("POST", "https://h/api/c", "/c", b"{}", 5.0)
    assert (plain.shown_url, plain.shown_path, plain.body, plain.deadline) == (
        "https://h/api/c",
        "/c",
        b"{}",
        5.0,
    )


# -- bodies on the wire: real sockets on 127.0.0.1 ------------------------------------------

LIMIT = 200_000  # over aiohttp's 64 KiB chunks: a body comes in several
SECRET_URL_TAIL = "/contacts/sessions/tok-7"


def _payload(size: int) -> bytes:
    # incompressible, so that compressed bodies also span several chunks
    return random.Random(size).randbytes(size)


def _encode(data: bytes, coding: str) -> bytes:
    wbits = {"gzip": 31, "x-gzip": 31, "deflate": 15, "raw-deflate": -15}.get(coding)
    if wbits is None:
        return data
    comp = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return comp.compress(data) + comp.flush()


def _framed(status: int, body: bytes, coding: str | None, length: bool) -> bytes:
    headers = {} if coding is None else {"Content-Encoding": coding.replace("raw-", "")}
    return response(status, body, headers, length=length)


async def _send(raw: bytes, *, decompress: bool = False, limit: int = LIMIT) -> Answer:
    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(raw)
        await writer.drain()
        writer.close()  # a body without Content-Length ends with the connection

    async with (
        RawServer(handler=handler) as srv,
        aiohttp.ClientSession(auto_decompress=decompress) as session,
    ):
        url = srv.base_url + SECRET_URL_TAIL
        call = Call("POST", url, SECRET_URL_TAIL, None, None, "tok-7")
        with anyio.fail_after(20):
            return await send(session, call, {}, aiohttp.ClientTimeout(total=15), limit)


def _shown(err: Any) -> None:
    assert err.method == "POST"
    assert err.url.endswith("/contacts/sessions/<redacted>")


# (coding sent, Content-Length sent, aiohttp inflates)
FRAMINGS = [
    (None, True, False),  # identity, read at once
    (None, False, False),  # identity without a length: counted as it streams
    ("identity", True, False),
    ("", True, False),  # an empty Content-Encoding is identity
    ("gzip", True, False),  # the client inflates, counting decoded bytes
    ("x-gzip", False, False),
    ("deflate", True, False),
    ("raw-deflate", True, False),  # deflate without its zlib wrapper, as some servers send
    ("gzip", True, True),  # the user's session inflates; the client counts
]


@pytest.mark.parametrize(("coding", "length", "decompress"), FRAMINGS)
async def test_a_body_of_exactly_the_cap_is_read_whole(
    coding: str | None, length: bool, decompress: bool
) -> None:
    data = _payload(LIMIT)
    raw = _framed(200, _encode(data, coding or ""), coding, length)
    answer = await _send(raw, decompress=decompress)
    assert answer.status == 200
    assert answer.body == data


@pytest.mark.parametrize(("coding", "length", "decompress"), FRAMINGS)
async def test_a_body_one_byte_over_the_cap_is_refused(
    coding: str | None, length: bool, decompress: bool
) -> None:
    raw = _framed(200, _encode(_payload(LIMIT + 1), coding or ""), coding, length)
    with pytest.raises(ResponseTooLargeError) as info:
        await _send(raw, decompress=decompress)
    err = info.value
    assert str(err).startswith(f"response is larger than max_response_bytes={LIMIT} (POST ")
    assert err.limit == LIMIT
    _shown(err)


@pytest.mark.parametrize(
    ("coding", "body", "decompress"),
    [
        ("gzip", b"\x1f\x8b\x08garbage", False),
        ("gzip", b"\x1f\x8b\x08garbage", True),  # aiohttp's own decoding error
        ("deflate", _encode(b'{"data": {}}', "deflate")[:6], False),  # ends early
        ("br", b"\x0b\x01\x80{}\x03", False),  # never asked for
    ],
)
async def test_an_undecodable_body_is_a_decode_error_naming_its_encoding(
    coding: str, body: bytes, decompress: bool
) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        await _send(_framed(200, body, coding, True), decompress=decompress)
    err = info.value
    assert str(err).startswith(
        f"the answer's body is not valid {coding} data (or an encoding this client does not"
        " accept) (POST "
    )
    assert (err.status_code, err.body, err.path) == (200, b"", None)
    _shown(err)


@pytest.mark.parametrize("status", [300, 404, 503])
async def test_an_error_answer_with_an_undecodable_body_keeps_its_status(status: int) -> None:
    answer = await _send(_framed(status, b"\x1f\x8b\x08garbage", "gzip", True))
    assert (answer.status, answer.body, answer.reason) == (status, b"", "X")


async def test_the_query_reaches_piggy_exactly_as_encoded() -> None:
    params = {"email": "a+b@x.nl", "q": "a/b c&d=é%", "n": 2}
    async with RawServer() as srv, api_client(srv) as piggy:
        with anyio.fail_after(10):
            await piggy.request("GET", "/contacts/c-1", query=params)
    assert srv.requests[0].target == "/api/v3/oauth/clients/contacts/c-1" + encode_query(params)
    assert srv.requests[0].target.endswith("?email=a%2Bb%40x.nl&q=a%2Fb%20c%26d%3D%C3%A9%25&n=2")


async def test_a_body_cut_off_is_a_connection_error_and_retried() -> None:
    async def cut(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        head = {"Content-Length": "5000"}
        writer.write(response(200, b'{"data": {"uuid": "c-1"', head, length=False))
        await writer.drain()
        writer.close()  # fewer bytes than promised, more promised than the cap

    async with (
        RawServer(handler=cut) as srv,
        api_client(srv, max_response_bytes=1000, max_retries=2) as piggy,
    ):
        with anyio.fail_after(10), pytest.raises(APIConnectionError) as info:
            await piggy.contacts.get("c-1")
    assert not isinstance(info.value, ResponseDecodeError)
    assert str(info.value).startswith("response body was cut off (GET ")
    assert info.value.attempts == 3  # a GET cut off is sent again


@pytest.mark.parametrize(
    ("where", "query", "body"),
    [
        ("a query parameter", {"n": 1, "email": "a\ud800@x.nl"}, None),
        ("a field of the request body", None, {"n": 1, "email": "a\ud800@x.nl"}),
    ],
)
async def test_text_utf8_cannot_encode_is_refused_before_sending(
    where: str, query: Any, body: Any
) -> None:
    async with RawServer() as srv, api_client(srv) as piggy:
        with anyio.fail_after(10), pytest.raises(InvalidArgumentError) as info:
            await piggy.request("POST", "/contacts", query=query, json=body)
        assert srv.requests == []
    assert str(info.value).startswith(f"{where} holds text that cannot be sent")
    assert info.value.argument == "email"


async def test_a_captured_answer_names_its_request() -> None:
    async with RawServer() as srv, api_client(srv) as piggy:
        with anyio.fail_after(10), capture_response() as captured:
            await piggy.contacts.get("c-1")
        base = srv.base_url
    raw = captured.response
    assert raw is not None
    assert (raw.status_code, raw.method, raw.url) == (200, "GET", f"{base}/contacts/c-1")
    assert raw.json() == CONTACT
