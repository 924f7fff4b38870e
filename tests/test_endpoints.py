"""Every seed endpoint against the fake server: the request sent, the result decoded.

Each test runs twice: with ``AsyncPiggy`` and with the generated ``piggy_sync.Piggy``.
"""

from __future__ import annotations

from typing import Any

import pytest

from piggy_async import (
    Automation,
    ConflictError,
    Contact,
    ContactNotFoundError,
    ContactRef,
    CreditBalance,
    Form,
    InvalidArgumentError,
    InvalidInputError,
    LoyaltyTransaction,
    ModelNotFoundError,
    PortalSession,
    PrepaidBalance,
    ShopNotFoundError,
)
from piggy_async.testing import FakePiggy, RecordedRequest

from .conftest import Api


def last(fake: FakePiggy) -> RecordedRequest:
    return fake.requests[-1]


def assert_sent(
    fake: FakePiggy, method: str, path: str, query: dict[str, str] | None = None, json: Any = None
) -> None:
    req = last(fake)
    assert (req.method, req.path) == (method, path)
    assert req.query == (query or {})
    assert req.json == json
    if json is not None:
        assert req.headers["Content-Type"] == "application/json"
    assert req.headers["Authorization"] == f"Bearer {fake.token}"
    assert req.headers["Accept"] == "application/json"


