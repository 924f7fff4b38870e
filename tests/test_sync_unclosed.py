"""A client created per call and never closed: no "Unclosed ..." flood, no sockets left."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_standin import run_script, standin


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with standin() as url:
        yield url


def test_client_per_call_never_closed(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        import gc, os, socket, threading
        from piggy_sync import Piggy

        def sockets():
            count = 0
            for fd in os.listdir("/proc/self/fd"):
                try:
                    if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                        count += 1
                except OSError:
                    pass
            return count

        def handler(n):                     # a view that builds its client every time
            return Piggy(api_key="k", base_url=BASE_URL).contacts.get(f"c{n}").uuid

        baseline = sockets()
        assert [handler(n) for n in range(300)] == [f"c{n}" for n in range(300)]
        threads = [threading.Thread(target=handler, args=(n,)) for n in range(4)]
        for t in threads: t.start()
        for t in threads: t.join(20)
        gc.collect()
        print("sockets held", sockets() - baseline)
        """,
        base_url,
        tmp_path,
        warnings="always::ResourceWarning",
    )
    assert done.returncode == 0, done.stderr
    held = int(done.stdout.split("sockets held")[1])
    # One keep-alive connection per loop used (the main thread's, and the ended threads'
    # loops waiting for reuse) plus each loop's wake-up socket pair: bounded, not per call.
    assert held <= 5 * 3
    assert done.stderr == ""
