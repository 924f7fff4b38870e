"""Every one of the PHP SDK's 103 recorded response bodies decodes through the model of the
call it belongs to (keyed by ``sdk_call``)."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from piggy_async import (
    AttributeDefinition,
    Automation,
    BadRequestError,
    BrandKit,
    CollectableReward,
    Contact,
    ContactIdentifier,
    ContactRef,
    CreditBalance,
    CreditReception,
    DigitalRewardReception,
    Form,
    Giftcard,
    GiftcardProgram,
    GiftcardTransaction,
    LoyaltyProgram,
    LoyaltyTransaction,
    Perk,
    PortalSession,
    PrepaidBalance,
    PrepaidTransaction,
    Promotion,
    Reward,
    RewardReception,
    Shop,
    Subscription,
    SubscriptionType,
    Tier,
    Unit,
    Voucher,
    VoucherLock,
    WebhookSubscription,
)
from piggy_async._decode import decode_data
from piggy_async._policy import error_from_response
from piggy_async.resources.contacts_portal import _AuthUrl
from piggy_async.types import CreditCalculation

from .conftest import load_shared_json

#: sdk_call -> the model the matching client method decodes into.
MODELS: dict[str, Any] = {
    "automations.list": list[Automation],
    "automations.create": Any,
    "brandkit.get": BrandKit,
    "collectableRewards.collect": CollectableReward,
    "collectableRewards.list": list[CollectableReward],
    "contactAttributes.create": AttributeDefinition,
    "contactAttributes.list": list[AttributeDefinition],
    "contactIdentifiers.create": ContactIdentifier,
    "contactIdentifiers.delete": Any,
    "contactIdentifiers.get": ContactIdentifier,
    "contactIdentifiers.link": ContactIdentifier,
    "contactIdentifiers.unlink": ContactIdentifier,
    "contactSubscriptions.list": list[Subscription],
    "contactSubscriptions.subscribe": Subscription,
    "contactSubscriptions.unsubscribe": Subscription,
    "contactVerification.getAuthToken": str,
    "contactVerification.sendVerificationMail": list[bool],
    "contactVerification.verifyLoginCode": list[bool],
    "contacts.claimAnonymousContact": Contact,
    "contacts.create": ContactRef,
    "contacts.createAnonymously": ContactRef,
    "contacts.createAsync": ContactRef,
    "contacts.destroy": Any,
    "contacts.findOneBy": Contact,
    "contacts.findOrCreate": Contact,
    "contacts.findOrCreateAsync": ContactRef,
    "contacts.get": Contact,
    "contacts.getCreditBalance": CreditBalance,
    "contacts.getPrepaidBalance": PrepaidBalance,
    "contacts.update": Contact,
    "contactsPortalAuthUrl.get": _AuthUrl,
    "creditReceptions.calculate": CreditCalculation,
    "creditReceptions.create": LoyaltyTransaction,
    "forms.list": list[Form],
    "giftcardProgram.list": list[GiftcardProgram],
    "giftcardTransactions.correct": GiftcardTransaction,
    "giftcardTransactions.create": GiftcardTransaction,
    "giftcardTransactions.get": GiftcardTransaction,
    "giftcardTransactions.list": list[GiftcardTransaction],
    "giftcards.create": Giftcard,
    "giftcards.get": Giftcard,
    "loyaltyProgram.get": LoyaltyProgram,
    "loyaltyToken.claim": LoyaltyTransaction,
    "loyaltyToken.create": str,
    "loyaltyTransactionAttributes.create": AttributeDefinition,
    "loyaltyTransactionAttributes.list": list[AttributeDefinition],
    "perk.get": Perk,
    "perk.list": list[Perk],
    "portalSessions.create": PortalSession,
    "portalSessions.get": PortalSession,
    "prepaidTransactions.create": PrepaidTransaction,
    "promotion.create": Promotion,
    "promotion.findBy": Promotion,
    "promotion.list": list[Promotion],
    "promotionAttributes.create": AttributeDefinition,
    "promotionAttributes.get": AttributeDefinition,
    "promotionAttributes.list": list[AttributeDefinition],
    "rewardAttributes.create": AttributeDefinition,
    "rewardAttributes.list": list[AttributeDefinition],
    "rewardReceptions.create": LoyaltyTransaction,
    "rewards.findBy": Reward,
    "rewards.get": list[Reward],  # the PHP SDK's "get" lists a contact's rewards
    "rewards.list": list[Reward],
    "shops.all": list[Shop],
    "shops.get": Shop,
    "subscriptionTypes.list": list[SubscriptionType],
    "tier.getTierForContact": Tier | None,
    "tier.list": list[Tier],
    "units.create": Unit,
    "units.list": list[Unit],
    "voucher.batch": Any,
    "voucher.create": Voucher,
    "voucher.findByCode": Voucher,
    "voucher.list": list[Voucher],
    "voucher.lock": VoucherLock,
    "voucher.redeem": Voucher,
    "webhookSubscriptions.create": WebhookSubscription,
    "webhookSubscriptions.destroy": Any,
    "webhookSubscriptions.get": WebhookSubscription,
    "webhookSubscriptions.list": list[WebhookSubscription],
    "webhookSubscriptions.update": WebhookSubscription,
}


def _entries() -> list[Any]:
    try:
        entries = load_shared_json("fixtures", "php-sdk", "responses.json")
    except pytest.skip.Exception:
        return []
    return [pytest.param(e, id=f"{e['sdk_call']}:{e['test']}") for e in entries]


def test_all_103_bodies_are_covered() -> None:
    entries = load_shared_json("fixtures", "php-sdk", "responses.json")
    assert len(entries) == 103
    assert {e["sdk_call"] for e in entries} == set(MODELS)


def _agrees(ours: Any, expected: Any) -> None:
    """What the model kept equals the body; fields the body lacks are empty defaults."""
    if isinstance(ours, dict) and isinstance(expected, dict):
        for key, value in ours.items():
            if key in expected:
                _agrees(value, expected[key])
            else:
                assert value in (None, [], {}, False), key
    elif isinstance(ours, list) and isinstance(expected, list):
        assert len(ours) == len(expected)
        for a, b in zip(ours, expected, strict=True):
            _agrees(a, b)
    elif isinstance(expected, list) and expected == [] and ours in ({}, None):
        pass  # PHP's [] for an empty map
    else:
        assert ours == expected


@pytest.mark.parametrize("entry", _entries())
def test_body_decodes(entry: dict[str, Any]) -> None:
    raw = json.dumps(entry["body"]).encode()
    model = MODELS[entry["sdk_call"]]
    if entry["http_status"] >= 400:
        error = error_from_response(entry["http_status"], raw, {}, method="POST", url="u", now=0)
        assert isinstance(error, BadRequestError)
        return
    value = decode_data(model, raw)
    data = entry["body"]["data"]
    if model is Any:
        assert value == data
        return
    if isinstance(value, Contact):
        value.attributes  # noqa: B018 - decoded on first read; to_builtins sees the slot
    built = msgspec.to_builtins(value)
    if isinstance(value, (CreditReception, RewardReception, DigitalRewardReception)):
        assert value.type == data["type"]
        built = {k: v for k, v in built.items() if k != "attributes"}
    _agrees(built, data)


def test_credit_reception_keeps_custom_attributes() -> None:
    entries = load_shared_json("fixtures", "php-sdk", "responses.json")
    body = next(e["body"] for e in entries if e["sdk_call"] == "creditReceptions.create")
    reception = decode_data(LoyaltyTransaction, json.dumps(body).encode())
    assert isinstance(reception, CreditReception)
    assert reception.attributes == {"foo": "bar"}
    assert reception.credits == 101


def test_reward_receptions_dispatch_on_type() -> None:
    entries = load_shared_json("fixtures", "php-sdk", "responses.json")
    kinds = [
        type(decode_data(LoyaltyTransaction, json.dumps(e["body"]).encode())).__name__
        for e in entries
        if e["sdk_call"] == "rewardReceptions.create"
    ]
    assert kinds == ["RewardReception", "DigitalRewardReception", "DigitalRewardReception"]


def test_unknown_transaction_type_is_kept() -> None:
    from piggy_async import OtherTransaction
    from piggy_async._decode import decode_page

    body = b'{"data":[{"type":"giftcard_reception","uuid":"u1","credits":5,"extra":{"a":1}},{"type":"credit_reception","uuid":"u2","credits":3}],"meta":[]}'
    page = decode_page(LoyaltyTransaction, body)
    other, credit = page.items
    assert isinstance(other, OtherTransaction)
    assert other.type == "giftcard_reception"
    assert other.data["extra"] == {"a": 1}
    assert isinstance(credit, CreditReception)
    assert credit.credits == 3


def test_bad_transaction_item_names_its_path() -> None:
    from piggy_async import ResponseDecodeError
    from piggy_async._decode import decode_page

    body = b'{"data":[{"type":"credit_reception","uuid":"u1"},{"type":"credit_reception","uuid":"u2","credits":"many"}]}'
    with pytest.raises(ResponseDecodeError) as info:
        decode_page(LoyaltyTransaction, body)
    assert info.value.path == "$.data[1].credits"
