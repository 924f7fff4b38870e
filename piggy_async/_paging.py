"""Auto-paging: an async iterator over every item of a paged list, page by page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from .types import Page

T = TypeVar("T")

__all__ = ["AsyncPager"]


class AsyncPager(Generic[T]):
    """Iterates every item of a Piggy list, fetching the next page only when needed.

    ``async for item in pager`` yields items; ``pager.pages()`` yields whole pages.
    Nothing is fetched until iteration starts; breaking out early fetches nothing more.
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
            if self._next is None:
                raise StopAsyncIteration
            page = await self._fetch(self._next)
            self._items, self._index = page.items, 0
            self._next = page.next_page if page.items else None
        item = self._items[self._index]
        self._index += 1
        return item

    async def aclose(self) -> None:
        """Stop: no further page is fetched."""
        self._next = None
        self._items, self._index = [], 0
