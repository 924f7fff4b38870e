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
from benchmarks.payloads import seed_contact
from benchmarks.stats import Figure, difference, paired, pooled, ratio, text_table

HERE = Path(__file__).resolve().parent


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


FULL = Plan(3, 10, 0.01, 20, 200, 8, 1000, 800, 15)
QUICK = Plan(1, 2, 0.005, 3, 30, 2, 300, 100, 2)


def _worker(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise BenchmarkFailed(f"`python -m {' '.join(args)}` failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


class Server:
    """The benchmark server in its own process."""

    def __init__(self) -> None:
        args = [sys.executable, "-m", "benchmarks.server"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=HERE.parent)
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


# -- figures from the samples ----------------------------------------------------------------


def decode_figures(runs: list[dict[str, Any]]) -> list[Figure]:
    figures = []
    for label in runs[0]["samples"]:
        per_payload = [run["samples"][label] for run in runs]
        for peer, goal in (("json.loads", 3.0), ("pydantic", 5.0)):
            figures.append(
                Figure(
                    f"decode {label} vs {peer}",
                    f"decode {label}: {peer} time / ours",
                    samples=paired(per_payload, peer, "ours", ratio),
                    goal=goal,
                    higher_is_better=True,
                )
            )
        figures.append(
            Figure(
                f"decode {label} read vs json.loads",
                f"decode {label}, attributes then read: json.loads time / ours",
                samples=paired(per_payload, "json.loads", "ours, attributes read", ratio),
                higher_is_better=True,
                note="ours keeps `attributes` raw until read; this row decodes and then reads them"
                if label == "seed pretty"
                else "",
            )
        )
    return figures


def request_figures(runs: list[dict[str, Any]]) -> list[Figure]:
    samples = [run["samples"] for run in runs]
    figures = [
        Figure(
            "seq cpu",
            "sequential contacts.get: CPU per call / floor",
            samples=paired(samples, "ours_cpu", "floor_cpu", ratio),
            goal=1.10,
            note="tracing off: the line issue 15 asks tracing-off to hold",
        ),
        Figure(
            "sync cpu",
            "sync sequential: CPU per call / async",
            samples=paired(samples, "sync_cpu", "ours_cpu", ratio),
            goal=1.15,
        ),
        Figure(
            "sync cpu diff",
            "sync sequential: CPU per call - async",
            "µs",
            samples=paired(samples, "sync_cpu", "ours_cpu", difference),
            signed=True,
            goal=40.0,
        ),
        Figure(
            "options diff",
            "with_options(timeout=5.0) per call: CPU - plain call",
            "µs",
            samples=paired(samples, "options_cpu", "ours_cpu", difference),
            signed=True,
            goal=5.0,
        ),
    ]
    skipped = runs[0].get("tracing_skipped", "")
    figures.append(
        Figure(
            "tracing diff",
            "tracing on: CPU per call - tracing off",
            "µs",
            samples=paired(samples, "tracing_cpu", "ours_cpu", difference),
            signed=True,
            skipped=skipped,
            note=""
            if skipped
            else "OpenTelemetry SDK providers without processors or readers: "
            "the cost of making spans and metrics, not of exporting them",
        )
    )
    figures.append(
        Figure(
            "seq wall",
            "sequential contacts.get: wall per call / floor",
            samples=paired(samples, "ours_wall", "floor_wall", ratio),
        )
    )
    if "httpx_cpu" in samples[0]:
        figures.append(
            Figure(
                "httpx cpu",
                "httpx + pydantic: CPU per call / ours",
                samples=paired(samples, "httpx_cpu", "ours_cpu", ratio),
                higher_is_better=True,
            )
        )
    return figures


def bulk_figures(runs: list[dict[str, Any]]) -> list[Figure]:
    samples = [run["samples"] for run in runs]
    figures = [
        Figure(
            "bulk cpu",
            "get_many (c=64): CPU per request / 64-worker lean aiohttp floor",
            samples=paired(samples, "ours_cpu", "floor_cpu", ratio),
            goal=1.10,
            note="the floor decodes with our cached Contact decoder (attributes lazy for both)",
        ),
        Figure(
            "bulk rate",
            "get_many: requests/s / floor",
            samples=paired(samples, "ours_rate", "floor_rate", ratio),
            goal=0.90,
            higher_is_better=True,
        ),
        Figure(
            "sync bulk rate",
            "sync get_many: requests/s / async get_many",
            samples=paired(samples, "sync_rate", "ours_rate", ratio),
            goal=0.95,
            higher_is_better=True,
        ),
    ]
    if "floor_ordered_cpu" in samples[0]:
        figures.append(
            Figure(
                "bulk ordered cpu",
                "the floor's requests through BulkRun: CPU per request / floor",
                samples=paired(samples, "floor_ordered_cpu", "floor_cpu", ratio),
            )
        )
    small, big = runs[0]["mem_sizes"]
    for name, label in (("ours", "get_many"), ("sync", "sync get_many")):
        for size in (small, big):
            figures.append(
                Figure(
                    f"mem {name} {size}",
                    f"{label}: traced memory peak during N = {size:,}",
                    "MiB",
                    pooled(samples, f"{name}_mem_{size}"),
                )
            )
        figures.append(
            Figure(
                f"mem {name} growth",
                f"{label}: memory peak at N = {big:,} / at N = {small:,}",
                samples=paired(samples, f"{name}_mem_{big}", f"{name}_mem_{small}", ratio),
                goal=1.25,
            )
        )
    return figures


def import_figures(times: dict[str, list[float]], uncached: dict[str, list[float]]) -> list[Figure]:
    runs = [times]
    setting = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    return [
        Figure(
            "import sync",
            "import piggy_sync / import aiohttp (fresh interpreters)",
            samples=paired(runs, "piggy_sync", "aiohttp", ratio),
            goal=1.25,
        ),
        Figure(
            "import async",
            "import piggy_async / import aiohttp (fresh interpreters)",
            samples=paired(runs, "piggy_async", "aiohttp", ratio),
        ),
        Figure(
            "import sync uncached",
            f"import piggy_sync / import aiohttp as this environment runs it "
            f"(PYTHONDONTWRITEBYTECODE {setting})",
            samples=paired([uncached], "piggy_sync", "aiohttp", ratio),
            note="with the variable set, an editable install compiles piggy_async from source "
            "on every import while aiohttp's site-packages bytecode is cached",
        ),
        Figure("import aiohttp ms", "import aiohttp", "ms", times["aiohttp"]),
        Figure("import sync ms", "import piggy_sync", "ms", times["piggy_sync"]),
    ]


# -- the run ---------------------------------------------------------------------------------


def measure(plan: Plan, quick: bool, say: Any) -> dict[str, list[Figure]]:
    decode_args = ["benchmarks.decode", "--rounds", str(plan.decode_rounds)]
    decode_args += ["--budget", str(plan.decode_budget), *(["--quick"] if quick else [])]
    say(f"1/4 decode ({plan.processes} processes)")
    decode = [_worker(decode_args) for _ in range(plan.processes)]
    server = Server()
    try:
        port = str(server.port)
        say(f"2/4 sequential calls, async, sync and per-call options ({plan.processes} processes)")
        req_args = ["benchmarks.worker", "requests", port, "--rounds", str(plan.request_rounds)]
        req_args += ["--batch", str(plan.request_batch)]
        requests = [_worker(req_args) for _ in range(plan.processes)]
        say(f"3/4 bulk ({plan.processes} processes)")
        bulk_args = ["benchmarks.worker", "bulk", port, "--rounds", str(plan.bulk_rounds)]
        bulk_args += ["--n", str(plan.bulk_n), "--mem-n", str(plan.mem_n)]
        bulk = [
            _worker(bulk_args + ([] if quick else ["--ordered"])) for _ in range(plan.processes)
        ]
    finally:
        server.close()
    say("4/4 import time (fresh interpreters)")
    with tempfile.TemporaryDirectory(prefix="piggy-pycache-") as cache:
        imports.measure(1, pycache=cache)  # warm-up: every module's bytecode cached
        times = imports.measure(plan.import_rounds, pycache=cache)
        parts = imports.breakdown("piggy_sync", after="aiohttp", pycache=cache)[:12]
    uncached = imports.measure(max(2, plan.import_rounds // 3))
    return {
        "Bulk (get_many, concurrency 64)": bulk_figures(bulk),
        "Sequential calls": request_figures(requests),
        "Decode of a Contact (bytes in)": decode_figures(decode),
        "Import time": import_figures(times, uncached),
        "_retained": _retained(decode),
        "_absolute": absolute_figures(decode, requests, bulk),
        "_imports": [
            Figure(f"imp {top}", f"{top} ({n} modules)", "ms", [ms]) for top, ms, n in parts
        ],
    }


def absolute_figures(
    decode: list[dict[str, Any]], requests: list[dict[str, Any]], bulk: list[dict[str, Any]]
) -> list[Figure]:
    """Each contender's own samples (these drift with the machine; the ratios hold)."""
    out = []
    for label in decode[0]["samples"]:
        per_payload = [run["samples"][label] for run in decode]
        for name in per_payload[0]:
            values = pooled(per_payload, name)
            out.append(
                Figure(f"abs decode {label} {name}", f"decode {label}: {name}", "µs", values)
            )
    req = [run["samples"] for run in requests]
    for key in req[0]:
        name, kind = key.rsplit("_", 1)
        what = "CPU" if kind == "cpu" else "wall"
        out.append(
            Figure(f"abs {key}", f"sequential {name}: {what} per call", "µs", pooled(req, key))
        )
    blk = [run["samples"] for run in bulk]
    for key in blk[0]:
        name, kind = key.rsplit("_", 1)
        if kind == "cpu":
            out.append(
                Figure(f"abs bulk {key}", f"bulk {name}: CPU per request", "µs", pooled(blk, key))
            )
        elif kind == "rate":
            out.append(
                Figure(f"abs bulk {key}", f"bulk {name}: requests/s", "req/s", pooled(blk, key))
            )
    return out


def _retained(decode: list[dict[str, Any]]) -> list[Figure]:
    out = []
    for label, per_decoder in decode[0]["retained"].items():
        for name in per_decoder:
            values = [run["retained"][label][name] for run in decode]
            out.append(Figure(f"kept {label} {name}", f"{label}: {name}", "KiB", values))
    return out


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
