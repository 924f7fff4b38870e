"""What users read and keep of an error: exact texts, reprs, defaults and pickled copies.

Table-driven over every error class that builds its own text, so that a changed word, a
dropped method/URL or a wrong default shows as a failing row.
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from piggy_async._auth import ApiKeyAuth, ClientCredentialsAuth, Token
from piggy_async.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidInputError,
    PiggyError,
    ResponseDecodeError,
    ResponseTooLargeError,
)

URL = "https://api.piggy.eu/api/v3/oauth/clients/contacts/find-one-by?email=ann@example.com"
BARE = "https://api.piggy.eu/api/v3/oauth/clients/contacts/find-one-by"
UNKNOWN = "; outcome unknown: Piggy may have processed it, so it was not retried"


def _made(cls: type[PiggyError], **extra: Any) -> PiggyError:
    if issubclass(cls, APIStatusError):
        return cls(
            "Contact not found.", status_code=400, code=55031, method="GET", url=URL, **extra
        )
    if cls is ResponseTooLargeError:
        return cls("too large", method="GET", url=URL, limit=10)
    return cls("it broke", method="GET", url=URL)


@pytest.mark.parametrize(
    ("cls", "head"),
    [
        (PiggyError, "it broke"),
        (APIConnectionError, "it broke"),
        (APITimeoutError, "it broke"),
        (ResponseDecodeError, "it broke"),
        (ResponseTooLargeError, "too large"),
        (APIStatusError, "HTTP 400, Piggy code 55031: Contact not found."),
    ],
)
def test_texts_name_the_request_without_query_values(cls: type[PiggyError], head: str) -> None:
    err = _made(cls)
    assert str(err) == f"{head} (GET {BARE}?...)"
    assert repr(err) == f"{cls.__name__}({str(err)!r})"
    assert "ann@example.com" not in str(err) + repr(err)
    assert (err.method, err.url, err.attempts) == ("GET", URL, 1)
    err.attempts = 2
    assert str(err) == f"{head} (GET {BARE}?...) after 2 attempts"
    err.outcome_unknown = True
    assert str(err).endswith(f"after 2 attempts{UNKNOWN}")
    assert str(err).startswith(head)


def test_without_a_query_nothing_is_marked_and_without_a_method_no_request_is_named() -> None:
    assert str(PiggyError("x", method="GET", url=BARE)) == f"x (GET {BARE})"
    assert str(PiggyError("x", url=URL)) == "x"
    assert str(PiggyError("x", method="GET")) == "x"
    assert (
        str(PiggyError("x", method="GET", url="https://h/p?a=1?b=2")) == "x (GET https://h/p?...)"
    )


def test_field_errors_are_spelled_out() -> None:
    err = InvalidInputError(
        "Invalid input.",
        status_code=400,
        code=1003,
        errors={"email": ["is required", "must be valid"], "name": ["too long"]},
    )
    assert str(err) == (
        "HTTP 400, Piggy code 1003: Invalid input. [email: is required must be valid; name: too long]"
    )


def test_defaults() -> None:
    assert APIConnectionError("x").request_sent is True
    decode = ResponseDecodeError("x")
    assert (decode.body, decode.status_code, decode.path) == (b"", None, None)
    assert APIStatusError("x", status_code=500).body == b""
    assert PiggyError("x").args == ("x",)


@pytest.mark.parametrize(
    "err",
    [
        _made(APIStatusError, errors={"f": ["bad"]}, retry_after=3.0),
        _made(APITimeoutError),
        _made(ResponseDecodeError),
        _made(ResponseTooLargeError),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle_and_copy_whole(err: PiggyError) -> None:
    err.attempts = 3
    err.outcome_unknown = True
    for again in (pickle.loads(pickle.dumps(err)), copy.copy(err), copy.deepcopy(err)):
        assert type(again) is type(err)
        assert (again.args, str(again), again.__dict__) == (err.args, str(err), err.__dict__)


def test_tokens_renew_a_tenth_early_at_most_a_minute() -> None:
    assert Token("t", 3600.0, now=100.0).renew_at == 100.0 + 3600.0 - 60.0
    assert Token("t", 300.0, now=0.0).renew_at == 270.0
    assert Token("t", 0.0, now=5.0).renew_at == 5.0
    assert Token("t", 0.5, now=0.0).renew_at == pytest.approx(0.45)


def test_credentials_never_show() -> None:
    assert repr(Token("secret-token", 60.0, now=0.0)) == "Token(<redacted>)"
    assert repr(ApiKeyAuth("secret-key")) == "ApiKeyAuth(<redacted>)"
    assert repr(ClientCredentialsAuth("id", "secret")) == "ClientCredentialsAuth(<redacted>)"


def test_a_status_error_names_no_request_without_its_method() -> None:
    assert str(APIStatusError("x", status_code=500, url=URL)) == "HTTP 500: x"
    assert str(APIStatusError("x", status_code=500, method="GET")) == "HTTP 500: x"


def test_a_decode_error_keeps_what_it_is_given() -> None:
    err = ResponseDecodeError("bad", path="$.data.uuid", body=b"{}", status_code=200)
    assert (err.path, err.body, err.status_code) == ("$.data.uuid", b"{}", 200)


def test_a_long_path_segment_is_cut_in_the_text_and_kept_in_the_url() -> None:
    long = "u" * 10_000
    url = f"https://api.piggy.eu/api/v3/oauth/clients/contacts/{long}/tier?x=1"
    err = APIStatusError("Not found.", status_code=404, method="GET", url=url)
    cut = "u" * 60 + "... (10000 characters)"
    assert str(err) == (
        f"HTTP 404: Not found. (GET https://api.piggy.eu/api/v3/oauth/clients/contacts/{cut}/tier?...)"
    )
    assert err.url == url
    exact = "v" * 60  # (60 characters: shown whole)
    assert exact + "/" in str(
        APIStatusError("x", status_code=404, method="GET", url=f"https://h/{exact}/a" + "b" * 5)
    )
