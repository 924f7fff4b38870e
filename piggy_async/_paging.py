"""Auto-paging: an async iterator over every item of a paged list, page by page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from .errors import PaginationError
from .types import Page, next_page_number

T = TypeVar("T")

__all__ = ["AsyncPager"]


class AsyncPager(Generic[T]):
    """Iterates every item of a Piggy list, fetching the next page only when needed.

    ``async for item in pager`` yields items. Nothing is fetched until iteration starts;
    breaking out early fetches nothing more. A server whose pages do not advance (the
    meta names the same page again) ends the iteration with :class:`PaginationError`.
    """

    def __init__(self, fetch: Callable[[int], Awaitable[Page[T]]], first_page: int = 1) -> None:
        self._fetch = fetch
        self._next: int | None = first_page
        self._items: list[T] = []
        self._index = 0

    def __aiter__(self) -> AsyncPager[T]:
        return self

    async def __anext__(self) -> T:
        while self._index >= len(self._items):
            asked = self._next
            if asked is None:
                raise StopAsyncIteration
            page = await self._fetch(asked)
            self._items, self._index = page.items, 0
            following = next_page_number(page.meta, len(page.items), asked) if page.items else None
            if following is not None and following <= asked:
                self._next, self._items = None, []
                raise PaginationError(
                    f"asked for page {asked}, the answer says it is page {following - 1}: "
                    "the list does not advance, so iteration stopped rather than fetch "
                    "the same page forever"
                )
            self._next = following
        item = self._items[self._index]
        self._index += 1
        return item

    async def aclose(self) -> None:
        """Stop: no further page is fetched."""
        self._next = None
        self._items, self._index = [], 0
