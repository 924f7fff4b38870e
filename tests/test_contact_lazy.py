"""A decoded Contact's deprecated ``attributes`` list is decoded on first read: typed,
cached, equal to an eager decode, and malformed content raises ResponseDecodeError then."""

from __future__ import annotations

import copy
import json
import pickle
import sys
from typing import Any

import msgspec
import pytest

from piggy_async import Contact, ContactAttribute, ResponseDecodeError
from piggy_async._decode import builtins_hook, decode_data, decode_page, decoder_for

from .conftest import shared_path

SLOT: Any = Contact.__dict__["attributes"]  # the field's storage, read without decoding


def _seed() -> bytes:
    return shared_path("fixtures", "seed", "contact_get.json").read_bytes()


def _eager(raw: bytes) -> list[ContactAttribute]:
    data = json.loads(raw)["data"]["attributes"]
    return msgspec.convert(data, list[ContactAttribute])


def _stored(contact: Contact) -> Any:
    return SLOT.__get__(contact, Contact)


def test_attributes_are_decoded_on_first_read_and_cached() -> None:
    contact = decode_data(Contact, _seed())
    assert isinstance(contact, Contact)
    assert isinstance(_stored(contact), msgspec.Raw)  # nothing decoded yet
    first = contact.attributes
    assert isinstance(_stored(contact), list)
    assert contact.attributes is first  # cached
    assert first == _eager(_seed())
    assert all(isinstance(a, ContactAttribute) for a in first)
    assert (
        first[0].attribute.name == json.loads(_seed())["data"]["attributes"][0]["attribute"]["name"]
    )


def test_the_other_fields_do_not_need_the_attributes() -> None:
    contact = decode_data(Contact, _seed())
    assert (contact.uuid, contact.email, contact.current_values["city"]) == (
        "123",
        "john@doe.com",
        "Duckburg",
    )
    assert isinstance(_stored(contact), msgspec.Raw)


def test_a_lazy_contact_equals_the_eager_one_both_ways() -> None:
    lazy = decode_data(Contact, _seed())
    data = json.loads(_seed())["data"]
    eager = msgspec.convert(data, Contact)
    assert type(eager) is Contact
    assert eager == lazy
    assert lazy == eager
    assert decode_data(Contact, _seed()) == decode_data(Contact, _seed())
    other = msgspec.structs.replace(eager, attributes=[])
    assert lazy != other
    assert other != decode_data(Contact, _seed())


def test_repr_pickle_copy_and_encode_see_the_decoded_list() -> None:
    contact = decode_data(Contact, _seed())
    assert "attributes=[ContactAttribute(" in repr(contact)
    restored = pickle.loads(pickle.dumps(decode_data(Contact, _seed())))
    assert type(restored) is Contact
    assert restored.attributes == _eager(_seed())
    assert copy.deepcopy(decode_data(Contact, _seed())).attributes == _eager(_seed())
    assert copy.copy(decode_data(Contact, _seed())).attributes == _eager(_seed())
    again = decode_data(
        Contact, b'{"data": ' + msgspec.json.encode(decode_data(Contact, _seed())) + b"}"
    )
    assert again == contact
    read = decode_data(Contact, _seed())
    read.attributes  # noqa: B018 - once read, to_builtins sees the list
    assert msgspec.to_builtins(read)["attributes"][0]["attribute"]["name"] == "avatar"


def test_attributes_can_be_set() -> None:
    contact = decode_data(Contact, _seed())
    replacement = [ContactAttribute(attribute=_eager(_seed())[0].attribute, value="x")]
    contact.attributes = replacement
    assert contact.attributes is replacement


def test_a_page_of_contacts_is_lazy_too() -> None:
    data = json.loads(_seed())["data"]
    body = json.dumps({"data": [data, data], "meta": {}}).encode()
    page = decode_page(Contact, body)
    assert [isinstance(_stored(c), msgspec.Raw) for c in page.items] == [True, True]
    assert page.items[1].attributes == _eager(_seed())


def test_malformed_attributes_raise_response_decode_error_on_read() -> None:
    data = json.loads(_seed())["data"]
    data["attributes"][1]["attribute"]["name"] = 5
    contact = decode_data(Contact, json.dumps({"data": data}).encode())
    assert contact.uuid == "123"  # the rest decodes
    for _ in range(2):  # and every read says so again
        with pytest.raises(ResponseDecodeError) as info:
            contact.attributes  # noqa: B018
        assert info.value.path == "$.attributes[1].attribute.name"
        assert "Expected `str`, got `int`" in str(info.value)
        assert "Contact.attributes" in str(info.value)


def test_attributes_not_a_list_raise_response_decode_error_on_read() -> None:
    data = json.loads(_seed())["data"]
    data["attributes"] = {"not": "a list"}
    contact = decode_data(Contact, json.dumps({"data": data}).encode())
    with pytest.raises(ResponseDecodeError, match="Expected `array`, got `object`"):
        contact.attributes  # noqa: B018


def test_invalid_json_in_attributes_fails_at_decode_time() -> None:
    body = _seed().replace(b'"attributes": [', b'"attributes": [}', 1)
    with pytest.raises(ResponseDecodeError, match="not valid JSON"):
        decode_data(Contact, body)


def test_missing_attributes_read_as_an_empty_list() -> None:
    contact = decode_data(Contact, b'{"data": {"uuid": "u"}}')
    assert contact.attributes == []
    assert contact == Contact(uuid="u")


def test_to_builtins_with_the_hook_sees_the_decoded_list_without_reading_it() -> None:
    eager = msgspec.convert(json.loads(_seed())["data"], Contact)
    contact = decode_data(Contact, _seed())
    assert msgspec.to_builtins(contact, enc_hook=builtins_hook) == msgspec.to_builtins(eager)
    assert isinstance(_stored(contact), msgspec.Raw)
    with pytest.raises(TypeError, match="unsupported"):
        msgspec.to_builtins({"x": object()}, enc_hook=builtins_hook)


def test_to_builtins_with_the_hook_on_malformed_attributes_raises_response_decode_error() -> None:
    data = json.loads(_seed())["data"]
    data["attributes"][0]["attribute"] = "not an object"
    contact = decode_data(Contact, json.dumps({"data": data}).encode())
    with pytest.raises(ResponseDecodeError, match=r"\$\.attributes\[0\]\.attribute"):
        msgspec.to_builtins(contact, enc_hook=builtins_hook)


def test_a_kept_contact_does_not_keep_the_whole_body() -> None:
    body = bytes(bytearray(_seed()))  # a body of its own, as a response has
    before = sys.getrefcount(body)
    pinned = decoder_for(Contact).decode(body).data  # the bare decoder keeps a view of it
    assert sys.getrefcount(body) == before + 1
    del pinned
    contact = decode_data(Contact, body)  # the attributes' bytes are copied out
    assert sys.getrefcount(body) == before
    assert isinstance(_stored(contact), msgspec.Raw)
    assert contact.attributes == _eager(_seed())
