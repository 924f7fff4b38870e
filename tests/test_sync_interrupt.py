"""Ctrl-C while pool threads are in slow sync calls: the calls are cancelled at exit."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_standin import run_script, standin


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with standin() as url:
        yield url


def test_ctrl_c_with_pool_threads_in_slow_calls(base_url: str, tmp_path: Path) -> None:
    # The stand-in answers "slow..." after 60 s; the script may take 30 s at most, so it only
    # passes if the calls in the pool threads are cancelled at exit.
    done = run_script(
        """
        import os, signal, threading, time
        from concurrent.futures import ThreadPoolExecutor
        from piggy_sync import Piggy

        piggy = Piggy(api_key="k", base_url=BASE_URL, timeout=120)
        pool = ThreadPoolExecutor(max_workers=4)
        futures = [pool.submit(piggy.contacts.get, f"slow{n}") for n in range(8)]
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
        print("waiting", flush=True)
        futures[0].result()                 # Ctrl-C arrives here
        """,
        base_url,
        tmp_path,
        timeout=30,
    )
    assert done.returncode in (-signal.SIGINT, 128 + signal.SIGINT), done.stderr
    assert "waiting" in done.stdout
    assert "KeyboardInterrupt" in done.stderr
    assert "Exception in thread" not in done.stderr


def test_ctrl_c_in_the_main_thread_cancels_its_call(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        import os, signal, threading
        from piggy_sync import Piggy

        piggy = Piggy(api_key="k", base_url=BASE_URL, timeout=120)
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
        try:
            piggy.contacts.get("slow")
        except KeyboardInterrupt:
            print("interrupted", flush=True)
        print("next", piggy.contacts.get("fast").uuid)
        """,
        base_url,
        tmp_path,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "interrupted" in done.stdout
    assert "next fast" in done.stdout
    assert done.stderr == ""
