"""Fork after the sync facade has made calls: a C-level fork (as uWSGI does) and os.fork."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_standin import run_script, standin

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with standin() as url:
        yield url


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_call_in_a_child_forked_in_c_works(base_url: str, tmp_path: Path, host: str) -> None:
    # "localhost": a host name, looked up in the executor's threads. The parent's idle
    # lookup thread is on the executor's books but not in a child forked in C.
    # The fork is made the way a C extension must make it for any Python child to live: GIL
    # held (PyDLL, not CDLL) and no other thread running Python at that instant (the parent's
    # lookup thread idle, waiting for work). Otherwise the child inherits a GIL, or the GIL's
    # condition variable, taken mid-use by a thread it does not have, and hangs inside CPython
    # whatever the libraries (docs/sync.md "Fork and prefork servers").
    assert "127.0.0.1" in base_url
    done = run_script(
        """
        import ctypes, signal, sys, time
        from piggy_sync import Piggy

        piggy = Piggy(api_key="k", base_url=BASE_URL)
        assert piggy.contacts.get("before").uuid == "before"   # the parent's loop and sockets
        from piggy_sync._executor import EXECUTOR
        if "localhost" in BASE_URL:                             # the lookup thread: idle
            for _ in range(1000):
                if EXECUTOR._idle:
                    break
                time.sleep(0.01)
            assert EXECUTOR._idle, "no idle lookup thread"
            time.sleep(0.05)                                    # from the list to its wait
        libc = ctypes.PyDLL(None)
        pid = libc.fork()                                       # no os.register_at_fork hooks
        if pid == 0:
            signal.alarm(20)                                    # a hang kills the child
            ok = piggy.contacts.get("in-child").uuid == "in-child"
            ok = ok and piggy.contacts.get("again").uuid == "again"
            print("child", "ok" if ok else "bad", flush=True)
            os._exit(0 if ok else 3)
        _, status = os.waitpid(pid, 0)
        print("child exit", os.waitstatus_to_exitcode(status), flush=True)
        assert piggy.contacts.get("after").uuid == "after"     # the parent is unaffected
        piggy.close()
        print("parent ok")
        """,
        base_url.replace("127.0.0.1", host),
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "child ok" in done.stdout
    assert "child exit 0" in done.stdout
    assert "parent ok" in done.stdout
    assert done.stderr == ""


def test_os_fork_after_calls_gives_no_warning(base_url: str, tmp_path: Path) -> None:
    # -W error: on 3.12+ a fork with threads of ours alive would raise DeprecationWarning.
    done = run_script(
        """
        import asyncio, signal, sys, warnings
        from piggy_sync import BlockingCallWarning, Piggy

        warnings.filterwarnings("ignore", category=BlockingCallWarning)
        piggy = Piggy(api_key="k", base_url=BASE_URL)
        assert piggy.contacts.get("main-thread").uuid == "main-thread"

        async def cell():                 # starts the shared loop thread
            return piggy.contacts.get("in-loop").uuid

        assert asyncio.run(cell()) == "in-loop"
        by_name = Piggy(api_key="k", base_url=BASE_URL.replace("127.0.0.1", "localhost"))
        assert by_name.contacts.get("dns").uuid == "dns"   # a lookup on the loops' executor
        for round in range(2):
            pid = os.fork()
            if pid == 0:
                signal.alarm(20)
                ok = piggy.contacts.get("child").uuid == "child"
                ok = ok and asyncio.run(cell()) == "in-loop"
                os._exit(0 if ok else 3)
            _, status = os.waitpid(pid, 0)
            print("child exit", os.waitstatus_to_exitcode(status), flush=True)
            assert asyncio.run(cell()) == "in-loop"
        print("parent ok")
        """,
        base_url,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("child exit 0") == 2
    assert "parent ok" in done.stdout
    assert done.stderr == ""
