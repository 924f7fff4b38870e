"""A sync call from code that runs on piggy_sync's own loop raises at once, never hangs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_standin import run_script, standin


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with standin() as url:
        yield url


def test_call_from_the_loop_raises_a_clear_error(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        import asyncio, signal, threading
        from piggy_sync import Piggy, ReentrantCallError, _runtime
        from piggy_async import ConfigurationError, PiggyError

        signal.alarm(20)
        piggy = Piggy(api_key="k", base_url=BASE_URL)

        async def callback_on_the_loop():     # what a callback of a call in progress is
            await asyncio.sleep(0)
            try:
                piggy.contacts.get("inner")
            except ReentrantCallError as exc:
                return exc
            return None

        for where in ("caller's thread", "pool thread"):
            box = []
            worker = threading.Thread(target=lambda: box.append(_runtime.run(callback_on_the_loop)))
            if where == "pool thread":
                worker.start(); worker.join(20)
            else:
                box.append(_runtime.run(callback_on_the_loop))
            error = box[0]
            assert isinstance(error, ConfigurationError) and isinstance(error, PiggyError), error
            print(where, "raised:", "would wait for itself forever" in str(error))
        print("next call", piggy.contacts.get("outer").uuid)
        """,
        base_url,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "caller's thread raised: True" in done.stdout
    assert "pool thread raised: True" in done.stdout
    assert "next call outer" in done.stdout
    assert done.stderr == ""


def test_call_from_a_shared_loop_callback_raises(base_url: str, tmp_path: Path) -> None:
    # Inside a running loop the call goes to the shared loop thread; a callback there that
    # calls again must raise too.
    done = run_script(
        """
        import asyncio, signal, warnings
        from piggy_sync import BlockingCallWarning, Piggy, ReentrantCallError, _runtime

        signal.alarm(20)
        warnings.filterwarnings("ignore", category=BlockingCallWarning)
        piggy = Piggy(api_key="k", base_url=BASE_URL)

        async def on_shared_loop():
            try:
                piggy.contacts.get("inner")
            except ReentrantCallError:
                return "raised"
            return "no error"

        async def cell():
            return _runtime.run(on_shared_loop)

        print("shared loop:", asyncio.run(cell()))
        """,
        base_url,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "shared loop: raised" in done.stdout
    assert done.stderr == ""
