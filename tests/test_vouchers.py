"""Vouchers (docs page ``vouchers``): multi-redeem, reverse and update against the fake."""

from __future__ import annotations

import pytest

from piggy_async import APIStatusError, AsyncPiggy, InvalidArgumentError, VoucherRedemptions
from piggy_async.testing import FakePiggy

from .test_endpoints import assert_sent


def _multi_use_voucher(fake: FakePiggy, redemptions: int) -> dict[str, object]:
    promo = fake.store.add_promotion("Coffee card", "Ten coffees")
    promo["redemptions_per_voucher"] = redemptions
    contact_uuid = next(iter(fake.store.contacts))
    return fake.store.add_voucher(promo["uuid"], "COFFEE-10", contact_uuid)


async def test_multi_redeem_redeems_each_time_once(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    voucher = _multi_use_voucher(fake, 3)
    shop_uuid = fake.store.shop["uuid"]
    result = await piggy.vouchers.multi_redeem(
        code="COFFEE-10", number_of_times=2, shop_uuid=shop_uuid
    )
    assert_sent(
        fake,
        "POST",
        "/vouchers/multi-redeem",
        json={"code": "COFFEE-10", "number_of_times": 2, "shop_uuid": shop_uuid},
    )
    assert isinstance(result, VoucherRedemptions)
    assert result.voucher.uuid == voucher["uuid"]
    assert len(result.voucher_redemptions) == 2
    assert len({r.uuid for r in result.voucher_redemptions}) == 2
    assert result.voucher.is_redeemed is False  # one of three left
    # Two more than are left: Piggy's 80019, and nothing is redeemed.
    with pytest.raises(APIStatusError) as info:
        await piggy.vouchers.multi_redeem(code="COFFEE-10", number_of_times=2, shop_uuid=shop_uuid)
    assert (info.value.status_code, info.value.code) == (400, 80019)
    last = await piggy.vouchers.multi_redeem(
        code="COFFEE-10", number_of_times=1, shop_uuid=shop_uuid
    )
    assert last.voucher.is_redeemed is True
    assert last.voucher.status == "REDEEMED"
    with pytest.raises(APIStatusError) as info:
        await piggy.vouchers.redeem(code="COFFEE-10")
    assert info.value.code == 80005


async def test_multi_redeem_checks_its_arguments_before_sending(
    piggy: AsyncPiggy, fake: FakePiggy
) -> None:
    for times in (0, 51):
        with pytest.raises(InvalidArgumentError, match="number_of_times"):
            await piggy.vouchers.multi_redeem(code="X", number_of_times=times, shop_uuid="s")
    assert fake.requests == []


async def test_unknown_voucher_is_piggys_400_with_80004(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    with pytest.raises(APIStatusError) as info:
        await piggy.vouchers.reverse("no-such-voucher")
    assert (info.value.status_code, info.value.code) == (400, 80004)
    with pytest.raises(APIStatusError) as info:
        await piggy.vouchers.redeem(code="NO-SUCH-CODE", contact_uuid="x")
    assert (info.value.status_code, info.value.code) == (400, 80004)
