"""AsyncPager, driven by an in-memory list of pages: which pages are asked for, which items
come out, and how a list that does not advance or is closed early ends (no network)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from piggy_async import PaginationError
from piggy_async._paging import AsyncPager
from piggy_async.types import Page, PageMeta


class Pages:
    """A fake fetch: page number -> (items, meta). Records every page asked for and refuses
    to be asked more than ``limit`` times, so a pager that loops fails at once."""

    def __init__(self, pages: dict[int, tuple[list[Any], PageMeta]], limit: int = 10) -> None:
        self.pages = pages
        self.asked: list[int] = []
        self.limit = limit

    async def __call__(self, number: int) -> Page[Any]:
        self.asked.append(number)
        if len(self.asked) > self.limit:
            raise AssertionError(f"the pager keeps fetching: {self.asked}")
        items, meta = self.pages[number]
        return Page(items=list(items), meta=meta)


async def collect(pager: AsyncPager[Any], most: int = 20) -> list[Any]:
    """Every item, failing at once (not hanging) past ``most``: a pager that yields the same
    item forever never awaits, so no timeout could stop it."""
    items: list[Any] = []
    with anyio.fail_after(10):
        async for item in pager:
            items.append(item)
            assert len(items) <= most, f"the pager does not stop: {items[:5]}..."
    return items


def three_pages() -> Pages:
    return Pages(
        {
            1: (["a", "b"], PageMeta(page=1, limit=2, last_page=3)),
            2: (["c", "d"], PageMeta(page=2, limit=2, last_page=3)),
            3: (["e"], PageMeta(page=3, limit=2, last_page=3)),
        }
    )


async def test_every_item_of_every_page_in_order_each_page_fetched_once() -> None:
    fetch = three_pages()
    pager = AsyncPager(fetch)
    assert pager.__aiter__() is pager
    assert await collect(pager) == ["a", "b", "c", "d", "e"]
    assert fetch.asked == [1, 2, 3]
    # Exhausted: asking again fetches nothing more.
    with pytest.raises(StopAsyncIteration):
        await pager.__anext__()
    assert fetch.asked == [1, 2, 3]


async def test_first_page_is_where_iteration_starts() -> None:
    fetch = three_pages()
    assert await collect(AsyncPager(fetch, first_page=2)) == ["c", "d", "e"]
    assert fetch.asked == [2, 3]


async def test_nothing_is_fetched_before_iteration() -> None:
    fetch = three_pages()
    AsyncPager(fetch)
    assert fetch.asked == []


@pytest.mark.parametrize(
    ("pages", "items", "asked"),
    [
        # An empty page ends the list even if its meta promises more.
        ({1: ([], PageMeta(page=1, limit=2, last_page=9))}, [], [1]),
        # An empty page after full ones ends it too.
        (
            {
                1: (["a", "b"], PageMeta(page=1, limit=2)),
                2: ([], PageMeta(page=2, limit=2)),
            },
            ["a", "b"],
            [1, 2],
        ),
        # A short page without last_page is the last.
        ({1: (["a"], PageMeta(page=1, limit=2))}, ["a"], [1]),
    ],
)
async def test_where_the_list_ends(
    pages: dict[int, tuple[list[Any], PageMeta]], items: list[Any], asked: list[int]
) -> None:
    fetch = Pages(pages)
    assert await collect(AsyncPager(fetch)) == items
    assert fetch.asked == asked


@pytest.mark.parametrize(
    ("answered", "said"),
    [
        (1, 1),  # asked for page 2, told it is page 1 again
        (2, 2),  # page 2 is right, then asked for page 3, told it is page 2
    ],
)
async def test_a_list_that_does_not_advance_stops_with_pagination_error(
    answered: int, said: int
) -> None:
    fetch = Pages(
        {
            1: (["a"], PageMeta(page=1, limit=1, last_page=5)),
            2: (["b"], PageMeta(page=answered, limit=1, last_page=5)),
            3: (["c"], PageMeta(page=2, limit=1, last_page=5)),
        }
    )
    pager = AsyncPager(fetch)
    seen: list[Any] = []

    async def iterate() -> None:
        async for item in pager:
            seen.append(item)
            assert len(seen) <= 20, "the pager does not stop"

    with anyio.fail_after(10), pytest.raises(PaginationError) as info:
        await iterate()
    asked = fetch.asked[-1]
    assert str(info.value) == (
        f"asked for page {asked}, the answer says it is page {said}: the list does not "
        "advance, so iteration stopped rather than fetch the same page forever"
    )
    # The repeated page's items are not yielded, and the pager stays stopped.
    assert seen == ["a", "b"][: len(fetch.asked) - 1]
    count = len(fetch.asked)
    with pytest.raises(StopAsyncIteration):
        await pager.__anext__()
    assert len(fetch.asked) == count


async def test_same_page_forever_is_one_error_not_a_loop() -> None:
    fetch = Pages({3: (["a"], PageMeta(page=1, limit=1, last_page=5))})
    with pytest.raises(PaginationError, match="asked for page 3, the answer says it is page 1:"):
        await collect(AsyncPager(fetch, first_page=3))
    assert fetch.asked == [3]


async def test_aclose_stops_mid_page_and_fetches_nothing_more() -> None:
    fetch = three_pages()
    pager = AsyncPager(fetch)
    with anyio.fail_after(10):
        assert await pager.__anext__() == "a"
        await pager.aclose()
        with pytest.raises(StopAsyncIteration):
            await pager.__anext__()
        with pytest.raises(StopAsyncIteration):
            await pager.__anext__()
    assert fetch.asked == [1]


async def test_aclose_before_iteration_fetches_nothing() -> None:
    fetch = three_pages()
    pager = AsyncPager(fetch)
    await pager.aclose()
    assert await collect(pager) == []
    assert fetch.asked == []


@pytest.mark.parametrize("first_page", [1, 4])
async def test_a_meta_that_does_not_name_its_page_is_the_page_asked_for(first_page: int) -> None:
    # Only the page size: which page this is, the meta does not say. Counting it as page 1
    # would call every page after the first "the same page again".
    n = first_page
    fetch = Pages(
        {
            n: (["a", "b"], PageMeta(limit=2)),
            n + 1: (["c", "d"], PageMeta(limit=2)),
            n + 2: (["e"], PageMeta(limit=2)),
        }
    )
    assert await collect(AsyncPager(fetch, first_page=n)) == ["a", "b", "c", "d", "e"]
    assert fetch.asked == [n, n + 1, n + 2]


def test_the_page_asked_for_stands_in_only_for_a_page_number_the_meta_lacks() -> None:
    from piggy_async.types import next_page_number

    assert next_page_number(PageMeta(limit=2), 2, asked=5) == 6
    assert next_page_number(PageMeta(page=2, limit=2), 2, asked=5) == 3  # the meta's own
    assert next_page_number(PageMeta(current_page=7, per_page=2), 2, asked=5) == 8
    assert next_page_number(PageMeta(limit=2), 2) == 2  # a page alone: page 1
