"""Run every benchmark and print (and in full mode write) the figures issue 14 asks for.

    python -m benchmarks            # full mode (a few minutes): benchmarks/RESULTS.md + results.png
    python -m benchmarks --quick    # CI smoke run (well under 2 minutes): writes to a temp dir

How the figures are made: the server runs in its own process; every contender of a suite
runs inside one client process, interleaved in short batches whose order rotates each
round; each suite is repeated in several fresh processes. A ratio is taken per round between
contenders measured back to back, pooled over every process, and reported as
min/median/max; a goal is judged on the median. The run fails (exit 1) only on a crash or
a wrong result, never because of a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import imports, report
from benchmarks.figures import (
    absolute_figures,
    bulk_figures,
    decode_figures,
    import_figures,
    rate_figures,
    request_figures,
    retained_figures,
)
from benchmarks.payloads import seed_contact
from benchmarks.stats import Figure, text_table

HERE = Path(__file__).resolve().parent
RATE_TITLE = "Rate-limited bulk lookups (model Piggy: token bucket 200 req/s, burst 50)"


class BenchmarkFailed(Exception):
    """A measuring process crashed or a contender returned a wrong result."""


@dataclass
class Plan:
    processes: int
    decode_rounds: int
    decode_budget: float
    request_rounds: int
    request_batch: int
    bulk_rounds: int
    bulk_n: int
    mem_n: int
    import_rounds: int
    rate_rounds: int
    rate_n: int


# Bulk: 20 rounds a process (60 paired ratios): with 8 (24 ratios) the medians of four
# full runs on one noisy day scattered from 0.93x to 1.02x (sync get_many / async).
FULL = Plan(3, 10, 0.01, 20, 200, 20, 1000, 800, 15, 3, 3000)
QUICK = Plan(1, 2, 0.005, 3, 30, 2, 300, 100, 2, 1, 300)


def cores() -> tuple[set[int], set[int]] | None:
    """(the server's core, the client's core) on a machine with two or more (Linux): each
    process keeps its own core, so the scheduler never puts both on one core for a round
    and not the next (which spread the bulk ratios from 0.6x to 2x). None elsewhere."""
    getter = getattr(os, "sched_getaffinity", None)
    if getter is None:
        return None
    ids = sorted(getter(0))
    return ({ids[0]}, {ids[1]}) if len(ids) >= 2 else None


def _pin(which: int) -> Any:
    """A ``preexec_fn`` that pins the child to ``cores()[which]`` (None: no pinning)."""
    plan = cores()
    if plan is None:
        return None
    return lambda: os.sched_setaffinity(0, plan[which])


def _worker(args: list[str], pin: bool = False) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        timeout=600,
        check=False,
        preexec_fn=_pin(1) if pin else None,
    )
    if done.returncode != 0:
        raise BenchmarkFailed(f"`python -m {' '.join(args)}` failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


class Server:
    """The benchmark server in its own process."""

    def __init__(self) -> None:
        args = [sys.executable, "-m", "benchmarks.server"]
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, text=True, cwd=HERE.parent, preexec_fn=_pin(0)
        )
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


# -- the run ---------------------------------------------------------------------------------


def measure(plan: Plan, quick: bool, say: Any) -> dict[str, list[Figure]]:
    decode_args = ["benchmarks.decode", "--rounds", str(plan.decode_rounds)]
    decode_args += ["--budget", str(plan.decode_budget), *(["--quick"] if quick else [])]
    say(f"1/5 decode ({plan.processes} processes)")
    decode = [_worker(decode_args) for _ in range(plan.processes)]
    server = Server()
    try:
        port = str(server.port)
        say(f"2/5 sequential calls, async, sync and per-call options ({plan.processes} processes)")
        req_args = ["benchmarks.worker", "requests", port, "--rounds", str(plan.request_rounds)]
        req_args += ["--batch", str(plan.request_batch)]
        requests = [_worker(req_args, pin=True) for _ in range(plan.processes)]
        say(f"3/5 bulk ({plan.processes} processes)")
        bulk_args = ["benchmarks.worker", "bulk", port, "--rounds", str(plan.bulk_rounds)]
        bulk_args += ["--n", str(plan.bulk_n), "--mem-n", str(plan.mem_n)]
        bulk = [
            _worker(bulk_args + ([] if quick else ["--ordered"]), pin=True)
            for _ in range(plan.processes)
        ]
    finally:
        server.close()
    say("4/5 import time (fresh interpreters)")
    with tempfile.TemporaryDirectory(prefix="piggy-pycache-") as cache:
        imports.measure(1, pycache=cache)  # warm-up: every module's bytecode cached
        times = imports.measure(plan.import_rounds, pycache=cache)
        parts = imports.breakdown("piggy_sync", after="aiohttp", pycache=cache)[:12]
    uncached = imports.measure(max(2, plan.import_rounds // 3))
    say(f"5/5 rate-limited: {plan.rate_n:,} lookups x {plan.rate_rounds} round(s), interleaved")
    rate_args = ["benchmarks.ratelimited", "--items", str(plan.rate_n)]
    rate = [_worker([*rate_args, "--rounds", str(plan.rate_rounds)])]
    return {
        "Bulk (get_many, concurrency 64)": bulk_figures(bulk),
        "Sequential calls": request_figures(requests),
        "Decode of a Contact (bytes in)": decode_figures(decode),
        "Import time": import_figures(times, uncached),
        RATE_TITLE: rate_figures(rate),
        "_retained": retained_figures(decode),
        "_absolute": absolute_figures(decode, requests, bulk),
        "_imports": [
            Figure(f"imp {top}", f"{top} ({n} modules)", "ms", [ms]) for top, ms, n in parts
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="piggy-client benchmarks")
    parser.add_argument("--quick", action="store_true", help="CI smoke mode")
    parser.add_argument("--out", type=Path, help="where RESULTS.md and results.png go")
    parser.add_argument("--note", default="", help="a remark for RESULTS.md (machine state)")
    args = parser.parse_args(argv)
    quick = args.quick
    out_dir = args.out or (Path(tempfile.mkdtemp(prefix="piggy-bench-")) if quick else HERE)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    seed_contact()  # no seed payload, no benchmark: fail now, not after minutes
    try:
        groups = measure(QUICK if quick else FULL, quick, say)
    except BenchmarkFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    for title, figures in groups.items():
        if not title.startswith("_"):
            print(f"\n## {title}\n{text_table(figures)}")
    report.write(out_dir, groups, quick=quick, elapsed=elapsed, note=args.note)
    print(f"\nwrote {out_dir / 'RESULTS.md'} and {out_dir / 'results.png'} ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
