"""pytest plugin (loaded automatically once piggy-client is installed): ``fake_piggy``.

::

    async def test_my_code(fake_piggy):
        contact = fake_piggy.store.add_contact("ann@example.com")
        piggy = fake_piggy.piggy          # an AsyncPiggy bound to the fake server
        assert (await piggy.contacts.get(contact["uuid"])).email == "ann@example.com"

Async tests need an asyncio test runner (pytest-asyncio or anyio's plugin).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from .server import FakePiggy


class FakePiggyFixture:
    """A running :class:`FakePiggy` (``server``) and an ``AsyncPiggy`` bound to it (``piggy``)."""

    def __init__(self, server: FakePiggy, piggy: Any) -> None:
        self.server = server
        self.piggy = piggy

    @property
    def store(self) -> Any:
        return self.server.store

    @property
    def requests(self) -> Any:
        return self.server.requests

    @property
    def faults(self) -> Any:
        return self.server.faults

    @property
    def base_url(self) -> str:
        return self.server.base_url


try:
    import pytest_asyncio

    _fixture: Any = pytest_asyncio.fixture
except ImportError:  # pragma: no cover - anyio's plugin runs plain async fixtures
    _fixture = pytest.fixture


@_fixture  # type: ignore[untyped-decorator,unused-ignore]
async def fake_piggy() -> AsyncIterator[FakePiggyFixture]:
    """A fresh fake Piggy server and a client bound to it, closed after the test."""
    async with FakePiggy() as server:
        piggy = server.client(max_retries=0)
        try:
            yield FakePiggyFixture(server, piggy)
        finally:
            await piggy.aclose()
