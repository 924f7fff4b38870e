"""Every documented Piggy error code -> its class and family, whatever the HTTP status.

The cases are generated from the code table (``piggy_async/_codes.py``, itself generated
from Piggy's docs by ``tools/extract_error_codes.py``).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType

import pytest
from aiohttp import web

import piggy_async
from piggy_async import (
    APIStatusError,
    AsyncPiggy,
    BadRequestError,
    ConflictError,
    ContactNotFoundError,
    ErrorCode,
    ExpiredError,
    InactiveError,
    InsufficientBalanceError,
    InvalidInputError,
    LimitReachedError,
    ModelNotFoundError,
    NotFoundError,
    ShopNotFoundError,
    UnprocessableEntityError,
    _error_map,
    _policy,
)
from piggy_async._codes import CODES, CodeRow
from piggy_async._error_map import FAMILY_ERRORS, SPECIFIC_ERRORS, code_error_class

ROOT = Path(__file__).resolve().parent.parent

FAMILY_CLASSES: dict[str, type[APIStatusError]] = {
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "insufficient_balance": InsufficientBalanceError,
    "limit_reached": LimitReachedError,
    "expired": ExpiredError,
    "inactive": InactiveError,
    "invalid_input": InvalidInputError,
}
STATUS_CLASSES = {400: BadRequestError, 404: NotFoundError, 409: ConflictError}


def _error(status: int, code: int | str, message: str) -> APIStatusError:
    body = json.dumps({"message": message, "code": code, "status_code": status}).encode()
    return _policy.error_from_response(
        status, body, {}, method="GET", url="http://127.0.0.1/x", now=0.0
    )


def _row_id(row: CodeRow) -> str:
    return f"{row.code}-{row.name}"


@pytest.mark.parametrize("status", [400, 404])
@pytest.mark.parametrize("row", CODES, ids=_row_id)
def test_each_documented_code_raises_its_family(row: CodeRow, status: int) -> None:
    err = _error(status, row.code, row.message)
    assert err.status_code == status
    assert err.code == row.code
    assert isinstance(err.code, ErrorCode)
    assert err.message == row.message
    family = FAMILY_CLASSES.get(row.family)
    if family is None:  # family "other": the HTTP status decides
        assert type(err) is STATUS_CLASSES[status]
    else:
        assert isinstance(err, family)
        assert type(err) is SPECIFIC_ERRORS.get(row.code, family)


@pytest.mark.parametrize("row", CODES, ids=_row_id)
def test_each_code_is_named_and_classified_by_its_message(row: CodeRow) -> None:
    assert ErrorCode[row.name] == row.code
    assert row.family in (*FAMILY_CLASSES, "other")
    expected = SPECIFIC_ERRORS.get(row.code, FAMILY_CLASSES.get(row.family))
    assert code_error_class(row.code, row.message) is expected
    # Piggy's message may come without the final full stop or in another case.
    assert code_error_class(row.code, row.message.rstrip(".").upper()) is expected


def test_error_code_names_every_documented_code() -> None:
    assert {int(member) for member in ErrorCode} == {row.code for row in CODES}
    assert piggy_async.ErrorCode is ErrorCode
    assert FAMILY_ERRORS == FAMILY_CLASSES


def test_the_issue_s_examples() -> None:
    """The codes that reached users as a plain BadRequestError before."""
    for code in (80004, 6003, 110000, 5001, 60003):
        err = _error(400, code, "whatever Piggy says")
        assert isinstance(err, NotFoundError), code
        assert not isinstance(err, BadRequestError)
    assert type(_error(400, 55031, "Contact not found.")) is ContactNotFoundError
    assert type(_error(400, 1008, "Shop not found.")) is ShopNotFoundError
    assert type(_error(400, 60013, "Model not found.")) is ModelNotFoundError
    assert type(_error(422, 1003, "Invalid input.")) is InvalidInputError
    assert isinstance(_error(400, 1017, "Insufficient credits."), InsufficientBalanceError)
    assert isinstance(_error(400, 80005, "x"), ConflictError)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
    ],
)
def test_unknown_code_gives_the_status_class_with_the_code(
    status: int, cls: type[APIStatusError]
) -> None:
    err = _error(status, 424242, "Something new.")
    assert type(err) is cls
    assert err.code == 424242
    assert not isinstance(err.code, ErrorCode)
    assert "Piggy code 424242" in str(err)


def test_code_sent_as_a_string_is_still_typed() -> None:
    err = _error(400, "80004", "Voucher not found.")
    assert isinstance(err, NotFoundError)
    assert err.code is ErrorCode.VOUCHER_NOT_FOUND


@pytest.mark.parametrize(
    ("code", "message", "cls"),
    [
        (80300, "Webhook subscription not found.", NotFoundError),
        (80300, "Reward is expired.", ExpiredError),
        (80531, "Shift status not found.", NotFoundError),
        (80531, "Shift with external id already exists for this account.", ConflictError),
    ],
)
def test_a_code_with_two_meanings_is_decided_by_its_message(
    code: int, message: str, cls: type[APIStatusError]
) -> None:
    assert type(_error(400, code, message)) is cls


def test_a_code_with_two_meanings_and_an_unknown_message_gives_the_status_class() -> None:
    assert type(_error(400, 80300, "Something else.")) is BadRequestError
    assert type(_error(404, 80531, "Something else.")) is NotFoundError


def test_invalid_input_keeps_the_field_errors() -> None:
    body = json.dumps(
        {"message": "Invalid input.", "code": 1003, "errors": {"email": ["The email is invalid."]}}
    ).encode()
    err = _policy.error_from_response(400, body, {}, method="POST", url="http://x", now=0.0)
    assert isinstance(err, InvalidInputError)
    assert err.errors == {"email": ["The email is invalid."]}


def _load_extractor() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extract_error_codes", ROOT / "tools" / "extract_error_codes.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_error_codes"] = module
    spec.loader.exec_module(module)
    return module


def test_docs_errors_page_matches_the_code_table() -> None:
    tool = _load_extractor()
    page = (ROOT / "docs" / "errors.md").read_text("utf-8")
    table = page.split(tool.BEGIN, 1)[1].split(tool.END, 1)[0].strip("\n")
    assert table == tool.render_table(CODES).strip("\n")


def test_extractor_classifies_like_the_committed_table() -> None:
    """The rules and overrides of the tool still give the committed families and names."""
    tool = _load_extractor()
    for row in CODES:
        assert tool.family_of(row.code, row.message) == row.family, row
        assert tool.name_of(row.code, row.message) == row.name, row


# -- through the transport, against a loopback server that answers like Piggy -------------


@asynccontextmanager
async def _serve(answers: dict[str, tuple[int, dict[str, object]]]) -> AsyncIterator[str]:
    async def handler(request: web.Request) -> web.Response:
        status, body = answers[request.match_info["tail"].split("/")[0]]
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_route("*", "/api/v3/oauth/clients/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/api/v3/oauth/clients"
    finally:
        await runner.cleanup()


_UUID = "c0ffee00-0000-4000-8000-000000000000"


@pytest.mark.parametrize("status", [400, 404])
async def test_through_the_transport(status: int) -> None:
    answers = {
        "contacts": (status, {"message": "Contact not found.", "code": 55031, "status_code": 400}),
        "vouchers": (status, {"message": "Voucher not found.", "code": 80004, "status_code": 400}),
        "rewards": (status, {"message": "Reward not found.", "code": 6003, "status_code": 400}),
    }
    async with (
        _serve(answers) as base_url,
        AsyncPiggy(api_key="k", base_url=base_url, max_retries=0) as piggy,
    ):
        with pytest.raises(ContactNotFoundError) as contact:
            await asyncio.wait_for(piggy.contacts.get(_UUID), 10)
        with pytest.raises(NotFoundError) as voucher:
            await asyncio.wait_for(piggy.vouchers.find_one_by(code="PIZZA-1"), 10)
        with pytest.raises(NotFoundError) as reward:
            await asyncio.wait_for(piggy.rewards.get(_UUID), 10)
    assert contact.value.status_code == status
    assert voucher.value.code is ErrorCode.VOUCHER_NOT_FOUND
    assert reward.value.code is ErrorCode.REWARD_NOT_FOUND
    assert "Piggy code 80004" in str(voucher.value)


def test_a_typed_error_pickles_with_its_code() -> None:
    import pickle

    err = _error(400, 80004, "Voucher not found.")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is NotFoundError
    assert back.code is ErrorCode.VOUCHER_NOT_FOUND
    assert (back.status_code, back.message) == (400, "Voucher not found.")


def test_the_tables_built_from_the_code_list_are_the_ones_in_use() -> None:
    # Rebuilt here (not only at import), so that the build itself is checked.
    code_map, message_map = _error_map._build()
    assert code_map == dict(_error_map.CODE_CLASSES)
    assert message_map == dict(_error_map.MESSAGE_CLASSES)
    assert code_map[55031] is ContactNotFoundError  # a specific class wins over its family
    assert code_map[80004] is NotFoundError
    assert 80300 not in code_map  # two families: the message decides
    assert 80531 not in code_map
    assert message_map[80300, "reward is expired"] is ExpiredError
    assert message_map[80300, "webhook subscription not found"] is NotFoundError
    assert message_map[80531, "shift with external id already exists for this account"] is (
        ConflictError
    )
    assert _error_map.code_error_class(80300, " Reward is expired. ") is ExpiredError
    assert all(cls is not None for cls in code_map.values())