async def test_get(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    contact = await api(lambda p: p.contacts.get(contact_uuid))
    assert_sent(fake, "GET", f"/contacts/{contact_uuid}")
    stored = fake.store.contacts[contact_uuid]
    assert isinstance(contact, Contact)
    assert contact.uuid == contact_uuid
    assert contact.email == stored["email"]
    assert contact.current_values == stored["current_values"]
    assert len(contact.attributes) == len(stored["attributes"])
    assert contact.credit_balance is not None
    assert contact.credit_balance.balance == stored["credit_balance"]["balance"]


async def test_get_unknown(api: Api, fake: FakePiggy) -> None:
    with pytest.raises(ContactNotFoundError) as info:
        await api(lambda p: p.contacts.get("no-such-contact"))
    assert info.value.code == 55031
    assert info.value.status_code == 400  # as Piggy answers it: 400 + code (error-handling.md)
    assert info.value.method == "GET"
    assert info.value.url is not None
    assert info.value.url.endswith("/contacts/no-such-contact")
    assert len(fake.requests) == 1  # a not-found is not retried


async def test_find_one_by(api: Api, fake: FakePiggy) -> None:
    stored = fake.store.add_contact("ann+tag@example.com")
    contact = await api(lambda p: p.contacts.find_one_by(email="ann+tag@example.com"))
    assert_sent(fake, "GET", "/contacts/find-one-by", {"email": "ann+tag@example.com"})
    assert "email=ann%2Btag%40example.com" in last(fake).raw_path
    assert contact.uuid == stored["uuid"]
    with pytest.raises(ContactNotFoundError):
        await api(lambda p: p.contacts.find_one_by(email="nobody@example.com"))


async def test_create(api: Api, fake: FakePiggy) -> None:
    ref = await api(lambda p: p.contacts.create(email="new@example.com"))
    assert_sent(fake, "POST", "/contacts", json={"email": "new@example.com"})
    assert isinstance(ref, ContactRef)
    assert ref.uuid in fake.store.contacts
    ref2 = await api(lambda p: p.contacts.create(email="ref@example.com", referral_code="FRIEND"))
    assert_sent(
        fake, "POST", "/contacts", json={"email": "ref@example.com", "referral_code": "FRIEND"}
    )
    assert ref2.uuid != ref.uuid
    with pytest.raises(ConflictError) as info:  # contacts.md: 60005, sent as HTTP 400
        await api(lambda p: p.contacts.create(email="new@example.com"))
    assert info.value.code == 60005
    assert info.value.message == "Contact already exists."


async def test_create_deferred(api: Api, fake: FakePiggy) -> None:
    ref = await api(
        lambda p: p.contacts.create_deferred(email="later@example.com", referral_code="X1")
    )
    assert_sent(
        fake, "POST", "/contacts/async", json={"email": "later@example.com", "referral_code": "X1"}
    )
    assert fake.store.contacts[ref.uuid]["email"] == "later@example.com"


async def test_find_or_create(api: Api, fake: FakePiggy) -> None:
    contact = await api(lambda p: p.contacts.find_or_create(email="fresh@example.com"))
    assert_sent(fake, "GET", "/contacts/find-or-create", {"email": "fresh@example.com"})
    assert contact.email == "fresh@example.com"
    again = await api(lambda p: p.contacts.find_or_create(email="fresh@example.com"))
    assert again.uuid == contact.uuid


async def test_find_or_create_deferred(api: Api, fake: FakePiggy) -> None:
    ref = await api(lambda p: p.contacts.find_or_create_deferred(email="async@example.com"))
    assert_sent(fake, "GET", "/contacts/find-or-create/async", {"email": "async@example.com"})
    assert fake.store.contacts[ref.uuid]["email"] == "async@example.com"


async def test_create_anonymous(api: Api, fake: FakePiggy) -> None:
    ref = await api(lambda p: p.contacts.create_anonymous())
    assert_sent(fake, "POST", "/contacts/anonymous", json={})
    assert fake.store.contacts[ref.uuid]["email"] is None
    ref2 = await api(lambda p: p.contacts.create_anonymous(contact_identifier_value="CARD-1"))
    assert_sent(fake, "POST", "/contacts/anonymous", json={"contact_identifier_value": "CARD-1"})
    assert (
        fake.store.contacts[ref2.uuid]["current_values"]["default_contact_identifier"] == "CARD-1"
    )


async def test_claim_anonymous(api: Api, fake: FakePiggy) -> None:
    ref = await api(lambda p: p.contacts.create_anonymous())
    contact = await api(lambda p: p.contacts.claim_anonymous(ref.uuid, email="claimed@example.com"))
    assert_sent(fake, "PUT", f"/contacts/{ref.uuid}/claim", json={"email": "claimed@example.com"})
    assert contact.uuid == ref.uuid
    assert contact.email == "claimed@example.com"


async def test_claim_anonymous_merges_into_existing(api: Api, fake: FakePiggy) -> None:
    existing = fake.store.add_contact("known@example.com", credits=10)
    anon = fake.store.add_contact(anonymous=True, credits=5)
    contact = await api(
        lambda p: p.contacts.claim_anonymous(anon["uuid"], email="known@example.com")
    )
    assert contact.uuid == existing["uuid"]
    assert contact.credit_balance is not None
    assert contact.credit_balance.balance == 15
    assert anon["uuid"] not in fake.store.contacts


async def test_update(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    contact = await api(
        lambda p: p.contacts.update(
            contact_uuid, attributes={"firstname": "John", "lastname": "Doe"}
        )
    )
    assert_sent(
        fake,
        "PUT",
        f"/contacts/{contact_uuid}",
        json={"attributes": {"firstname": "John", "lastname": "Doe"}},
    )
    assert contact.current_values["firstname"] == "John"
    first = next(a for a in contact.attributes if a.attribute.name == "firstname")
    assert first.value == "John"
    with pytest.raises(InvalidInputError) as info:
        await api(
            lambda p: p.contacts.update(contact_uuid, attributes={"created_at": "2020-01-01"})
        )
    assert "attributes.created_at" in info.value.errors


async def test_delete(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    result = await api(lambda p: p.contacts.delete(contact_uuid, type="GDPR"))
    assert_sent(fake, "POST", f"/contacts/{contact_uuid}/delete", json={"type": "GDPR"})
    assert result is None
    assert fake.store.deleted[contact_uuid] == "GDPR"
    with pytest.raises(ContactNotFoundError):
        await api(lambda p: p.contacts.get(contact_uuid))


async def test_credit_balance(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    balance = await api(lambda p: p.contacts.get_credit_balance(contact_uuid))
    assert_sent(fake, "GET", f"/contacts/{contact_uuid}/credit-balance")
    assert balance == CreditBalance(
        balance=fake.store.contacts[contact_uuid]["credit_balance"]["balance"]
    )


async def test_prepaid_balance(api: Api, fake: FakePiggy) -> None:
    contact = fake.store.add_contact("p@example.com", prepaid_cents=5000)
    balance = await api(lambda p: p.contacts.get_prepaid_balance(contact["uuid"]))
    assert_sent(fake, "GET", f"/contacts/{contact['uuid']}/prepaid-balance")
    assert balance == PrepaidBalance(balance_in_cents=5000, balance="€50.00")


async def test_list_loyalty_transactions(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    page = await api(lambda p: p.contacts.list_loyalty_transactions(contact_uuid))
    assert_sent(fake, "GET", f"/contacts/{contact_uuid}/loyalty-transactions")
    stored = fake.store.transactions[contact_uuid]
    assert [t.uuid for t in page.items] == [t["uuid"] for t in stored[:10]]
    assert page.meta.total == 25
    assert page.meta.last_page == 3
    assert page.next_page == 2
    page3 = await api(
        lambda p: p.contacts.list_loyalty_transactions(
            contact_uuid, page=3, limit=10, type="credit_reception"
        )
    )
    assert_sent(
        fake,
        "GET",
        f"/contacts/{contact_uuid}/loyalty-transactions",
        {"page": "3", "limit": "10", "type": "credit_reception"},
    )
    assert len(page3.items) == 5
    assert page3.next_page is None
    assert all(isinstance(t, LoyaltyTransaction) for t in page3.items)


async def test_iter_loyalty_transactions(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    pager = api.client.contacts.iter_loyalty_transactions(contact_uuid, page_size=10)
    assert fake.requests == []  # lazy: nothing fetched before iteration
    seen = [t.uuid for t in await api.items(lambda p: pager)]
    assert seen == [t["uuid"] for t in fake.store.transactions[contact_uuid]]
    pages = [r.query["page"] for r in fake.requests]
    assert pages == ["1", "2", "3"]
    assert all(r.query["limit"] == "10" for r in fake.requests)


async def test_iter_stops_fetching_on_break(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    pager = api.client.contacts.iter_loyalty_transactions(contact_uuid, page_size=10)
    first = await api.items(lambda p: pager, stop_after=1)
    assert len(first) == 1
    assert len(fake.requests) == 1  # breaking out fetched nothing more
    await api(lambda p: pager.aclose() if api.mode == "async" else pager.close())
    assert await api.items(lambda p: pager) == []  # closed: fetches nothing more
    assert len(fake.requests) == 1


async def test_iter_empty_list(api: Api, fake: FakePiggy) -> None:
    contact = fake.store.add_contact("none@example.com")
    assert await api.items(lambda p: p.contacts.iter_loyalty_transactions(contact["uuid"])) == []
    assert len(fake.requests) == 1


async def test_list_automations(api: Api, fake: FakePiggy) -> None:
    automations = await api(lambda p: p.automations.list())
    assert_sent(fake, "GET", "/automations")
    assert [a.name for a in automations] == [a["name"] for a in fake.store.automations]
    assert all(isinstance(a, Automation) for a in automations)


async def test_create_automation_run(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    automation = next(a for a in fake.store.automations if a["event"] == "contact_updated")
    result = await api(
        lambda p: p.automations.create_run(
            automation_uuid=automation["uuid"], contact_uuid=contact_uuid, data={"coupon": "X"}
        )
    )
    assert result is None
    assert_sent(
        fake,
        "POST",
        "/automations/runs",
        json={
            "automation_uuid": automation["uuid"],
            "contact_uuid": contact_uuid,
            "data": {"coupon": "X"},
        },
    )
    assert fake.store.automation_runs[-1]["data"] == {"coupon": "X"}


async def test_automation_run_errors(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    with pytest.raises(ModelNotFoundError) as info:
        await api(
            lambda p: p.automations.create_run(automation_uuid="nope", contact_uuid=contact_uuid)
        )
    assert info.value.code == 60013
    automation = fake.store.automations[0]
    with pytest.raises(ContactNotFoundError):
        await api(
            lambda p: p.automations.create_run(
                automation_uuid=automation["uuid"], contact_uuid="nobody"
            )
        )
    assert len(fake.requests) == 2  # POST errors are never retried


async def test_forms(api: Api, fake: FakePiggy) -> None:
    forms = await api(lambda p: p.forms.list())
    assert_sent(fake, "GET", "/forms")
    assert len(forms) == 3
    assert all(isinstance(f, Form) for f in forms)
    # Statuses of the docs page forms: PUBLISHED, DRAFT, BIN.
    public_active = await api(lambda p: p.forms.list(type="PUBLIC", status="PUBLISHED"))
    assert_sent(fake, "GET", "/forms", {"type": "PUBLIC", "status": "PUBLISHED"})
    assert [f.name for f in public_active] == ["Newsletter sign-up"]
    with pytest.raises(ValueError, match="status"):
        await api(lambda p: p.forms.list(status="ACTIVE"))


async def test_contacts_portal_auth_url(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    url = await api(lambda p: p.contacts_portal.get_auth_url(contact_uuid=contact_uuid))
    assert_sent(fake, "GET", "/contacts-portal/auth-url", {"contact_uuid": contact_uuid})
    assert url.startswith("https://portal.piggy.eu/home?token=")


async def test_portal_sessions(api: Api, fake: FakePiggy, contact_uuid: str) -> None:
    shop_uuid = fake.store.shop["uuid"]
    session = await api(
        lambda p: p.portal_sessions.create(shop_uuid=shop_uuid, contact_uuid=contact_uuid)
    )
    assert_sent(
        fake,
        "POST",
        "/portal-sessions",
        json={"shop_uuid": shop_uuid, "contact_uuid": contact_uuid},
    )
    assert isinstance(session, PortalSession)
    assert session.contact is not None
    assert session.contact.uuid == contact_uuid
    again = await api(lambda p: p.portal_sessions.get(session.uuid))
    assert_sent(fake, "GET", f"/portal-sessions/{session.uuid}")
    assert again == session
    with pytest.raises(ShopNotFoundError):
        await api(lambda p: p.portal_sessions.create(shop_uuid="other-shop"))


@pytest.mark.parametrize(
    "value",
    ["a/b", "..", "../x", "a?b#c", "sp ace", "ünïcode", "%2F", ".", "A.b~c_d-9", "...", "x."],
)
async def test_path_values_arrive_as_one_segment(api: Api, fake: FakePiggy, value: str) -> None:
    fake.store.add_contact(f"odd{abs(hash(value))}@example.com", uuid=value)
    contact = await api(lambda p: p.contacts.get(value))
    assert contact.uuid == value
    assert last(fake).path == f"/contacts/{value}"


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda p: p.contacts.get(""), "contact_uuid"),
        (lambda p: p.contacts.get("   "), "contact_uuid"),
        (lambda p: p.contacts.find_one_by(email="no-at-sign"), "email"),
        (lambda p: p.contacts.find_one_by(email="@example.com"), "email"),
        (lambda p: p.contacts.create(email="a b@example.com"), "email"),
        (lambda p: p.contacts.delete("u", type="SOFT"), "type"),
        (lambda p: p.contacts.list_loyalty_transactions("u", limit=0), "limit"),
        (lambda p: p.contacts.list_loyalty_transactions("u", limit=101), "limit"),
        (lambda p: p.contacts.list_loyalty_transactions("u", page=0), "page"),
        (lambda p: p.contacts.update("u", attributes={}), "attributes"),
        (lambda p: p.contacts.claim_anonymous("", email="a@b.c"), "anonymous_contact_uuid"),
        (
            lambda p: p.automations.create_run(automation_uuid="", contact_uuid="c"),
            "automation_uuid",
        ),
        (lambda p: p.forms.list(type="SECRET"), "type"),
        (lambda p: p.portal_sessions.get(""), "uuid"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    api: Api, fake: FakePiggy, call: Any, argument: str
) -> None:
    with pytest.raises(ValueError, match=argument) as info:
        await api(call)
    assert isinstance(info.value, InvalidArgumentError)
    assert info.value.argument == argument
    assert fake.requests == []


async def test_wrong_argument_type_is_also_a_type_error(api: Api, fake: FakePiggy) -> None:
    with pytest.raises(TypeError, match="contact_uuid must be a string, not int"):
        await api(lambda p: p.contacts.get(123))  # type: ignore[arg-type]
    assert fake.requests == []


def test_iter_checks_arguments_eagerly(api: Api) -> None:
    with pytest.raises(ValueError, match="page_size"):
        api.client.contacts.iter_loyalty_transactions("u", page_size=500)
    with pytest.raises(ValueError, match="contact_uuid"):
        api.client.contacts.iter_loyalty_transactions("")
