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


def controls_usage() -> None:
    """The per-call controls and hooks, in both clients."""
    from piggy_async import NOT_GIVEN, AsyncPiggy, RawResponse, capture_response
    from piggy_async.hooks import CallFinished, Event

    def hook(event: Event) -> None:
        if isinstance(event, CallFinished):
            assert_type(event.piggy_code, int | None)

    client = AsyncPiggy(api_key="k", hooks=[hook], telemetry=False)
    copy = client.with_options(
        timeout=NOT_GIVEN,
        max_retries=1,
        partner_id=None,
        extra_headers={"X-Trace": "t"},
        extra_query={"debug": True},
        extra_body={"note": "x"},
        hooks=[hook],
    )
    assert_type(copy, AsyncPiggy)
    with Piggy(api_key="k", hooks=[hook]) as piggy:
        assert_type(piggy.with_options(extra_headers={"X-Trace": "t"}), Piggy)
        with capture_response() as captured:
            piggy.contacts.get("u")
        if captured.response is not None:
            assert_type(captured.response, RawResponse)
            assert_type(captured.response.status_code, int)
