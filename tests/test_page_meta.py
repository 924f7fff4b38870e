"""Page meta as Piggy's docs show it: numbers or numeric strings, Piggy- or Laravel-style."""

from __future__ import annotations

import json
from typing import Any

import pytest

from piggy_async import Contact, Page, PageMeta, ResponseDecodeError, Voucher
from piggy_async._decode import decode_page


def _page(model: Any, meta: Any, items: int = 2) -> Page[Any]:
    data = [{"uuid": f"u-{i}"} for i in range(items)]
    return decode_page(model, json.dumps({"data": data, "meta": meta}).encode())


def test_piggy_style_meta_with_a_string_limit() -> None:
    """contacts.md, List Contacts: ``"limit": "2"``."""
    meta = {"page": 1, "limit": "2", "viewing_from": 1, "viewing_to": 2, "last_page": 31,
            "total": 62}  # fmt: skip
    page = _page(Contact, meta)
    assert page.meta == PageMeta(
        page=1, limit=2, viewing_from=1, viewing_to=2, last_page=31, total=62
    )
    assert type(page.meta.limit) is int
    assert page.next_page == 2


def test_laravel_style_meta_with_a_string_per_page() -> None:
    """vouchers.md, List Vouchers: ``"per_page": "30"`` beside ``path`` and ``links``."""
    meta = {
        "current_page": 1, "from": 1, "last_page": 9, "links": [{"url": None}],
        "path": "http://127.0.0.1:8001/api/v3/oauth/clients/vouchers", "per_page": "30",
        "to": 30, "total": 241,
    }  # fmt: skip
    page = _page(Voucher, meta)
    assert page.meta.per_page == 30
    assert page.meta.from_ == 1
    assert page.meta.current_page == 1
    assert page.next_page == 2


@pytest.mark.parametrize("meta", [[], {}, None])
def test_empty_meta(meta: Any) -> None:
    assert _page(Contact, meta).meta == PageMeta()


@pytest.mark.parametrize("value", ["two", "", "2.5", True])
def test_a_count_that_is_no_number_is_a_decode_error(value: Any) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        _page(Contact, {"page": 1, "limit": value})
    assert "meta" in str(info.value)
