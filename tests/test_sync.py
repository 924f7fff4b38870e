"""The generated sync facade: parity with the async client, and the runtime's
behaviour under threads, running loops, fork, Ctrl-C, early break and interpreter exit."""

from __future__ import annotations

import asyncio
import gc
import inspect
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import piggy_sync
from piggy_async import (
    AsyncPiggy,
    BulkResult,
    Contact,
    ContactNotFoundError,
    RateLimitError,
    ResponseDecodeError,
)
from piggy_async.testing import FakePiggy
from piggy_sync import Piggy, Timeout, _runtime

ROOT = Path(__file__).resolve().parent.parent
RENAMES = {"AsyncPager": "SyncPager", "BulkRun": "SyncBulkRun", "AsyncPiggy": "Piggy"}


def _sync_return(annotation: Any) -> Any:
    if isinstance(annotation, str):
        for old, new in RENAMES.items():
            annotation = annotation.replace(old, new)
    return annotation


def _pairs() -> list[tuple[type, type]]:
    resources = dict(AsyncPiggy.__annotations__.items())
    a = AsyncPiggy(api_key="k")
    s = Piggy(api_key="k")
    pairs: list[tuple[type, type]] = [(AsyncPiggy, Piggy)]
    for attr in resources:
        pairs.append((type(getattr(a, attr)), type(getattr(s, attr))))
    return pairs


def test_every_public_async_method_has_an_identical_sync_twin() -> None:
    checked = 0
    for async_cls, sync_cls in _pairs():
        for name, member in inspect.getmembers(async_cls):
            if name.startswith("_") and not (name == "__init__" and async_cls is AsyncPiggy):
                continue  # resources are built by the client: their constructors differ
            if isinstance(member, property):
                twin = getattr(sync_cls, name)
                assert isinstance(twin, property), name
                assert inspect.signature(twin.fget).return_annotation == _sync_return(  # type: ignore[arg-type]
                    inspect.signature(member.fget).return_annotation  # type: ignore[arg-type]
                )
                continue
            if not callable(member):
                continue
            sync_name = {"aclose": "close"}.get(name, name)
            twin = getattr(sync_cls, sync_name, None)
            assert twin is not None, f"{sync_cls.__name__}.{sync_name} is missing"
            a_sig, s_sig = inspect.signature(member), inspect.signature(twin)
            assert list(a_sig.parameters.values()) == list(s_sig.parameters.values()), (
                f"{async_cls.__name__}.{name}"
            )
            if name != "__init__":
                assert s_sig.return_annotation == _sync_return(a_sig.return_annotation), name
                assert inspect.getdoc(twin), f"{sync_cls.__name__}.{sync_name} has no docstring"
            checked += 1
    assert checked >= 25


def test_models_and_errors_are_the_async_packages_own() -> None:
    import piggy_async

    for name in ("Contact", "ContactNotFoundError", "PiggyError", "Timeout", "BulkResult"):
        assert getattr(piggy_sync, name) is getattr(piggy_async, name)


