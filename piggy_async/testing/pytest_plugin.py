"""Opt-in pytest plugin: the ``fake_piggy`` fixture.

Load it where you need it (it is not registered on install, so an unrelated pytest run
never imports piggy-client), in your top-level ``conftest.py``::

    pytest_plugins = ["piggy_async.testing.pytest_plugin"]

or on the command line: ``pytest -p piggy_async.testing.pytest_plugin``. Then::

    from piggy_async.testing import FakePiggyFixture

    async def test_my_code(fake_piggy: FakePiggyFixture) -> None:
        contact = fake_piggy.store.add_contact("ann@example.com")
        piggy = fake_piggy.piggy          # an AsyncPiggy bound to the fake server
        assert (await piggy.contacts.get(contact["uuid"])).email == "ann@example.com"

Async tests need an asyncio test runner (pytest-asyncio shown, ``asyncio_mode = "auto"``
and ``asyncio_default_fixture_loop_scope = "function"``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from ._faults import Faults
from ._store import Store
from .server import FakePiggy, RecordedRequest

if TYPE_CHECKING:
    from .._client import AsyncPiggy

__all__ = ["FakePiggyFixture", "fake_piggy"]

F = TypeVar("F", bound=Callable[..., Any])


class FakePiggyFixture:
    """What the ``fake_piggy`` fixture gives a test: a running :class:`FakePiggy`
    (``server``) and an ``AsyncPiggy`` bound to it (``piggy``, ``max_retries=0``)."""

    def __init__(self, server: FakePiggy, piggy: AsyncPiggy) -> None:
        self.server = server
        self.piggy = piggy

    @property
    def store(self) -> Store:
        """The fake server's data: ``add_contact``, ``add_transaction``, ``contacts``, ..."""
        return self.server.store

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request the fake server received, oldest first."""
        return self.server.requests

    @property
    def faults(self) -> Faults:
        """Scripted failures: ``status(503)``, ``reset()``, ``latency(0.5)``, ..."""
        return self.server.faults

    @property
    def base_url(self) -> str:
        """The fake server's API root, for a client or a tool of your own."""
        return self.server.base_url


def _async_fixture(func: F) -> F:
    """pytest-asyncio's fixture decorator when it is installed, else pytest's own (anyio's
    plugin runs plain async fixtures)."""
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - exercised only without pytest-asyncio
        return pytest.fixture(func)  # type: ignore[no-any-return,return-value,unused-ignore]
    return pytest_asyncio.fixture(func)  # type: ignore[no-any-return,return-value,unused-ignore]


@_async_fixture
async def fake_piggy() -> AsyncIterator[FakePiggyFixture]:
    """A fresh fake Piggy server and a client bound to it, both closed after the test."""
    async with FakePiggy() as server:
        piggy: AsyncPiggy = server.client(max_retries=0)
        try:
            yield FakePiggyFixture(server, piggy)
        finally:
            await piggy.aclose()
