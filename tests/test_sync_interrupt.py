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


def test_a_sigint_handler_set_from_c_is_left_alone(base_url: str, tmp_path: Path) -> None:
    # uWSGI's workers stop on SIGINT with a handler set from C: signal.getsignal() still
    # says default_int_handler. A call must neither put Python's handler in its place after
    # it (the worker then ignored its master's SIGINT) nor guard over it.
    done = run_script(
        """
        import ctypes, os, signal
        from piggy_sync import Piggy

        libc = ctypes.CDLL(None)
        libc.signal.restype = ctypes.c_void_p
        libc.signal.argtypes = [ctypes.c_int, ctypes.c_void_p]
        SIG_IGN = 1

        def os_handler():
            old = libc.signal(signal.SIGINT, SIG_IGN)
            libc.signal(signal.SIGINT, old)
            return old

        python_handler = os_handler()
        piggy = Piggy(api_key="k", base_url=BASE_URL)
        print("first", piggy.contacts.get("a").uuid, os_handler() == python_handler)
        libc.signal(signal.SIGINT, SIG_IGN)   # the server's, from C, after a first call
        print("second", piggy.contacts.get("b").uuid, os_handler() == SIG_IGN)
        os.kill(os.getpid(), signal.SIGINT)   # ignored: no KeyboardInterrupt
        print("third", piggy.contacts.get("c").uuid, os_handler() == SIG_IGN)
        print("python's record", signal.getsignal(signal.SIGINT) is signal.default_int_handler)
        piggy.close()
        """,
        base_url,
        tmp_path,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "first a True" in done.stdout  # Python's own handler stays Python's
    assert "second b True" in done.stdout
    assert "third c True" in done.stdout
    assert "python's record True" in done.stdout
    assert done.stderr == ""


def test_a_sigint_handler_set_from_c_before_the_first_call_is_left_alone(
    base_url: str, tmp_path: Path
) -> None:
    # A uWSGI worker's first call: the handler is the server's from the start (the client
    # learns Python's own handler then, and must put the server's back exactly).
    done = run_script(
        """
        import ctypes, os, signal

        libc = ctypes.CDLL(None)
        libc.signal.restype = ctypes.c_void_p
        libc.signal.argtypes = [ctypes.c_int, ctypes.c_void_p]
        libc.signal(signal.SIGINT, 1)   # SIG_IGN, from C
        from piggy_sync import Piggy

        piggy = Piggy(api_key="k", base_url=BASE_URL)
        print("first", piggy.contacts.get("a").uuid)
        os.kill(os.getpid(), signal.SIGINT)   # ignored: no KeyboardInterrupt
        old = libc.signal(signal.SIGINT, 1)
        print("still ignored", old == 1)
        piggy.close()
        """,
        base_url,
        tmp_path,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "first a\nstill ignored True" in done.stdout
    assert done.stderr == ""