def test_generated_code_is_current() -> None:
    done = subprocess.run(
        [sys.executable, "tools/gen_sync.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_changed_async_signature_makes_the_check_fail(tmp_path: Path) -> None:
    for part in ("piggy_async", "piggy_sync", "tools", "pyproject.toml"):
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, tmp_path / part)
    contacts = tmp_path / "piggy_async" / "resources" / "contacts.py"
    text = contacts.read_text()
    changed = text.replace(
        "async def get(self, contact_uuid: str, *, extra_headers: Headers | None = None)",
        "async def get(self, contact_uuid: str, *, include_tier: bool = False)",
    )
    assert changed != text
    contacts.write_text(changed)
    done = subprocess.run(
        [sys.executable, str(tmp_path / "tools" / "gen_sync.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "include_tier: bool = False" in done.stdout
    assert "is stale" in done.stderr


# -- behaviour ---------------------------------------------------------------------------


@pytest.fixture
def piggy(threaded_fake: FakePiggy) -> Iterator[Piggy]:
    client = Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url)

    async def no_wait(seconds: float) -> None:
        return None

    client._async._transport.sleep = no_wait
    with client:
        yield client


def test_threads_share_one_client(piggy: Piggy, threaded_fake: FakePiggy) -> None:
    uuids = list(threaded_fake.store.contacts)
    errors: list[BaseException] = []
    seen: list[str] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        try:
            for i in range(50):
                contact = piggy.contacts.get(uuids[(n + i) % len(uuids)])
                with lock:
                    seen.append(contact.uuid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(seen) == 400
    assert set(seen) == set(uuids)
    assert len(threaded_fake.requests) == 400


def test_each_thread_counts_its_own_connections(threaded_fake: FakePiggy) -> None:
    # One client, max_connections=1, two threads whose calls overlap: each thread's loop has
    # its own session and its own slot. (The slot was the client's: the second thread
    # waited on a future the first one's release never woke, until its pool timeout.)
    threaded_fake.faults.latency(0.5, times=2, path="/contacts/*")
    uuid = next(iter(threaded_fake.store.contacts))
    client = Piggy(
        api_key=threaded_fake.token,
        base_url=threaded_fake.base_url,
        max_connections=1,
        timeout=Timeout(connect=5, read=5, pool=5),
    )
    took: dict[str, float] = {}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        started = time.monotonic()
        try:
            client.contacts.get(uuid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        took[name] = time.monotonic() - started

    with client:
        threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
    assert errors == []
    assert sorted(took) == ["a", "b"]
    assert max(took.values()) < 2.0  # side by side, not one after the other's pool wait


def test_call_inside_a_running_event_loop(piggy: Piggy, threaded_fake: FakePiggy) -> None:
    uuid = next(iter(threaded_fake.store.contacts))

    async def notebook_cell() -> Contact:
        return piggy.contacts.get(uuid)  # a blocking call, as in a Jupyter cell

    _runtime._state.warned = False
    with pytest.warns(piggy_sync.BlockingCallWarning, match="blocks the running event loop"):
        contact = asyncio.run(notebook_cell())
    assert contact.uuid == uuid


def test_errors_cross_the_portal_typed(piggy: Piggy) -> None:
    with pytest.raises(ContactNotFoundError) as info:
        piggy.contacts.get("nobody")
    assert info.value.code == 55031
    with pytest.raises(ValueError, match="email"):
        piggy.contacts.find_one_by(email="nope")


def test_pager_through_sync(piggy: Piggy, threaded_fake: FakePiggy) -> None:
    uuid = next(iter(threaded_fake.store.contacts))
    items = list(piggy.contacts.iter_loyalty_transactions(uuid, page_size=10))
    assert [t.uuid for t in items] == [t["uuid"] for t in threaded_fake.store.transactions[uuid]]


def _pending_bulk_tasks() -> list[asyncio.Task[Any]]:
    async def probe() -> list[asyncio.Task[Any]]:
        await asyncio.sleep(0.05)
        return [
            t
            for t in asyncio.all_tasks()
            if not t.done() and getattr(t.get_coro(), "__qualname__", "") == "_worker"
        ]

    return _runtime.run(probe)


def test_bulk_through_sync_in_order(piggy: Piggy, threaded_fake: FakePiggy) -> None:
    known = [threaded_fake.store.add_contact(f"s{i}@example.com")["uuid"] for i in range(300)]
    inputs = [u if i % 50 else f"missing-{i}" for i, u in enumerate(known)]
    results = list(piggy.contacts.get_many(inputs, concurrency=16))
    assert [r.input for r in results] == inputs
    assert [r.index for r in results] == list(range(300))
    for r in results:
        if r.input.startswith("missing-"):
            assert isinstance(r.error, ContactNotFoundError)
        else:
            assert r.value is not None
            assert r.value.uuid == r.input
    assert threaded_fake.max_in_flight <= 16
    collected = piggy.contacts.get_many(inputs[:20]).collect()
    assert [r.input for r in collected] == inputs[:20]


def test_bulk_through_sync_decodes_each_result_when_next_reaches_it(
    piggy: Piggy, threaded_fake: FakePiggy
) -> None:
    uuids = [threaded_fake.store.add_contact(f"d{i}@example.com")["uuid"] for i in range(40)]
    threaded_fake.faults.latency(0.3, path=f"/contacts/{uuids[0]}")  # the rest finish first
    threaded_fake.faults.status(200, body=b'{"data": {"uuid": 7', path=f"/contacts/{uuids[7]}")
    run = piggy.contacts.get_many(uuids, concurrency=40)
    first = next(run)
    parked = list(run._buffer)
    assert len(parked) == 39  # the batch came whole behind the slow head...
    assert not any(isinstance(entry, BulkResult) for entry in parked)  # ...undecoded
    assert (run._run_source.done, run._run_source.errors) == (1, 0)  # counted as handed out
    results = [first, *run]
    assert [r.input for r in results] == uuids
    assert isinstance(results[7].error, ResponseDecodeError)  # the item's error, not the run's
    assert [r.value.uuid for r in results if r.value is not None] == uuids[:7] + uuids[8:]
    assert (run._run_source.done, run._run_source.errors) == (40, 1)
    threaded_fake.faults.latency(0.3, path=f"/contacts/{uuids[0]}")
    again = piggy.contacts.get_many(uuids[:10], concurrency=10)
    head = next(again)
    assert again._buffer  # parked, undecoded: collect() decodes them
    rest = again.collect()
    assert [r.value.uuid for r in [head, *rest] if r.value is not None] == uuids[:10]


def test_bulk_through_sync_backs_off(piggy: Piggy, threaded_fake: FakePiggy) -> None:
    uuids = [threaded_fake.store.add_contact(f"b{i}@example.com")["uuid"] for i in range(120)]
    threaded_fake.faults.status(429, times=30, headers={"Retry-After": "1"}, path="/contacts/*")
    run = piggy.with_options(max_retries=6).contacts.get_many(uuids, concurrency=16)
    results = run.collect()
    assert [r.input for r in results] == uuids
    assert all(r.ok for r in results)
    assert run._run_source.limiter.pushbacks == 30  # each 429 seen by the run, none an item error


def test_bulk_through_sync_is_lazy(piggy: Piggy, threaded_fake: FakePiggy) -> None:
    uuids = [threaded_fake.store.add_contact(f"l{i}@example.com")["uuid"] for i in range(500)]
    produced = 0

    def source() -> Iterator[str]:
        nonlocal produced
        for u in uuids:
            produced += 1
            yield u

    consumed = peak = 0
    for result in piggy.contacts.get_many(source(), concurrency=8, window=24):
        assert result.ok
        consumed += 1
        peak = max(peak, produced - consumed)
    assert consumed == 500
    assert peak <= 24 + 64 + 24  # window, one read-ahead chunk, plus a batch


def test_early_break_stops_the_async_iterator(piggy: Piggy, threaded_fake: FakePiggy) -> None:
    uuids = [threaded_fake.store.add_contact(f"e{i}@example.com")["uuid"] for i in range(100)]
    threaded_fake.faults.latency(0.3, times=1000, path="/contacts/*")
    for _ in piggy.contacts.get_many(uuids, concurrency=8):
        assert len(_pending_bulk_tasks()) == 8  # the probe sees the workers while running
        break
    gc.collect()
    assert _pending_bulk_tasks() == []
    with piggy.contacts.get_many(uuids, concurrency=8) as results:
        next(results)
    assert _pending_bulk_tasks() == []
    assert len(threaded_fake.requests) < 60  # nowhere near all 100


def _script(body: str) -> str:
    return textwrap.dedent(
        """
        import asyncio, os, sys, threading, time
        from piggy_async.testing import FakePiggy
        from piggy_sync import Piggy

        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, daemon=True).start()
        fake = FakePiggy(contacts=2)
        asyncio.run_coroutine_threadsafe(fake.start(), loop).result()
        uuid = next(iter(fake.store.contacts))

        def stop_server():
            asyncio.run_coroutine_threadsafe(fake.close(), loop).result()
            loop.call_soon_threadsafe(loop.stop)
        """
    ) + textwrap.dedent(body)


def _run_script(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "script.py"
    path.write_text(_script(body))
    return subprocess.run(
        [sys.executable, "-W", "always::ResourceWarning", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def test_unclosed_client_at_exit_is_clean(tmp_path: Path) -> None:
    done = _run_script(
        """
        piggy = Piggy(api_key=fake.token, base_url=fake.base_url)
        assert piggy.contacts.get(uuid).uuid == uuid
        pager = piggy.contacts.iter_loyalty_transactions(uuid)   # never iterated or closed
        other = Piggy(api_key=fake.token, base_url=fake.base_url)
        other.contacts.get_credit_balance(uuid)
        stop_server()
        print("done")
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done"
    assert done.stderr == ""


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="POSIX only")
def test_forked_child_gets_its_own_loop(tmp_path: Path) -> None:
    done = _run_script(
        """
        import signal, warnings
        # This script's own fake server runs on a thread: Python 3.12+ warns about forking
        # with it alive (test_sync_fork.py checks that piggy_sync adds no such thread).
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        piggy = Piggy(api_key=fake.token, base_url=fake.base_url)
        assert piggy.contacts.get(uuid).uuid == uuid      # the parent's loop and session
        pid = os.fork()
        if pid == 0:
            signal.alarm(30)                              # never hang the test
            ok = piggy.contacts.get(uuid).uuid == uuid
            ok = ok and piggy.contacts.get_credit_balance(uuid).balance >= 0
            print("child", "ok" if ok else "bad", flush=True)
            sys.exit(0 if ok else 3)                      # a normal exit: atexit runs here too
        _, status = os.waitpid(pid, 0)
        print("child exit", os.waitstatus_to_exitcode(status), flush=True)
        assert piggy.contacts.get(uuid).uuid == uuid      # the parent is unaffected
        piggy.close()
        stop_server()
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "child ok" in done.stdout
    assert "child exit 0" in done.stdout
    assert done.stderr == ""


def test_ctrl_c_cancels_the_call_in_flight(tmp_path: Path) -> None:
    done = _run_script(
        """
        import _thread
        from piggy_sync import _runtime
        piggy = Piggy(api_key=fake.token, base_url=fake.base_url)
        piggy.contacts.get(uuid)
        fake.faults.latency(30.0)
        threading.Timer(0.3, _thread.interrupt_main).start()
        started = time.monotonic()
        try:
            piggy.contacts.get(uuid)
            print("not interrupted")
        except KeyboardInterrupt:
            print("interrupted", time.monotonic() - started < 10)
        async def in_use():
            return len(piggy._async._transport.pool.get().connector._acquired)

        print("connections in use", _runtime.run(in_use))
        print("next call", piggy.contacts.get_credit_balance(uuid).balance >= 0)
        piggy.close()
        stop_server()
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "interrupted True" in done.stdout
    assert "connections in use 0" in done.stdout
    assert "next call True" in done.stdout


def test_retry_exhaustion_through_sync(piggy: Piggy, threaded_fake: FakePiggy) -> None:
    threaded_fake.faults.status(429, times=5)
    with pytest.raises(RateLimitError) as info:
        piggy.contacts.get(next(iter(threaded_fake.store.contacts)))
    assert info.value.attempts == 3


def test_sync_client_repr_and_options(piggy: Piggy) -> None:
    assert repr(piggy).startswith("Piggy(base_url=")
    assert piggy.with_options(timeout=3).timeout.read == 3
    assert piggy.max_retries == 2
    started = time.monotonic()
    assert piggy.base_url.endswith("/api/v3/oauth/clients")
    assert time.monotonic() - started < 1


def test_ctrl_c_during_a_sync_bulk_run_cancels_it(tmp_path: Path) -> None:
    done = _run_script(
        """
        import _thread
        from piggy_sync import _runtime
        uuids = list(fake.store.contacts) * 200
        fake.faults.latency(30.0, times=10_000, path="/contacts/*")
        piggy = Piggy(api_key=fake.token, base_url=fake.base_url)
        threading.Timer(0.3, _thread.interrupt_main).start()
        started = time.monotonic()
        try:
            for result in piggy.contacts.get_many(uuids, concurrency=8):
                print("got a result?")
        except KeyboardInterrupt:
            print("interrupted", time.monotonic() - started < 10)

        async def workers_left():
            await asyncio.sleep(0.05)
            return sum(
                1 for t in asyncio.all_tasks()
                if not t.done() and t.get_coro().__qualname__ == "_worker"
            )

        print("workers left", _runtime.run(workers_left))
        async def in_use():
            return len(piggy._async._transport.pool.get().connector._acquired)

        print("connections in use", _runtime.run(in_use))
        piggy.close()
        stop_server()
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "got a result?" not in done.stdout
    assert "interrupted True" in done.stdout
    assert "workers left 0" in done.stdout
    assert "connections in use 0" in done.stdout


def test_an_ended_threads_loop_serves_the_next_thread(
    piggy: Piggy, threaded_fake: FakePiggy
) -> None:
    uuid = next(iter(threaded_fake.store.contacts))
    loops: list[object] = []

    def call() -> None:
        piggy.contacts.get(uuid)
        loops.append(_runtime._state.local.host.loop)

    first = threading.Thread(target=call)
    first.start()
    first.join(30)
    gc.collect()
    second = threading.Thread(target=call)
    second.start()
    second.join(30)
    assert len(loops) == 2
    assert loops[0] is loops[1]  # the second thread got the first one's loop and connections


def test_an_iterator_stays_in_the_thread_that_started_it(
    piggy: Piggy, threaded_fake: FakePiggy
) -> None:
    uuid = next(iter(threaded_fake.store.contacts))
    pager = piggy.contacts.iter_loyalty_transactions(uuid, page_size=5)
    first = next(pager)
    errors: list[BaseException] = []

    def elsewhere() -> None:
        try:
            next(pager)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=elsewhere)
    worker.start()
    worker.join(30)
    assert len(errors) == 1
    assert isinstance(errors[0], piggy_sync.ConfigurationError)
    assert str(errors[0]) == (  # the whole sentence: each part says something
        "this piggy_sync iterator was started in another thread (its calls run on that "
        "thread's event loop): iterate it in the thread that started it"
    )
    assert next(pager).uuid != first.uuid  # still usable where it started
    closer = threading.Thread(target=pager.close)  # closing from elsewhere never raises
    closer.start()
    closer.join(30)
    assert list(pager) == []
    requests = len(threaded_fake.requests)
    piggy.contacts.get(uuid)  # the owner's loop runs the scheduled close
    assert len(threaded_fake.requests) == requests + 1
