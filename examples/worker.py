"""A pool of worker processes, each with its own synchronous Piggy client.

Each worker opens its client in the pool's initializer and reuses it for every task; the
pool starts its workers with "spawn" so that no process inherits another one's connections
or threads. Prints one line per UUID: the UUID and its credit balance (or the error).

    PIGGY_API_KEY=... python examples/worker.py UUID [UUID ...]
"""

from __future__ import annotations

import atexit
import multiprocessing
import sys

from piggy_async import PiggyError
from piggy_sync import Piggy

_piggy: Piggy | None = None


def start_worker() -> None:
    """Pool initializer: one client per worker process, closed when the worker exits."""
    global _piggy
    _piggy = Piggy()
    atexit.register(_piggy.close)


def credit_balance(uuid: str) -> str:
    """The task: one contact's credit balance, as a line of text."""
    assert _piggy is not None, "start_worker() did not run"
    try:
        return f"{uuid}\t{_piggy.contacts.get_credit_balance(uuid).balance}"
    except PiggyError as exc:
        return f"{uuid}\terror: {type(exc).__name__}"


def main(uuids: list[str], processes: int = 2) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=start_worker) as pool:
        for line in pool.imap(credit_balance, uuids):  # results in input order
            print(line, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
