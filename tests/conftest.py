from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import settings as hypothesis_settings

from piggy_async import AsyncPiggy
from piggy_async.testing import FakePiggy

from .rawserver import RawServer

# The fake_piggy fixture is opt-in: the project's own tests load it as users do. The backstop
# ends the run with every thread's stack if a test outlives its pytest-timeout bound.
pytest_plugins = ["piggy_async.testing.pytest_plugin", "tests._backstop"]

# Property tests are deterministic (the same examples every run, no example database), so a
# red CI is reproducible; HYPOTHESIS_PROFILE=explore searches afresh on a developer's machine.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("explore")
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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


@pytest.fixture(params=["lean", "aiohttp"])
def wire_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways an attempt goes out (``piggy_async._lean``): "lean", as the client's own
    sessions send on this aiohttp, and "aiohttp", through ``session.request`` (what a user's
    session, a proxy or another aiohttp release take). Modules about the wire run under both
    (``pytestmark = pytest.mark.usefixtures("wire_path")``)."""
    from piggy_async import _lean

    if request.param == "aiohttp":
        monkeypatch.setattr(_lean, "register", lambda session, proxy: None)
    elif not _lean.ENABLED:
        pytest.skip(f"aiohttp {_lean.aiohttp.__version__} takes session.request only")
    return str(request.param)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def srv() -> AsyncIterator[RawServer]:
    """A raw HTTP server on 127.0.0.1 (``tests/rawserver.py``), not the fake Piggy."""
    async with RawServer() as server:
        yield server


@pytest_asyncio.fixture
async def piggy(fake: FakePiggy, sleeps: SleepRecorder) -> AsyncIterator[AsyncPiggy]:
    client: AsyncPiggy = fake.client()
    client._transport.sleep = sleeps
    try:
        yield client
    finally:
        await client.aclose()


class Api:
    """Runs the same test code against the async client or the sync facade.

    ``await api(lambda p: p.contacts.get(u))``: awaited for the async client; for the sync
    client run in a worker thread (the fake server lives on the test's own loop, which a
    blocking call in this thread would stall).
    """

    def __init__(self, mode: str, client: Any) -> None:
        self.mode = mode
        self.client = client

    async def __call__(self, fn: Callable[[Any], Any]) -> Any:
        if self.mode == "async":
            return await fn(self.client)
        return await asyncio.to_thread(fn, self.client)

    async def items(self, fn: Callable[[Any], Any], stop_after: int | None = None) -> list[Any]:
        """Iterate what ``fn(client)`` returns (``break`` after ``stop_after`` items)."""
        if self.mode == "async":
            out = []
            async for item in fn(self.client):
                out.append(item)
                if stop_after is not None and len(out) >= stop_after:
                    break
            return out

        def collect() -> list[Any]:
            out = []
            for item in fn(self.client):
                out.append(item)
                if stop_after is not None and len(out) >= stop_after:
                    break
            return out

        return await asyncio.to_thread(collect)


@pytest_asyncio.fixture(params=["async", "sync"])
async def api(
    request: pytest.FixtureRequest, fake: FakePiggy, sleeps: SleepRecorder
) -> AsyncIterator[Api]:
    if request.param == "async":
        client: Any = fake.client()
        client._transport.sleep = sleeps
    else:
        from piggy_sync import Piggy

        client = Piggy(api_key=fake.token, base_url=fake.base_url)
        client._async._transport.sleep = sleeps
    try:
        yield Api(request.param, client)
    finally:
        if request.param == "async":
            await client.aclose()
        else:
            await asyncio.to_thread(client.close)


@pytest.fixture
def threaded_fake() -> Iterator[FakePiggy]:
    """A fake server on its own loop in a background thread, for blocking (sync) tests."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="fake-piggy", daemon=True)
    thread.start()
    server = FakePiggy(contacts=3, transactions=25, seed=11)
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(timeout=10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@pytest.fixture
def contact_uuid(fake: FakePiggy) -> str:
    return next(iter(fake.store.contacts))


# Under mutmut (which sets MUTANT_UNDER_TEST, for its stats run and for each mutant) the
# library's memo caches (decoder per model, "does this model collect extras", the aiohttp
# timeout) are emptied before every test: a result cached by an earlier test, or inherited
# from the process a mutant's run forks from, would hide the mutated function from the tests
# that rely on it.
if os.environ.get("MUTANT_UNDER_TEST") is not None:

    @pytest.fixture(autouse=True)
    def _fresh_library_caches() -> None:
        for name, module in list(sys.modules.items()):
            if not name.startswith("piggy_async") or module is None:
                continue
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear) and getattr(value, "__module__", "") == name:
                    clear()

    # Likewise piggy_sync's process-wide loops: a loop made by an earlier test and reused
    # (this thread's, or one an ended thread handed on) hid Host.__init__ and the loop
    # hand-over from the later tests that rely on them, so mutmut did not run those tests
    # against their mutants (Host.__init__ mutants "survived" that the tests kill). Each
    # test gets a fresh runtime state, closed after it as the exit hook would.
    @pytest.fixture(autouse=True)
    def _fresh_sync_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        from piggy_sync import _runtime

        fresh = _runtime._State()
        monkeypatch.setattr(_runtime, "_state", fresh)
        yield
        fresh.shutdown()
