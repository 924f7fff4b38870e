"""Type-checked by mypy --strict (see pyproject.toml), never run: the sync facade's calls
have the real return types, not Any."""

from __future__ import annotations

from typing_extensions import assert_type

from piggy_async import (
    Automation,
    BulkResult,
    Contact,
    ContactRef,
    CreditBalance,
    LoyaltyTransaction,
    Page,
    PrepaidBalance,
)
from piggy_sync import Piggy, SyncBulkRun, SyncPager


def sync_usage() -> None:
    with Piggy(api_key="k") as piggy:
        assert_type(piggy.contacts.get("u"), Contact)
        assert_type(piggy.contacts.find_one_by(email="a@b.c"), Contact)
        assert_type(piggy.contacts.create(email="a@b.c"), ContactRef)
        assert_type(piggy.contacts.get_credit_balance("u"), CreditBalance)
        assert_type(piggy.contacts.get_prepaid_balance("u"), PrepaidBalance)
        assert_type(piggy.contacts.delete("u", type="GDPR"), None)
        assert_type(piggy.contacts.list_loyalty_transactions("u"), Page[LoyaltyTransaction])
        pager = piggy.contacts.iter_loyalty_transactions("u")
        assert_type(pager, SyncPager[LoyaltyTransaction])
        for tx in pager:
            assert_type(tx, LoyaltyTransaction)
        run = piggy.contacts.get_many(["u"])
        assert_type(run, SyncBulkRun[str, Contact])
        for result in run:
            assert_type(result, BulkResult[str, Contact])
            assert_type(result.unwrap(), Contact)
        assert_type(run.collect(), list[BulkResult[str, Contact]])
        assert_type(piggy.automations.list(), list[Automation])
        assert_type(piggy.contacts_portal.get_auth_url(contact_uuid="u"), str)
        assert_type(piggy.with_options(max_retries=0), Piggy)
