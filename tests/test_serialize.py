"""Models out to plain data: to_dict()/to_json(), Pydantic's TypeAdapter, FastAPI routes."""

from __future__ import annotations

import json

import msgspec
import pytest

from piggy_async import Contact, CreditBalance, CreditReception, Page
from piggy_async._serialize import json_schema

CONTACT = {
    "uuid": "c-1",
    "email": "ann@example.com",
    "credit_balance": {"balance": 120},
    "current_values": {"firstname": "Ann"},
}


def contact() -> Contact:
    return msgspec.convert(CONTACT, Contact)


def test_to_dict_is_json_ready_and_complete() -> None:
    data = contact().to_dict()
    assert data["uuid"] == "c-1"
    assert data["credit_balance"] == {"balance": 120, "id": None}
    assert data["current_values"] == {"firstname": "Ann"}
    # every field is there, defaults included, and the whole thing is plain JSON
    assert set(data) == set(Contact.__struct_fields__)
    assert json.loads(json.dumps(data)) == data


def test_to_json_round_trips() -> None:
    original = contact()
    text = original.to_json()
    assert isinstance(text, str)
    assert msgspec.json.decode(text, type=Contact) == original
    assert json.loads(text) == original.to_dict()


def test_a_transaction_union_member_serialises_with_its_type() -> None:
    tx = msgspec.json.decode(
        b'{"type": "credit_reception", "uuid": "t-1", "credits": 5}', type=CreditReception
    )
    assert tx.to_dict()["credits"] == 5
    assert json.loads(tx.to_json())["uuid"] == "t-1"


def test_json_schema_inlines_nested_models() -> None:
    schema = json_schema(Contact)
    assert "$ref" not in json.dumps(schema)
    assert schema["properties"]["uuid"] == {"type": "string"}
    assert "uuid" in schema["required"]


# --- Pydantic ---------------------------------------------------------------------------

pydantic = pytest.importorskip("pydantic")


def test_type_adapter_validates_and_dumps() -> None:
    adapter = pydantic.TypeAdapter(Contact)
    original = contact()
    assert adapter.validate_python(original) is original
    assert adapter.validate_python(CONTACT) == original
    assert adapter.validate_json(original.to_json()) == original
    assert adapter.dump_python(original) == original.to_dict()
    assert json.loads(adapter.dump_json(original)) == original.to_dict()
    assert adapter.json_schema()["properties"]["email"]["anyOf"][0] == {"type": "string"}


def test_type_adapter_rejects_bad_data_with_a_validation_error() -> None:
    adapter = pydantic.TypeAdapter(Contact)
    with pytest.raises(pydantic.ValidationError, match="not a valid Contact"):
        adapter.validate_python({"email": "no uuid"})


def test_models_nest_inside_pydantic_models_and_generics() -> None:
    class Wrapper(pydantic.BaseModel):
        contact: Contact
        balances: list[CreditBalance]

    wrapped = Wrapper(contact=CONTACT, balances=[{"balance": 1}])
    assert isinstance(wrapped.contact, Contact)
    dumped = json.loads(wrapped.model_dump_json())
    assert dumped["contact"]["email"] == "ann@example.com"
    assert dumped["balances"] == [{"balance": 1, "id": None}]
    page = pydantic.TypeAdapter(Page[Contact]).validate_python({"items": [CONTACT]})
    assert isinstance(page.items[0], Contact)
