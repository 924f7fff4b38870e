"""Every sample body decodes into its model; PHP quirks are tolerated; bad bodies are typed."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from piggy_async import (
    Automation,
    Contact,
    ContactRef,
    CreditBalance,
    Form,
    LoyaltyTransaction,
    PortalSession,
    PrepaidBalance,
    ResponseDecodeError,
)
from piggy_async._decode import decode_data, decode_page
from piggy_async.resources.contacts_portal import _AuthUrl

from .conftest import load_shared_json, shared_path

SEED_MODELS: dict[str, Any] = {
    "automation_run_create.json": Any,
    "automations_list.json": list[Automation],
    "contact_anonymous_create.json": ContactRef,
    "contact_claim_anonymous.json": Contact,
    "contact_create.json": ContactRef,
    "contact_create_async.json": ContactRef,
    "contact_credit_balance.json": CreditBalance,
    "contact_delete.json": None,
    "contact_find_one_by.json": Contact,
    "contact_find_or_create.json": Contact,
    "contact_find_or_create_async.json": ContactRef,
    "contact_get.json": Contact,
    "contact_prepaid_balance.json": PrepaidBalance,
    "contact_update.json": Contact,
}


def _raw(name: str) -> bytes:
    return shared_path("fixtures", "seed", name).read_bytes()


@pytest.mark.parametrize("name", sorted(SEED_MODELS))
def test_seed_sample_decodes(name: str) -> None:
    model = SEED_MODELS[name]
    raw = _raw(name)
    value = decode_data(model, raw)
    expected = json.loads(raw)["data"]
    # Round trip: everything the model keeps equals the sample's JSON.
    if model is Any or model is None:
        assert value == expected
    else:
        if isinstance(value, Contact):
            value.attributes  # noqa: B018 - decoded on first read; to_builtins sees the slot
        built = msgspec.to_builtins(value)
        _assert_subset(built, expected)


def _assert_subset(built: Any, expected: Any) -> None:
    if isinstance(built, dict):
        for key, value in built.items():
            if key not in expected:
                assert value in ({}, [], None), f"{key} = {value!r} is not in the sample"
                continue
            _assert_subset(value, expected[key])
    elif isinstance(built, list):
        assert len(built) == len(expected)
        for a, b in zip(built, expected, strict=False):
            _assert_subset(a, b)
    else:
        assert built == expected


def test_all_seed_samples_are_covered() -> None:
    names = {p.name for p in shared_path("fixtures", "seed").glob("*.json")}
    assert names - set(SEED_MODELS) == {
        "contact_loyalty_transactions.json",
        "contact_update_example_request.json",
    }


def test_seed_contact_keeps_json_types() -> None:
    contact = decode_data(Contact, _raw("contact_get.json"))
    assert isinstance(contact, Contact)
    assert contact.uuid == "123"
    assert contact.email == "john@doe.com"
    assert contact.id == 22
    values = contact.current_values
    assert values["housenumber"] == 12
    assert type(values["housenumber"]) is int
    assert values["is_anonymous"] is False
    assert values["age"] is None
    assert values["city"] == "Duckburg"
    assert contact.current_display_values["tier"] == "Gold"
    assert contact.tier is not None
    assert contact.tier.name == "Gold"
    assert contact.credit_balance == CreditBalance(balance=1612, id=2625740)
    assert contact.prepaid_balance == PrepaidBalance(balance_in_cents=2000)
    assert len(contact.attributes) == 27
    channel = next(a for a in contact.attributes if a.attribute.name == "channel")
    assert channel.attribute.type == "select"
    assert channel.attribute.is_hard_read_only is True
    assert [o.value for o in channel.attribute.options][:2] == ["BUSINESS_APP", "API"]
    assert contact.subscriptions[0].status == "UNSUBSCRIBED"
    assert contact.subscriptions[0].subscription_type.strategy == "DOUBLE_OPT_IN"


def test_seed_loyalty_transactions_page() -> None:
    page = decode_page(LoyaltyTransaction, _raw("contact_loyalty_transactions.json"))
    assert len(page.items) == 10
    assert page.meta.total == 57
    assert page.meta.last_page == 6
    assert page.next_page == 2
    tx = page.items[0]
    assert tx.type == "credit_reception"
    assert tx.credits == 1177
    assert tx.shop is not None
    assert tx.shop.address is not None
    assert tx.shop.address.city == "Duckburg"
    assert tx.unit is not None
    assert tx.unit.label == "Calories"
    assert tx.contact is not None
    assert tx.contact.credit_balance == CreditBalance(2929, 2625740)
    assert tx.unit_value == 1.15


PHP_SDK_MODELS: dict[str, Any] = {
    "automations.list": list[Automation],
    "automations.create": Any,
    "contacts.get": Contact,
    "contacts.findOneBy": Contact,
    "contacts.findOrCreate": Contact,
    "contacts.update": Contact,
    "contacts.claimAnonymousContact": Contact,
    "contacts.create": ContactRef,
    "contacts.createAsync": ContactRef,
    "contacts.createAnonymously": ContactRef,
    "contacts.findOrCreateAsync": ContactRef,
    "contacts.getCreditBalance": CreditBalance,
    "contacts.getPrepaidBalance": PrepaidBalance,
    "contacts.destroy": None,
    "forms.list": list[Form],
    "contactsPortalAuthUrl.get": _AuthUrl,
    "portalSessions.create": PortalSession,
    "portalSessions.get": PortalSession,
}


def _php_cases() -> list[Any]:
    try:
        entries = load_shared_json("fixtures", "php-sdk", "responses.json")
    except pytest.skip.Exception:
        return []
    return [
        pytest.param(e, id=f"{e['sdk_call']}:{e['test']}")
        for e in entries
        if e["sdk_call"] in PHP_SDK_MODELS
    ]


@pytest.mark.parametrize("entry", _php_cases())
def test_php_sdk_body_decodes(entry: dict[str, Any]) -> None:
    model = PHP_SDK_MODELS[entry["sdk_call"]]
    raw = json.dumps(entry["body"]).encode()
    value = decode_data(model, raw)
    if model not in (Any, None):
        if isinstance(value, Contact):
            value.attributes  # noqa: B018 - decoded on first read; to_builtins sees the slot
        _assert_subset(msgspec.to_builtins(value), entry["body"]["data"])


def test_php_sdk_seed_calls_all_present() -> None:
    entries = load_shared_json("fixtures", "php-sdk", "responses.json")
    calls = {e["sdk_call"] for e in entries}
    assert set(PHP_SDK_MODELS) <= calls


@pytest.mark.parametrize("empty", [b"[]", b"{}", b"null"])
def test_php_empty_map_quirk(empty: bytes) -> None:
    body = (
        b'{"data":{"uuid":"u","current_values":'
        + empty
        + b',"current_display_values":'
        + empty
        + b'},"meta":'
        + empty
        + b"}"
    )
    contact = decode_data(Contact, body)
    assert contact.current_values == {}
    assert contact.current_display_values == {}
    page = decode_page(Automation, b'{"data":[{"name":"a"}],"meta":' + empty + b"}")
    assert page.items == [Automation(name="a")]
    assert page.next_page is None


def test_unknown_fields_and_new_enum_values_are_accepted() -> None:
    body = b'{"data":{"uuid":"u","brand_new":{"x":1},"subscriptions":[{"status":"SOMETHING_NEW","subscription_type":{"strategy":"NEW"},"extra":1}]}}'
    contact = decode_data(Contact, body)
    assert contact.subscriptions[0].status == "SOMETHING_NEW"


@pytest.mark.parametrize(
    ("body", "path", "fragment"),
    [
        (b"<html>oops</html>", None, "not valid JSON"),
        (b'{"meta":[]}', "$", "missing required field `data`"),
        (
            b'{"data":{"uuid":"u","credit_balance":{"balance":"lots"}}}',
            "$.data.credit_balance.balance",
            "Expected `int`",
        ),
        (
            b'{"data":{"uuid":"u","current_values":[1]}}',
            "$.data.current_values",
            "Expected `object`",
        ),
        (b'{"data":[1,2]}', "$.data", "Expected `object`"),
        (b'{"data":{"uuid":"u"', None, "not valid JSON"),
    ],
)
def test_bad_bodies_raise_decode_error_with_path(
    body: bytes, path: str | None, fragment: str
) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        decode_data(Contact, body, endpoint="GET /contacts/{uuid}", method="GET", url="http://x")
    err = info.value
    assert err.path == path
    assert fragment in str(err)
    assert "GET /contacts/{uuid}" in str(err)
    assert err.body == body
    assert err.__cause__ is None
    assert err.__suppress_context__


def assert_model_or_decode_error(model: Any, raw: bytes) -> None:
    """The decoder's whole contract: a model instance, or ResponseDecodeError; nothing else."""
    try:
        result = decode_data(model, raw)
    except ResponseDecodeError as exc:
        error = exc
    else:
        origin = getattr(model, "__origin__", model)
        assert isinstance(result, origin)
        return
    assert error.body == raw
    assert str(error)


