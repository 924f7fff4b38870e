"""Decoding as a caller sees it when the body is wrong: the exact ResponseDecodeError text,
its JSON path, the bytes it carries; and the values decoded when the body is right."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from piggy_async import Contact, LoyaltyTransaction, ResponseDecodeError, VoucherRedemptions
from piggy_async._decode import decode_data, decode_page

BAD_ATTRIBUTES = b'[{"attribute": {"name": "a"}, "value": 1}, {"attribute": {"name": 5}}]'


def test_a_malformed_attributes_list_names_the_list_and_keeps_its_bytes() -> None:
    body = b'{"data": {"uuid": "u", "attributes": ' + BAD_ATTRIBUTES + b"}}"
    contact = decode_data(Contact, body, endpoint="GET /contacts/{uuid}", method="GET", url="u")
    assert contact.uuid == "u"
    with pytest.raises(ResponseDecodeError) as info:
        contact.attributes  # noqa: B018
    err = info.value
    assert str(err) == (
        "unexpected response from Contact.attributes: Expected `str`, got `int`"
        " at $.attributes[1].attribute.name"
    )
    assert err.path == "$.attributes[1].attribute.name"
    assert err.body == BAD_ATTRIBUTES
    assert (err.method, err.url) == (None, None)


def test_multi_redeem_without_redemptions_keeps_the_promotions_custom_attributes() -> None:
    # `voucher_redemptions` absent: the default list stands, and the promotion inside the
    # voucher still collects its top-level custom keys (docs page vouchers).
    body = (
        b'{"data": {"voucher": {"uuid": "v", "promotion": {"uuid": "p", "name": "P",'
        b' "colour": "red", "attributes": {"size": 2}}}}}'
    )
    result = decode_data(VoucherRedemptions, body)
    assert result.voucher_redemptions == []
    assert result.voucher.promotion is not None
    assert result.voucher.promotion.name == "P"
    assert result.voucher.promotion.attributes == {"size": 2, "colour": "red"}


def test_a_kept_page_of_contacts_does_not_keep_the_whole_body() -> None:
    contact = b'{"uuid": "u", "attributes": [{"attribute": {"name": "a"}, "value": 1}]}'
    body = bytes(bytearray(b'{"data": [' + contact + b", " + contact + b'], "meta": {}}'))
    before = sys.getrefcount(body)
    page = decode_page(Contact, body)
    assert sys.getrefcount(body) == before  # each contact's attributes bytes are copied out
    assert [c.uuid for c in page.items] == ["u", "u"]
    assert [a.value for a in page.items[1].attributes] == [1]


@pytest.mark.parametrize("decode", [decode_data, decode_page])
def test_without_an_endpoint_the_error_names_piggy(decode: Any) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        decode(Contact, b'{"data": 5}')
    assert str(info.value).startswith("unexpected response from Piggy: Expected `")
    assert info.value.path == "$.data"


@pytest.mark.parametrize(
    ("body", "text", "path"),
    [
        (b'{"data": [', "response from GET /contacts is not valid JSON: ", None),
        (
            b'{"meta": {}}',
            "unexpected response from GET /contacts: Object missing required field `data` at $",
            "$",
        ),
        (
            b'{"data": [{"uuid": 5}]}',
            "unexpected response from GET /contacts: Expected `str`, got `int` at $.data[0].uuid",
            "$.data[0].uuid",
        ),
        (  # the envelope itself is wrong: no path to name
            b"[1]",
            "unexpected response from GET /contacts: Expected `object`, got `array`",
            None,
        ),
    ],
)
@pytest.mark.parametrize("decode", [decode_data, decode_page])
def test_a_bad_body_error_carries_the_call(
    decode: Any, body: bytes, text: str, path: str | None
) -> None:
    model = Contact if decode is decode_page else list[Contact]
    with pytest.raises(ResponseDecodeError) as info:
        decode(model, body, endpoint="GET /contacts", method="GET", url="https://x/contacts")
    err = info.value
    if text.endswith(": "):  # the JSON parser's own words follow
        assert str(err).startswith(text)
    else:
        assert str(err) == text + " (GET https://x/contacts)"
    assert str(err).endswith("(GET https://x/contacts)")
    assert err.path == path
    assert (err.method, err.url, err.body) == ("GET", "https://x/contacts", body)
    assert err.__cause__ is None
    assert err.__suppress_context__


@pytest.mark.parametrize(
    ("decode", "data", "path"),
    [
        (decode_data, b'{"type": "credit_reception", "uuid": "t", "credits": "x"}', "$.data"),
        (
            decode_page,
            b'[{"type": "reward_reception", "uuid": "r"},'
            b' {"type": "credit_reception", "uuid": "t", "credits": "x"}]',
            "$.data[1]",
        ),
    ],
)
def test_a_bad_loyalty_transaction_is_named_by_its_path_in_the_body(
    decode: Any, data: bytes, path: str
) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        decode(LoyaltyTransaction, b'{"data": ' + data + b"}", endpoint="E", method="GET", url="u")
    assert info.value.path == f"{path}.credits"
    assert str(info.value) == (
        f"unexpected response from E: Expected `int | null`, got `str` at {path}.credits (GET u)"
    )
