"""The sync facade under eventlet's monkey-patching (Celery ``-P eventlet``, gunicorn ``-k
eventlet``): patched before and after ``import piggy_sync``, green threads killed or timed
out mid-call, typed errors, and eventlet's asyncio hub."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_standin import THREADS_UNPATCHED, run_script, standin

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("eventlet") is None,
    reason="eventlet is not installed (pip install eventlet): the eventlet cases cannot run",
)

# eventlet warns about itself on import (EventletDeprecationWarning): not ours to judge. Every
# other warning stays an error.
IMPORT_EVENTLET = """
import warnings
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"\\s*Eventlet is deprecated")
    import eventlet
"""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with standin() as url:
        yield url


def test_patched_first_no_green_thread_sees_a_running_loop(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        eventlet.monkey_patch()
        import asyncio
        from piggy_sync import Piggy

        piggy = Piggy(api_key="k", base_url=BASE_URL)
        seen = []

        def work(n):
            seen.append(piggy.contacts.get(f"g{n}").uuid)
            try:
                asyncio.get_running_loop()
                seen.append("a running loop is visible")
            except RuntimeError:
                pass

        jobs = [eventlet.spawn(work, n) for n in range(20)]
        with eventlet.Timeout(20):
            for job in jobs:
                job.wait()
        print("calls", sorted(seen) == sorted(f"g{n}" for n in range(20)))

        async def main():
            return 42

        print("asyncio.run", asyncio.run(main()))   # no loop leaks into this thread
        by_name = Piggy(api_key="k", base_url=BASE_URL.replace("127.0.0.1", "localhost"))
        print("by name", by_name.contacts.get("dns").uuid)   # getaddrinfo off the hub
        from piggy_sync import _runtime
        print("selector", type(_runtime._state.portal.host.loop._selector).__name__)
        piggy.close()
        """,
        base_url,
        tmp_path,
        prelude=IMPORT_EVENTLET,
    )
    assert done.returncode == 0, done.stderr
    assert "calls True" in done.stdout
    assert "asyncio.run 42" in done.stdout
    assert "by name dns" in done.stdout
    # the platform's own selector, not a select() one over eventlet's green select
    assert "selector SelectSelector" not in done.stdout
    assert done.stderr == ""


