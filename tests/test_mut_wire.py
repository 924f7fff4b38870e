"""One attempt on the wire (``_wire``): the query string a call sends, and the body it reads
back (size cap, Content-Encoding undone by the client) from real sockets on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from piggy_async._wire import Call, encode_query


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
