"""A loopback stand-in for Piggy (not the project's fake) and a fresh-interpreter runner.

The stand-in is a raw asyncio HTTP/1.1 server on 127.0.0.1 answering ``GET
.../contacts/<uuid>`` with ``{"data": {"uuid": "<uuid>"}}``; a uuid starting with ``slow``
is answered after 60 s (or never, if the client goes away first), one starting with
``missing`` gets a 404 with Piggy's "Contact not found." (code 55031). Scripts run in a fresh
interpreter with warnings as errors; ``PIGGY_STANDIN`` holds the base URL.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREAMBLE = """\
import os
BASE_URL = os.environ["PIGGY_STANDIN"]
"""


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ", 2)[1].decode()
            uuid = target.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
            if uuid.startswith("slow"):
                await asyncio.sleep(60)
            status = b"200 OK"
            answer: dict[str, object] = {"data": {"uuid": uuid, "email": None}}
            if uuid.startswith("missing"):
                status = b"404 Not Found"
                answer = {"status_code": 404, "code": 55031, "message": "Contact not found."}
            body = json.dumps(answer).encode()
            writer.write(
                b"HTTP/1.1 "
                + status
                + b"\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


@contextmanager
def standin() -> Iterator[str]:
    """Run the stand-in in a background thread; yields its base URL."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    box: dict[str, asyncio.AbstractServer] = {}

    async def start() -> None:
        box["server"] = await asyncio.start_server(_serve, "127.0.0.1", 0)
        started.set()

    thread = threading.Thread(target=loop.run_forever, name="standin", daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    started.wait(10)
    port = box["server"].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/api/v3/oauth/clients"
    finally:

        async def stop() -> None:
            box["server"].close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def run_script(
    body: str,
    base_url: str,
    tmp_path: Path,
    *,
    prelude: str = "",
    timeout: float = 60,
    warnings: str = "error",
) -> subprocess.CompletedProcess[str]:
    """Run ``body`` in a fresh interpreter (warnings as errors), bounded by ``timeout``."""
    path = tmp_path / "case.py"
    path.write_text(PREAMBLE + textwrap.dedent(prelude) + textwrap.dedent(body))
    env = {**os.environ, "PIGGY_STANDIN": base_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-W", warnings, str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=tmp_path,
        env=env,
    )


#: Real threads calling at once after a patching that left threads alone (the line that
#: patches goes first); prints ``calls True []`` when every call came back.
THREADS_UNPATCHED = """
import threading
from piggy_sync import Piggy

piggy = Piggy(api_key="k", base_url=BASE_URL, timeout=3, max_retries=0)
print("main", piggy.contacts.get("m").uuid)
seen, failed = [], []

def work(n):
    try:
        seen.append(piggy.contacts.get(f"t{n}").uuid)
    except Exception as exc:
        failed.append(type(exc).__name__)

threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(20)
print("calls", sorted(seen) == sorted(f"t{n}" for n in range(8)), failed)
piggy.close()
"""