def test_imported_before_patching_concurrent_first_calls(base_url: str, tmp_path: Path) -> None:
    # gunicorn -k eventlet --preload: the app (and piggy_sync) is imported, then patched.
    done = run_script(
        """
        from piggy_sync import Piggy
        piggy = Piggy(api_key="k", base_url=BASE_URL)

        eventlet.monkey_patch()

        jobs = [eventlet.spawn(piggy.contacts.get, f"first{n}") for n in range(30)]
        with eventlet.Timeout(20):
            uuids = [job.wait().uuid for job in jobs]
        print("uuids", sorted(uuids) == sorted(f"first{n}" for n in range(30)))
        piggy.close()
        """,
        base_url,
        tmp_path,
        prelude=IMPORT_EVENTLET,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "uuids True" in done.stdout
    assert done.stderr == ""


def test_an_error_arrives_typed_as_without_eventlet(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        from piggy_sync import Piggy
        piggy = Piggy(api_key="k", base_url=BASE_URL)

        def outcome():
            try:
                piggy.contacts.get("missing1")
            except Exception as exc:
                return type(exc), exc.status_code, exc.code, str(exc)

        plain = outcome()                       # before the patching: no eventlet at all
        eventlet.monkey_patch()
        with eventlet.Timeout(20):
            green = eventlet.spawn(outcome).wait()
        print("error", green[0].__name__, green[1], int(green[2]))
        print("same", green == plain)
        piggy.close()
        """,
        base_url,
        tmp_path,
        prelude=IMPORT_EVENTLET,
    )
    assert done.returncode == 0, done.stderr
    assert "error ContactNotFoundError 404 55031" in done.stdout
    assert "same True" in done.stdout
    assert done.stderr == ""


def test_a_killed_or_timed_out_green_thread_cancels(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        eventlet.monkey_patch()
        import os
        from piggy_sync import Piggy, _runtime

        def pipes():                              # the wake-up pipes open now (Linux)
            ends = []
            if not os.path.isdir("/proc/self/fd"):
                return 0
            for fd in os.listdir("/proc/self/fd"):
                try:
                    ends.append(os.readlink(f"/proc/self/fd/{fd}"))
                except OSError:                   # the listing's own descriptor
                    pass
            return sum(1 for end in ends if end.startswith("pipe:"))

        piggy = Piggy(api_key="k", base_url=BASE_URL, timeout=120)
        piggy.contacts.get("warm")
        before = pipes()
        slow = eventlet.spawn(piggy.contacts.get, "slow")     # answered after 60 s
        others = [eventlet.spawn(piggy.contacts.get, f"o{n}") for n in range(5)]
        with eventlet.Timeout(20):
            print("others", [g.wait().uuid for g in others])  # not held up by the slow one
        slow.kill()
        print("killed", slow.dead)
        for n in range(20):                       # killed at every stage of a call
            job = eventlet.spawn(piggy.contacts.get, f"slow{n}")
            eventlet.sleep(0.002 * (n % 4))
            job.kill()
        try:
            with eventlet.Timeout(0.3):
                piggy.contacts.get("slow-timeout")
        except eventlet.Timeout:
            print("timed out")
        print("next", piggy.contacts.get("after").uuid)
        for _ in range(100):                      # the cancelled calls end on the loop
            if not _runtime._state.portal.inflight:
                break
            eventlet.sleep(0.05)
        print("in flight", len(_runtime._state.portal.inflight))
        print("pipes left", pipes() - before)
        piggy.close()
        """,
        base_url,
        tmp_path,
        prelude=IMPORT_EVENTLET,
        timeout=50,
    )
    assert done.returncode == 0, done.stderr
    assert "others ['o0', 'o1', 'o2', 'o3', 'o4']" in done.stdout
    assert "killed True" in done.stdout
    assert "timed out" in done.stdout
    assert "next after" in done.stdout
    assert "in flight 0" in done.stdout
    assert "pipes left 0" in done.stdout
    assert done.stderr == ""


def test_eventlets_asyncio_hub(base_url: str, tmp_path: Path) -> None:
    # EVENTLET_HUB=asyncio: eventlet's hub is an asyncio loop that every green thread sees
    # running. A call still runs on piggy_sync's own loop thread, and as its green thread
    # waits cooperatively it blocks nothing: no BlockingCallWarning (an error here).
    done = run_script(
        """
        eventlet.hubs.use_hub("asyncio")
        eventlet.monkey_patch()
        import asyncio
        from piggy_sync import Piggy, _runtime

        piggy = Piggy(api_key="k", base_url=BASE_URL)

        def work(n):
            uuid = piggy.contacts.get(f"a{n}").uuid
            return uuid, asyncio.get_running_loop() is eventlet.hubs.get_hub().loop

        jobs = [eventlet.spawn(work, n) for n in range(10)]
        with eventlet.Timeout(20):
            print("calls", [job.wait() for job in jobs] == [(f"a{n}", True) for n in range(10)])
        print("own loop", _runtime._state.portal.host.loop is not eventlet.hubs.get_hub().loop)
        piggy.close()
        """,
        base_url,
        tmp_path,
        prelude=IMPORT_EVENTLET + "import eventlet.hubs\n",
    )
    assert done.returncode == 0, done.stderr
    assert "calls True" in done.stdout
    assert "own loop True" in done.stdout
    assert done.stderr == ""


def test_sockets_patched_threads_not(base_url: str, tmp_path: Path) -> None:
    # monkey_patch(thread=False): real threads, eventlet's socket and select; every thread's
    # loop on the platform's selector.
    script = "eventlet.monkey_patch(thread=False)\n" + THREADS_UNPATCHED
    done = run_script(script, base_url, tmp_path, prelude=IMPORT_EVENTLET)
    assert done.returncode == 0, done.stderr
    assert "main m\ncalls True []" in done.stdout
    assert done.stderr == ""
