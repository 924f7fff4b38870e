from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from piggy_async import AsyncPiggy
from piggy_async.testing import FakePiggy

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PIGGY_SHARED_DIR", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared fixtures not found at {path} (set PIGGY_SHARED_DIR)")
    return path


def load_shared_json(*parts: str) -> Any:
    return json.loads(shared_path(*parts).read_text("utf-8"))


class SleepRecorder:
    """A fake clock for retries: records each requested wait and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakePiggy]:
    async with FakePiggy(contacts=3, transactions=25, seed=7) as server:
        yield server


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest_asyncio.fixture
async def piggy(fake: FakePiggy, sleeps: SleepRecorder) -> AsyncIterator[AsyncPiggy]:
    client: AsyncPiggy = fake.client()
    client._transport.sleep = sleeps
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def contact_uuid(fake: FakePiggy) -> str:
    return next(iter(fake.store.contacts))
