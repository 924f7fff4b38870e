"""What the tests of the newer sections share (bookings, visits, shifts, shift teams and
types, orders, contact session tokens, portal session variants): the documented calls of a
docs page, a request-shape check against the documented parameters, and an example check
that serves a page's "Response Example" and decodes it through the public method.

The docs parsing is ``tests/docs_examples.py``; ``orders.md`` is the one page it cannot read
(another host in its URL, "Input parameters" instead of "Body", an example whose last line
ends in a Markdown ``\\``), so :func:`orders_call` reads that page itself.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
import pytest

from piggy_async import AsyncPiggy, Page
from piggy_async.testing import FakePiggy

from .conftest import SHARED
from .docs_examples import API_PREFIX, DocCall, Param, parse_json, parse_page

DOCS = SHARED / "piggy-docs"

Call = Callable[[AsyncPiggy], Awaitable[Any]]

#: A UUID for path parameters and references (the fault hook answers whatever it is).
UUID = "c0ffee00-0000-4000-8000-000000000000"


def doc_calls(page: str) -> dict[str, DocCall]:
    """Every documented call of ``page`` (``bookings``, ``shift-teams``, ...) by heading."""
    path = DOCS / f"{page}.md"
    if not path.exists():
        pytest.skip(f"Piggy's docs pages not found at {DOCS}", allow_module_level=True)
    if page == "orders":
        return {"Create Order": orders_call()}
    calls = {call.heading: call for call in parse_page(path)}
    if page == "visits":
        _unique_external_id(calls["Create Visit"])
    return calls


def _unique_external_id(call: DocCall) -> None:
    """visits.md flags ``external_id`` of "Create Visit" ``UNIQUE | OPTIONAL``, a flag the
    shared parser does not know: it is an optional body parameter."""
    if all(p.name != "external_id" for p in call.params):
        call.params.append(Param("external_id", "string", False, "body"))


#: orders.md's top-level input parameters (nested ones are only indented by the page's
#: layout, which the copy lost), transcribed from the page; ``orders_call`` checks that each
#: is on the page with the flag given here.
ORDER_PARAMS = {
    "external_identifier": True,
    "reference": False,
    "status": True,
    "payment_status": True,
    "total_order_amount": True,
    "order_amount": False,
    "total_discount_amount": False,
    "currency": False,
    "paid_at": False,
    "completed_at": False,
    "contact": True,
    "business_profile": True,
    "line_items": True,
    "applied_discounts": False,
    "charges": False,
}


def orders_call() -> DocCall:
    """orders.md's one call, read from the page: verb, URL (on api.leat.com; the path after
    ``/v3/oauth/clients`` is kept), parameters and the repaired response example."""
    text = (DOCS / "orders.md").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines()]
    url = lines[lines.index("POST") + 2].strip("`")
    assert url == "https://api.leat.com/v3/oauth/clients/orders", url
    call = DocCall(page="orders", heading="Create Order", verb="POST")
    call.url = API_PREFIX + "v3" + url.split("/v3", 1)[1]
    for name, required in ORDER_PARAMS.items():
        at = next(i for i, line in enumerate(lines) if line.startswith(f"`{name}`"))
        flag = next(line for line in lines[at + 1 :] if line in ("`required`", "`optional`"))
        assert flag == ("`required`" if required else "`optional`"), (name, flag)
        call.params.append(Param(name, "", required, "body"))
    start = text.index("` `{", text.index("Response Example")) + 3
    end = text.index("}`\\", start) + 1
    call.example_text = _repair_order_example(text[start:end])
    return call


def _repair_order_example(text: str) -> str:
    """Two slips of orders.md's example the shared repair does not cover: ``"data":`` opens
    no object, and the ``applied_discounts`` list is never closed before ``"charges"``."""
    body = re.sub(r'"data":\s*\n(\s*)"order"', r'"data": {\n\1"order"', text, count=1)
    return re.sub(r'\},\\?\s*\n(\s*)"charges"', r'}],\n\1"charges"', body, count=1)


def example_of(call: DocCall) -> Any:
    assert call.example_text is not None, f"{call.where}: no response example"
    return parse_json(call.example_text)


async def sent_by(call: Call, answer: Any = None, *, method: str | None = None) -> Any:
    """Run ``call`` against a fake whose next answer (``method``) is ``answer`` (a documented
    example, or ``{"data": [], "meta": []}``); return the request it sent."""
    body = json.dumps({"data": [], "meta": []} if answer is None else answer).encode()
    async with FakePiggy() as fake:
        fake.faults.status(200, body=body, method=method)
        async with fake.client(max_retries=0) as piggy:
            await asyncio.wait_for(call(piggy), 10)
        return fake.requests[-1]


async def check_shape(doc: DocCall, call: Call, sends: set[str]) -> None:
    """``call`` sends the documented verb and path with exactly the keys ``sends``, each one
    the docs list for it, and every one the docs mark REQUIRED."""
    sent = await sent_by(call, example_of(doc) if doc.example_text else None, method=doc.verb)
    where = f"{doc.where}: sent {sent.method} {sent.path}, docs: {doc.verb} {doc.path}"
    assert sent.method == doc.verb, where
    assert doc.path_regex().match(sent.path), where
    keys = set(sent.query) if sent.method in ("GET", "DELETE") else set(sent.json or {})
    assert keys == sends, where
    assert keys <= doc.documented_keys(), f"{where}: undocumented {keys - doc.documented_keys()}"
    assert doc.required_keys() <= keys, f"{where}: missing {doc.required_keys() - keys}"


async def check_example(doc: DocCall, call: Call, ignored: frozenset[str] = frozenset()) -> Any:
    """Serve ``doc``'s example for its verb, decode it through ``call`` and check that every
    value of the example (but the ``ignored`` keys) arrived in the model unchanged."""
    example = example_of(doc)
    async with FakePiggy() as fake:
        fake.faults.status(200, body=json.dumps(example).encode(), method=doc.verb)
        async with fake.client(max_retries=0) as piggy:
            result = await asyncio.wait_for(call(piggy), 10)
        sent = fake.requests[-1]
    assert sent.fault == "status", doc.where  # the example was what answered
    assert sent.method == doc.verb, doc.where
    assert doc.path_regex().match(sent.path), f"{doc.where}: sent {sent.path}"
    data = example["data"]
    if isinstance(result, Page):
        assert len(result.items) == len(data), doc.where
        for item, expected in zip(result.items, data, strict=True):
            assert_carries(msgspec.to_builtins(item), expected, ignored, doc.where)
        meta = msgspec.to_builtins(result.meta)
        assert_carries(meta, example["meta"], ignored, doc.where)
    else:
        assert_carries(msgspec.to_builtins(result), data, ignored, doc.where)
    return result


def assert_carries(got: Any, expected: Any, ignored: frozenset[str], where: str) -> None:
    """Every value of ``expected`` is in ``got`` (models drop nothing the docs show)."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), f"{where}: {got!r} is not an object"
        for key, value in expected.items():
            if key in ignored:
                continue
            assert key in got, f"{where}: {key!r} not decoded"
            assert_carries(got[key], value, ignored, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list), where
        assert len(got) == len(expected), where
        for got_item, item in zip(got, expected, strict=True):
            assert_carries(got_item, item, ignored, where)
    else:
        assert got == expected, f"{where}: {got!r} != {expected!r}"


async def raw(fake: FakePiggy, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """Send ``body`` as is to the fake (what the client's own checks would refuse to send),
    with its API key; the status and decoded JSON answer."""
    import aiohttp

    headers = {"Authorization": f"Bearer {fake.token}", "Accept": "application/json"}
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
        session.request(method, fake.base_url + path, json=body, headers=headers) as resp,
    ):
        return resp.status, await resp.json()


def assert_piggy_error(answer: tuple[int, Any], code: int, message: str) -> None:
    """An answer in Piggy's documented error shape: HTTP 400, ``code``, ``message``."""
    status, body = answer
    assert status == 400, answer
    assert body["status_code"] == 400, answer
    assert (body["code"], body["message"]) == (code, message), answer
