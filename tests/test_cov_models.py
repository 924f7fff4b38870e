"""Models as a user handles them: Pydantic validation from JSON text, schemas without
``$ref``, contacts compared and pretty-printed, raw answers, and the shapes of answers to
``contact_verification.send`` that count as confirmed."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from piggy_async import AsyncPiggy, Contact, ResponseDecodeError, capture_response
from piggy_async import types as models
from piggy_async._raw import RawResponse
from piggy_async.testing import FakePiggy

pydantic = pytest.importorskip("pydantic")

ALL_MODELS = sorted(
    (
        value
        for value in vars(models).values()
        if isinstance(value, type)
        and issubclass(value, msgspec.Struct)
        and hasattr(value, "__get_pydantic_json_schema__")
    ),
    key=lambda cls: cls.__name__,
)


def test_pydantic_validates_json_text_a_mapping_and_an_instance() -> None:
    adapter = pydantic.TypeAdapter(models.ContactRef)
    uuid = "7a6b9a7c-4f6f-4e7b-9a0c-000000000001"
    from_text = adapter.validate_python(json.dumps({"uuid": uuid}))
    from_bytes = adapter.validate_python(json.dumps({"uuid": uuid}).encode())
    from_mapping = adapter.validate_python({"uuid": uuid})
    assert from_text == from_bytes == from_mapping
    assert adapter.validate_python(from_text) is from_text
    assert from_text.uuid == uuid
    with pytest.raises(pydantic.ValidationError, match="not a valid ContactRef"):
        adapter.validate_python("{not json")


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda cls: cls.__name__)
def test_every_models_schema_is_self_contained(model: Any) -> None:
    schema = pydantic.TypeAdapter(model).json_schema()
    assert "$ref" not in json.dumps(schema)
    assert schema.get("title") == model.__name__ or "properties" in schema


async def test_a_fetched_contact_compares_and_pretty_prints_like_a_contact() -> None:
    async with FakePiggy(contacts=2) as fake:
        client: AsyncPiggy = fake.client()
        try:
            first, second = list(fake.store.contacts)
            contact = await client.contacts.get(first)
            same = await client.contacts.get(first)
            other = await client.contacts.get(second)
        finally:
            await client.aclose()
    assert isinstance(contact, Contact)
    assert contact == same
    assert contact != other
    assert contact != {"uuid": first}  # not a contact: never equal
    assert (contact == "x") is False
    fields = dict(
        item if isinstance(item, tuple) and len(item) == 2 else (item, None)
        for item in contact.__rich_repr__()
    )
    assert fields["uuid"] == first
    assert fields["attributes"] == contact.attributes  # decoded, not raw bytes
    assert isinstance(contact.attributes, list)


def test_raw_response_json_of_a_body_that_is_not_json() -> None:
    raw = RawResponse(200, {"Content-Type": "text/html"}, b"<html>", method="GET", url="u")
    with pytest.raises(ResponseDecodeError, match="the response body is not JSON") as caught:
        raw.json()
    assert caught.value.method == "GET"
    assert RawResponse(200, {}, b'{"a": [1]}', method="GET", url="u").json() == {"a": [1]}


async def test_only_calls_inside_capture_response_are_captured() -> None:
    async with FakePiggy(contacts=1) as fake:
        client: AsyncPiggy = fake.client()
        uuid = next(iter(fake.store.contacts))
        try:
            with capture_response() as captured:
                await client.contacts.get(uuid)
            inside = captured.response
            await client.contacts.get(uuid)  # outside the block: not recorded anywhere
        finally:
            await client.aclose()
    assert inside is not None
    assert inside.status_code == 200
    assert captured.response is inside
    assert inside.json()["data"]["uuid"] == uuid


@pytest.mark.parametrize(
    ("data", "confirmed"),
    [
        ({"type": "Success", "message": "sent"}, True),
        ({"type": "Error"}, False),
        ([True], True),
        ([False], False),
        ([], False),
        (True, True),
        ("yes", False),
        (None, False),
    ],
)
async def test_contact_verification_send_confirms_only_a_success(
    data: Any, confirmed: bool
) -> None:
    async with FakePiggy(contacts=1) as fake:
        body = json.dumps({"data": data}).encode()
        fake.faults.status(200, body=body, path="/contact-verification/send")
        client: AsyncPiggy = fake.client()
        try:
            assert await client.contact_verification.send(email="a@example.com") is confirmed
        finally:
            await client.aclose()
        (sent,) = fake.requests_to("POST", "/contact-verification/send")
        assert sent.json == {"email": "a@example.com"}
