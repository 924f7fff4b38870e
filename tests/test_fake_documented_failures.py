"""The fake answers the documented failures of the mapped pages (beyond "unknown thing",
which tests/test_fake_errors.py covers) with HTTP 400 and the page's code, and the client
raises that code's class."""

from __future__ import annotations

import pytest

from piggy_async import (
    ConflictError,
    ErrorCode,
    ExpiredError,
    InactiveError,
    InsufficientBalanceError,
    LimitReachedError,
    NotFoundError,
)
from piggy_async.testing import FakePiggy


async def test_reward_reception_failures() -> None:
    """docs: reward-receptions, "Create Reward Reception": 1017, 1018, 1052."""
    async with FakePiggy(contacts=1) as fake, fake.client(max_retries=0) as piggy:
        contact = next(iter(fake.store.contacts))
        shop = fake.store.shop["uuid"]
        reward = next(iter(fake.store.rewards.values()))
        fake.store.change_credits(
            contact, -fake.store.contacts[contact]["credit_balance"]["balance"]
        )
        with pytest.raises(InsufficientBalanceError) as poor:
            await piggy.reward_receptions.create(
                contact_uuid=contact, reward_uuid=reward["uuid"], shop_uuid=shop
            )
        assert (poor.value.status_code, poor.value.code) == (400, ErrorCode.INSUFFICIENT_CREDITS)
        fake.store.change_credits(contact, 10 * reward["required_credits"])
        reward["stock"] = 0
        with pytest.raises(LimitReachedError) as empty:
            await piggy.reward_receptions.create(
                contact_uuid=contact, reward_uuid=reward["uuid"], shop_uuid=shop
            )
        assert empty.value.code == ErrorCode.REWARD_STOCK_EMPTY
        reward["stock"] = 1
        await piggy.reward_receptions.create(
            contact_uuid=contact, reward_uuid=reward["uuid"], shop_uuid=shop
        )
        assert reward["stock"] == 0
        reward["active"] = False
        with pytest.raises(InactiveError) as off:
            await piggy.reward_receptions.create(
                contact_uuid=contact, reward_uuid=reward["uuid"], shop_uuid=shop
            )
        assert off.value.code == ErrorCode.REWARD_INACTIVE


async def test_credit_reception_failures() -> None:
    """docs: credit-receptions, "Create Credit Reception" and "Calculate Credits": 60003,
    60007, 55031."""
    async with FakePiggy(contacts=1) as fake, fake.client(max_retries=0) as piggy:
        contact = next(iter(fake.store.contacts))
        shop = fake.store.shop["uuid"]
        with pytest.raises(NotFoundError) as card:
            await piggy.credit_receptions.create(
                shop_uuid=shop, contact_uuid=contact, credits=5, contact_identifier_value="NONE"
            )
        assert card.value.code == ErrorCode.CONTACT_IDENTIFIER_NOT_FOUND
        with pytest.raises(NotFoundError) as unit:
            await piggy.credit_receptions.create(
                shop_uuid=shop, contact_uuid=contact, unit_value=5, unit_name="litres"
            )
        assert unit.value.code == ErrorCode.UNIT_NOT_FOUND
        with pytest.raises(NotFoundError) as calc_unit:
            await piggy.credit_receptions.calculate(shop_uuid=shop, unit_value=5, unit_name="x")
        assert calc_unit.value.code == ErrorCode.UNIT_NOT_FOUND
        with pytest.raises(NotFoundError) as calc_contact:
            await piggy.credit_receptions.calculate(
                shop_uuid=shop, unit_value=5, contact_uuid="no-such-contact"
            )
        assert calc_contact.value.code == ErrorCode.CONTACT_NOT_FOUND
        unit_name = fake.store.unit["name"]
        assert (
            await piggy.credit_receptions.calculate(
                shop_uuid=shop, unit_value=7, contact_uuid=contact, unit_name=unit_name
            )
            == 7
        )
        assert fake.requests[-1].query["unit_name"] == unit_name


async def test_duplicates_are_conflicts() -> None:
    """docs: units "Create Unit" 55045; loyalty-transaction-attributes 60009."""
    async with FakePiggy() as fake, fake.client(max_retries=0) as piggy:
        created = await piggy.units.create(name="liters", label="L", prefix="l")
        assert (created.name, created.prefix, created.format) == ("liters", "l", "int")
        with pytest.raises(ConflictError) as unit:
            await piggy.units.create(name="liters", label="L")
        assert (unit.value.status_code, unit.value.code) == (400, ErrorCode.UNIT_ALREADY_EXISTS)
        await piggy.loyalty_transaction_attributes.create(name="plu", data_type="text")
        with pytest.raises(ConflictError) as attribute:
            await piggy.loyalty_transaction_attributes.create(name="plu", data_type="text")
        assert attribute.value.code == ErrorCode.ATTRIBUTE_ALREADY_EXISTS


async def test_an_expired_reward_cannot_be_collected() -> None:
    """docs: collectable-rewards, "Collect Reward": 80300 "Reward is expired."."""
    async with FakePiggy(contacts=1) as fake, fake.client(max_retries=0) as piggy:
        contact = next(iter(fake.store.contacts))
        physical = next(r for r in fake.store.rewards.values() if r["reward_type"] == "PHYSICAL")
        fake.store.change_credits(contact, physical["required_credits"])
        reception = await piggy.reward_receptions.create(
            contact_uuid=contact, reward_uuid=physical["uuid"], shop_uuid=fake.store.shop["uuid"]
        )
        fake.store.collectable[reception.uuid]["expires_at"] = "2020-01-01T00:00:00+00:00"
        with pytest.raises(ExpiredError) as info:
            await piggy.collectable_rewards.collect(reception.uuid)
    assert (info.value.code, info.value.message) == (
        ErrorCode.COLLECTABLE_REWARD_EXPIRED,
        "Reward is expired.",
    )
