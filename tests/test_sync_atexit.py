"""atexit handlers registered before ``import piggy_sync`` still use the client at exit."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_standin import run_script, standin


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with standin() as url:
        yield url


def run_with_late_handler(handler: str, base_url: str, tmp_path: Path) -> str:
    """Run a script whose ``atexit`` handler (``handler``: the body of ``late()``) was
    registered before ``import piggy_sync``, so it runs after piggy_sync's own exit hook;
    its stdout, once it ended cleanly and quietly."""
    body = textwrap.indent(textwrap.dedent(handler), "    ")
    script = (
        "import atexit\n\n"
        f"def late():\n{body}\n"
        "atexit.register(late)\n\n"
        "from piggy_sync import Piggy\n"
        'CLIENT = Piggy(api_key="k", base_url=BASE_URL)\n'
        'print("first", CLIENT.contacts.get("first").uuid, flush=True)\n'
    )
    done = run_script(script, base_url, tmp_path, warnings="error")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "first first" in done.stdout
    return done.stdout


def test_earlier_atexit_handlers_can_still_call(base_url: str, tmp_path: Path) -> None:
    out = run_with_late_handler(
        """
        contact = CLIENT.contacts.get("at-exit")
        other = Piggy(api_key="k", base_url=BASE_URL).contacts.get("new-at-exit")
        print("at exit", contact.uuid, other.uuid, flush=True)
        """,
        base_url,
        tmp_path,
    )
    assert "at exit at-exit new-at-exit" in out


def test_iterators_started_in_a_late_atexit_handler_run_to_their_end(
    base_url: str, tmp_path: Path
) -> None:
    # At exit a loop closes after each call; an iterator makes several calls (a batch at a
    # time here, concurrency 1): its loop stays open until it ends, then closes.
    out = run_with_late_handler(
        """
        run = CLIENT.contacts.get_many(["a", "b", "c", "d"], concurrency=1)
        print("at exit", [r.value.uuid for r in run], flush=True)
        kept = CLIENT.contacts.get_many(["e", "f", "g"], concurrency=1)
        print("next", next(iter(kept)).value.uuid, flush=True)
        kept.close()
        print("then", CLIENT.contacts.get("h").uuid, flush=True)
        """,
        base_url,
        tmp_path,
    )
    assert "at exit ['a', 'b', 'c', 'd']" in out
    assert "next e" in out
    assert "then h" in out


def test_unclosed_pools_at_exit_are_quiet(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        import threading
        from piggy_sync import Piggy
        piggy = Piggy(api_key="k", base_url=BASE_URL)
        piggy.contacts.get("main")
        threads = [threading.Thread(target=piggy.contacts.get, args=(f"t{n}",)) for n in range(4)]
        for t in threads: t.start()
        for t in threads: t.join(20)
        pager = piggy.contacts.get_many(["a", "b", "c"])     # started, never finished
        next(iter(pager))
        print("done")
        """,
        base_url,
        tmp_path,
        warnings="always::ResourceWarning",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done"
    assert done.stderr == ""