_json_leaf = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=5)
)
_json = st.recursive(
    _json_leaf,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(_json)
def test_any_json_decodes_to_model_or_typed_error(value: Any) -> None:
    body = msgspec.json.encode({"data": value})
    for model in (Contact, CreditBalance, list[Automation], ContactRef):
        assert_model_or_decode_error(model, body)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
# Failures seen by the hostile-server review (issue 13): invalid UTF-8, nesting past the
# interpreter's stack, a lone surrogate escape, an envelope without data.
@example(b'{"data": {"uuid": "\xff\xfe"}}')
@example(b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
@example(b'{"data": {"uuid": "\\ud800"}}')
@example(b'{"meta": []}')
def test_arbitrary_bytes_decode_to_model_or_typed_error(raw: bytes) -> None:
    assert_model_or_decode_error(Contact, raw)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            out += _paths(v, (*prefix, i))
    return out


@pytest.fixture(scope="module")
def seed_contact() -> Any:
    return load_shared_json("fixtures", "seed", "contact_get.json")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_contact_payloads(seed_contact: Any, data: st.DataObject) -> None:
    """The seed Contact with values replaced, fields deleted, values wrapped in lists."""
    body = json.loads(json.dumps(seed_contact))
    paths = _paths(body["data"])
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["replace", "delete", "wrap"]))
        if not path:
            body["data"] = data.draw(_json)
            break
        parent: Any = body["data"]
        try:
            for key in path[:-1]:
                parent = parent[key]
            key = path[-1]
            if action == "replace":
                parent[key] = data.draw(_json)
            elif action == "delete" and isinstance(parent, dict):
                del parent[key]
            else:
                parent[key] = [parent[key]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    assert_model_or_decode_error(Contact, json.dumps(body).encode())


def test_php_empty_maps_anywhere_are_mended() -> None:
    body = (
        b'{"data":{"uuid":"u","tier":[],"credit_balance":[],"current_values":null,'
        b'"current_display_values":[],"subscriptions":[{"subscription_type":{"name":"n"}}]},'
        b'"meta":[]}'
    )
    contact = decode_data(Contact, body)
    assert contact.tier is None
    assert contact.credit_balance is None
    assert contact.current_values == {}
    assert contact.current_display_values == {}
    assert contact.subscriptions[0].subscription_type.name == "n"


def test_non_empty_array_for_a_map_is_still_an_error() -> None:
    with pytest.raises(ResponseDecodeError) as info:
        decode_data(Contact, b'{"data":{"uuid":"u","current_values":[1,2]}}')
    assert info.value.path == "$.data.current_values"
    with pytest.raises(ResponseDecodeError) as info:
        decode_data(Contact, b'{"data":{"uuid":"u","tier":["gold"]}}')
    assert info.value.path == "$.data.tier"


def test_php_fix_unit() -> None:
    from piggy_async._decode import _php_fix

    parsed: Any = {"data": {"a": [{"m": []}], "b": None}}
    assert _php_fix(parsed, "Expected `object`, got `array` - at `$.data.a[0].m`")
    assert parsed["data"]["a"][0]["m"] == {}
    assert _php_fix(parsed, "Expected `object | null`, got `null` - at `$.data.b`") is False
    assert _php_fix(parsed, "Expected `object`, got `null` - at `$.data.b`")
    assert parsed["data"]["b"] == {}
    assert not _php_fix(parsed, "Expected `object`, got `array` - at `$.data.x[...]`")
    assert not _php_fix(parsed, "Expected `int`, got `str` - at `$.data.a`")
