"""The fake server's list answers carry the meta keys Piggy's docs show for that list.

Each list's docs page has its own meta style; code that reads ``page.meta`` must see the
same keys against the fake as against Piggy. (Two lists had another list's style.)
"""

from __future__ import annotations

import aiohttp
import pytest

from piggy_async.testing import FakePiggy

#: path -> the keys of the ``meta`` in the docs page's response example
DOCS_META = {
    # prepaid-transactions.md, "List Prepaid Transactions"
    "/prepaid-transactions": {"current_page", "from", "last_page", "per_page", "total"},
    # giftcard-transactions.md, "List Giftcard Transactions"
    "/giftcard-transactions": {
        "page",
        "limit",
        "viewing_from",
        "viewing_to",
        "last_page",
        "total",
    },
}


@pytest.mark.parametrize("path", sorted(DOCS_META))
async def test_the_fakes_list_meta_has_the_docs_keys(fake: FakePiggy, path: str) -> None:
    shop = fake.store.shops[0]
    query = {"shop_uuid": shop["uuid"]} if path == "/giftcard-transactions" else {}
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            fake.base_url + path,
            params=query,
            headers={"Authorization": f"Bearer {fake.token}"},
        ) as resp,
    ):
        assert resp.status == 200
        body = await resp.json()
    assert set(body["meta"]) == DOCS_META[path]


async def test_the_fake_refuses_more_prepaid_transactions_a_page_than_the_docs_allow(
    fake: FakePiggy,
) -> None:
    headers = {"Authorization": f"Bearer {fake.token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        for limit, status in ((30, 200), (31, 400)):
            url = f"{fake.base_url}/prepaid-transactions?limit={limit}"
            async with session.get(url) as resp:
                assert resp.status == status
