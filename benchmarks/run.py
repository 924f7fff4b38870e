"""Run every benchmark in one process run and write benchmarks/RESULTS.md and results.png.

    python -m benchmarks            # full mode (minutes): the numbers in RESULTS.md
    python -m benchmarks --quick    # under a minute: CI's smoke run (writes to a temp dir)

Timings are medians of repeated, interleaved runs; every ratio compares contenders measured
side by side in the same run. A benchmark fails (exit 1) only if it crashes or a contender
returns a wrong result, never because of a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import msgspec
import orjson
import pydantic

import piggy_async
from benchmarks import clients
from benchmarks.payloads import large_contact, seed_contact
from benchmarks.peers import PContactEnvelope
from piggy_async import Contact
from piggy_async._decode import decode_data

HERE = Path(__file__).resolve().parent
OURS = "piggy-client (ours)"


class WrongResult(Exception):
    """A contender decoded or fetched something different: the benchmark is void."""


@dataclass
class Series:
    """Samples of one contender in one benchmark (smaller is better unless ``higher``)."""

    name: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> float:
        """(max - min) / median, in percent."""
        if len(self.samples) < 2 or not self.median:
            return 0.0
        return (max(self.samples) - min(self.samples)) / self.median * 100


@dataclass
class Table:
    title: str
    unit: str
    series: list[Series]
    higher_is_better: bool = False
    note: str = ""

    def get(self, name: str) -> Series:
        return next(s for s in self.series if s.name == name)

    def ratio(self, name: str, reference: str = OURS) -> float:
        """How many times better ours is than ``name`` (> 1: ours is better)."""
        ours, other = self.get(reference).median, self.get(name).median
        if self.higher_is_better:
            return ours / other
        return other / ours

    def markdown(self) -> str:
        better = "higher" if self.higher_is_better else "lower"
        lines = [
            f"### {self.title}",
            "",
            f"| contender | median ({self.unit}, {better} is better) | spread | ours is N x better |",
            "| --- | ---: | ---: | ---: |",
        ]
        for s in self.series:
            ratio = self.ratio(s.name) if OURS in [x.name for x in self.series] else 1.0
            lines.append(f"| {s.name} | {s.median:,.1f} | ±{s.spread / 2:.0f}% | {ratio:.2f} |")
        if self.note:
            lines += ["", self.note]
        return "\n".join(lines)


# -- 1. decode -----------------------------------------------------------------------------


def _decoders() -> dict[str, Callable[[bytes], Any]]:
    untyped = msgspec.json.Decoder()
    return {
        OURS: lambda raw: decode_data(Contact, raw),
        "json.loads": json.loads,
        "orjson.loads": orjson.loads,
        "msgspec untyped (parse floor)": untyped.decode,
        "pydantic v2 model_validate_json": PContactEnvelope.model_validate_json,
    }


def _agrees(ours: Any, expected: Any, path: str = "$") -> None:
    """Everything ours kept equals the JSON; what the JSON lacks is an empty default."""
    if isinstance(ours, dict) and isinstance(expected, dict):
        for key, value in ours.items():
            if key in expected:
                _agrees(value, expected[key], f"{path}.{key}")
            elif value not in (None, [], {}, False):
                raise WrongResult(f"ours invented {path}.{key} = {value!r}")
    elif isinstance(ours, list) and isinstance(expected, list) and len(ours) == len(expected):
        for i, (a, b) in enumerate(zip(ours, expected, strict=True)):
            _agrees(a, b, f"{path}[{i}]")
    elif ours != expected:
        raise WrongResult(f"ours decoded {path} as {ours!r}, the JSON says {expected!r}")


def _check_decoders(raw: bytes) -> None:
    ours = msgspec.to_builtins(decode_data(Contact, raw))
    expected = json.loads(raw)
    _agrees(ours, expected["data"], "$.data")
    pyd = PContactEnvelope.model_validate_json(raw).data.model_dump()
    if pyd != ours:
        raise WrongResult("pydantic decoded the Contact differently from ours")
    if orjson.loads(raw) != expected or msgspec.json.decode(raw) != expected:
        raise WrongResult("orjson or msgspec untyped parse differs from json.loads")


def _per_op(fn: Callable[[bytes], Any], raw: bytes, budget: float) -> float:
    """Seconds per call, timing as many calls as fit in about ``budget`` seconds."""
    number = 1
    while True:
        started = time.perf_counter()
        for _ in range(number):
            fn(raw)
        elapsed = time.perf_counter() - started
        if elapsed >= budget / 5 or number >= 1 << 20:
            break
        number *= 4
    per = elapsed / number
    number = max(1, int(budget / per))
    gc.collect()
    started = time.perf_counter()
    for _ in range(number):
        fn(raw)
    return (time.perf_counter() - started) / number


def bench_decode(raw: bytes, label: str, repeats: int, budget: float) -> Table:
    _check_decoders(raw)
    decoders = _decoders()
    series = {name: Series(name) for name in decoders}
    for _ in range(repeats):
        for name, fn in decoders.items():
            series[name].samples.append(_per_op(fn, raw, budget) * 1e6)
    return Table(
        f"Decode of a Contact: {label} ({len(raw) / 1024:,.0f} KiB), bytes in",
        "µs per decode",
        list(series.values()),
    )


def bench_retained_memory(raw: bytes, copies: int = 100) -> Table:
    decoders = _decoders()
    rows = []
    for name in (OURS, "json.loads", "orjson.loads", "pydantic v2 model_validate_json"):
        fn = decoders[name]
        gc.collect()
        tracemalloc.start()
        kept = [fn(raw) for _ in range(copies)]
        current, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del kept
        rows.append(Series(name, [current / copies / 1024]))
    return Table(
        f"Retained memory per decoded seed Contact (tracemalloc, {copies} kept)",
        "KiB",
        rows,
        note="orjson allocates its strings outside tracemalloc's view: its figure is a floor.",
    )


# -- 2 & 4. per-request overhead, sync facade -----------------------------------------------


class Server:
    """The benchmark server in its own process."""

    def __init__(self, large: bool = False) -> None:
        args = [sys.executable, "-m", "benchmarks.server", *(["--large"] if large else [])]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=HERE.parent)
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


async def _sequential_round(
    contenders: list[Any], n: int, cpu: dict[str, Series], wall: dict[str, Series]
) -> None:
    for contender in contenders:
        c, w = await clients.sequential(contender.get, n)
        cpu[contender.name].samples.append(c / n * 1e6)
        wall[contender.name].samples.append(w / n * 1e6)


async def _per_request(port: int, n: int, repeats: int) -> tuple[Table, Table, Series, Series]:
    contenders = [clients.Ours(port), clients.Floor(port), clients.Httpx(port)]
    expected = json.loads(seed_contact())["data"]["uuid"]
    for contender in contenders:  # warm up (connections, caches) and check the result
        result = await contender.get("00000000-0000-4000-8000-000000000001")
        if getattr(result, "uuid", None) != expected:
            raise WrongResult(f"{contender.name} did not return the contact")
        await clients.sequential(contender.get, min(n, 200))
    cpu = {c.name: Series(c.name) for c in contenders}
    wall = {c.name: Series(c.name) for c in contenders}
    for _ in range(repeats):
        await _sequential_round(contenders, n, cpu, wall)
    ours_async_wall = Series("async", list(wall[OURS].samples))
    ours_async_cpu = Series("async", list(cpu[OURS].samples))
    for contender in contenders:
        await contender.close()
    note = "Sequential `contacts.get` on loopback; the server runs in another process."
    return (
        Table(
            "Per-request client CPU time (sequential)",
            "µs CPU per request",
            list(cpu.values()),
            note=note,
        ),
        Table(
            "Per-request wall time (sequential)", "µs per request", list(wall.values()), note=note
        ),
        ours_async_cpu,
        ours_async_wall,
    )


def _sync_facade(port: int, n: int, repeats: int) -> tuple[Series, Series]:
    from piggy_sync import Piggy

    cpu, wall = Series("sync"), Series("sync")
    with Piggy(api_key=clients.API_KEY, base_url=clients.base_url(port)) as piggy:
        contact = piggy.contacts.get("00000000-0000-4000-8000-000000000001")
        if contact.uuid != json.loads(seed_contact())["data"]["uuid"]:
            raise WrongResult("the sync facade returned another contact")
        for _ in range(repeats):
            c0, w0 = time.process_time(), time.perf_counter()
            for uuid in clients.uuids(n):
                piggy.contacts.get(uuid)
            cpu.samples.append((time.process_time() - c0) / n * 1e6)
            wall.samples.append((time.perf_counter() - w0) / n * 1e6)
    return cpu, wall


# -- 3. bulk -------------------------------------------------------------------------------


def _bulk_once(contender: str, n: int, port: int, concurrency: int) -> dict[str, float]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.clients",
            "bulk",
            contender,
            str(n),
            str(port),
            str(concurrency),
        ],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bulk {contender} crashed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout)
    if result["ok"] != n:
        raise WrongResult(f"bulk {contender}: {result['ok']} of {n} results")
    return result


BULK_NAMES = {
    "ours": OURS,
    "floor": "raw aiohttp + msgspec, 64 workers (floor)",
    "floor_ordered": "the floor's requests through BulkRun (ordered results)",
    "httpx": "httpx + pydantic + semaphore",
    "sync": "piggy_sync get_many (sync facade)",
}


def bench_bulk(port: int, sizes: list[int], repeats: int, concurrency: int = 64) -> list[Table]:
    tables = []
    for position, n in enumerate(sizes):
        # httpx needs ~5 ms of CPU per request at this concurrency: at the larger N (which
        # is there to show memory staying flat) it is left out to keep the run short.
        names = {k: v for k, v in BULK_NAMES.items() if position == 0 or k != "httpx"}
        cpu = {k: Series(v) for k, v in names.items()}
        rate = {k: Series(v) for k, v in names.items()}
        rss = {k: Series(v) for k, v in names.items()}
        for _ in range(repeats):
            for key in names:
                r = _bulk_once(key, n, port, concurrency)
                cpu[key].samples.append(r["cpu"] / n * 1e6)
                rate[key].samples.append(n / r["wall"])
                rss[key].samples.append(r["growth_mib"])
        note = f"{n:,} lookups at concurrency {concurrency}; each contender in a fresh process."
        tables += [
            Table(
                f"Bulk: client CPU per request (N = {n:,})",
                "µs CPU per request",
                list(cpu.values()),
                note=note,
            ),
            Table(
                f"Bulk: throughput (N = {n:,})",
                "requests/s",
                list(rate.values()),
                higher_is_better=True,
                note=note,
            ),
            Table(
                f"Bulk: peak RSS growth of the client process during the run (N = {n:,})",
                "MiB above the RSS after imports",
                list(rss.values()),
                note=note + " Imports alone take about 60 MiB in every contender's process.",
            ),
        ]
    return tables


# -- 5. import time ------------------------------------------------------------------------


def bench_import(repeats: int) -> Table:
    targets = {
        "python -c pass (baseline)": "pass",
        "import aiohttp": "import aiohttp",
        "import piggy_async": "import piggy_async",
        "import piggy_sync": "import piggy_sync",
    }
    series = {name: Series(name) for name in targets}
    for _ in range(repeats):
        for name, code in targets.items():
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE.parent)
            series[name].samples.append((time.perf_counter() - started) * 1000)
    base = series["python -c pass (baseline)"].median
    rows = []
    for name, s in series.items():
        if name.startswith("python"):
            continue
        rows.append(Series(name, [max(0.0, v - base) for v in s.samples]))
    return Table(
        "Import time above a bare interpreter start",
        "ms",
        rows,
        note=f"A bare `python -c pass` takes {base:.0f} ms on this machine; subtracted above.",
    )


# -- report ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()}; {cpu}; {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; piggy-client {piggy_async.__version__}, "
        f"aiohttp {aiohttp.__version__}, msgspec {msgspec.__version__}, httpx {httpx.__version__}, "
        f"pydantic {pydantic.VERSION}, orjson {orjson.__version__}"
    )


def goals(
    t: dict[str, Table], sync_cpu: Series, sync_wall: Series, async_wall: Series
) -> list[str]:
    def line(ok: bool, text: str) -> str:
        return f"- {'met' if ok else '**missed**'}: {text}"

    out = []
    for key in ("seed", "compact", "large"):
        d = t[f"decode_{key}"]
        j, p = d.ratio("json.loads"), d.ratio("pydantic v2 model_validate_json")
        floor = d.ratio("msgspec untyped (parse floor)")
        out.append(line(j >= 3, f"{key} Contact decode {j:.1f}x faster than json.loads (goal 3x)"))
        out.append(line(p >= 5, f"{key} Contact decode {p:.1f}x faster than pydantic v2 (goal 5x)"))
        out.append(
            line(
                floor >= 1,
                f"{key} Contact decode {floor:.2f}x the untyped msgspec parse (goal: no slower, >= 1)",
            )
        )
    cpu = t["cpu"]
    over = 1 / cpu.ratio("raw aiohttp + msgspec (floor)") - 1
    out.append(
        line(
            over <= 0.15,
            f"sequential client CPU {over * 100:+.0f}% vs the raw aiohttp floor (goal within 15%)",
        )
    )
    hx = cpu.ratio("httpx + pydantic")
    out.append(
        line(hx >= 1.5, f"sequential client CPU {hx:.2f}x less than httpx + pydantic (goal 1.5x)")
    )
    bulk_cpu, bulk_rate = t["bulk_cpu"], t["bulk_rate"]
    over = 1 / bulk_cpu.ratio(BULK_NAMES["floor"]) - 1
    out.append(
        line(over <= 0.15, f"bulk client CPU {over * 100:+.0f}% vs the floor (goal within 15%)")
    )
    hx = bulk_cpu.ratio(BULK_NAMES["httpx"])
    out.append(line(hx >= 1.5, f"bulk client CPU {hx:.2f}x less than httpx + pydantic (goal 1.5x)"))
    thr = bulk_rate.ratio(BULK_NAMES["httpx"])
    out.append(line(thr >= 1.5, f"bulk throughput {thr:.2f}x httpx + pydantic (goal 1.5x)"))
    vs_floor = bulk_rate.ratio(BULK_NAMES["floor"])  # ours / floor, in requests per second
    out.append(
        line(
            vs_floor >= 0.9,
            f"bulk throughput {vs_floor * 100:.0f}% of the floor (goal: within 10%)",
        )
    )
    if "bulk_rss_big" in t:
        small, big = t["bulk_rss"].get(OURS).median, t["bulk_rss_big"].get(OURS).median
        out.append(
            line(
                big <= max(small * 1.15, small + 2),
                f"peak RSS growth {small:.1f} MiB at the small N, {big:.1f} MiB at the large N (goal: flat)",
            )
        )
    overhead = sync_wall.median - async_wall.median
    out.append(
        line(
            overhead < 100,
            f"sync facade sequential overhead {overhead:.0f} µs per call (goal < 100 µs)",
        )
    )
    sync_rate = bulk_rate.get(BULK_NAMES["sync"]).median / bulk_rate.get(OURS).median
    out.append(
        line(
            sync_rate >= 0.95,
            f"bulk through the sync facade at {sync_rate * 100:.0f}% of async throughput (goal within 5%)",
        )
    )
    imp = t["import"]
    added = imp.get("import piggy_async").median / imp.get("import aiohttp").median - 1
    out.append(
        line(
            added < 0.5,
            f"import piggy_async adds {added * 100:.0f}% to import aiohttp (goal < 50%)",
        )
    )
    return out


def chart(path: Path, t: dict[str, Table]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("decode_seed", "Decode seed Contact (µs)"),
        ("decode_large", "Decode large Contact (µs)"),
        ("cpu", "Client CPU per request (µs)"),
        ("bulk_rate", "Bulk throughput (req/s)"),
    ]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    for ax, (key, title) in zip(axes.flat, panels, strict=True):
        table = t[key]
        names = [s.name.replace(" (", "\n(") for s in table.series]
        values = [s.median for s in table.series]
        colors = ["#d6336c" if s.name == OURS else "#868e96" for s in table.series]
        ax.barh(names, values, color=colors)
        ax.invert_yaxis()
        ax.set_title(title)
        ax.tick_params(axis="y", labelsize=8)
        for i, v in enumerate(values):
            ax.text(v, i, f" {v:,.0f}", va="center", fontsize=8)
    fig.suptitle("piggy-client vs the alternatives (medians; ours in pink)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="piggy-client benchmarks")
    parser.add_argument("--quick", action="store_true", help="CI smoke mode, under a minute")
    parser.add_argument("--out", type=Path, help="where RESULTS.md and results.png go")
    args = parser.parse_args(argv)
    quick = args.quick
    out_dir = args.out or (Path(tempfile.mkdtemp(prefix="piggy-bench-")) if quick else HERE)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731

    t: dict[str, Table] = {}
    repeats, budget = (3, 0.05) if quick else (15, 0.2)
    say("1/5 decode")
    t["decode_seed"] = bench_decode(seed_contact(), "the seed's contact_get.json", repeats, budget)
    compact = msgspec.json.encode(msgspec.json.decode(seed_contact()))
    t["decode_compact"] = bench_decode(
        compact, "the same, compact as the API sends it", repeats, budget
    )
    t["decode_large"] = bench_decode(large_contact(), "generated large account", repeats, budget)
    t["memory"] = bench_retained_memory(seed_contact())

    say("2/5 per-request overhead, 4/5 sync facade")
    server = Server()
    try:
        n, rounds = (200, 3) if quick else (1000, 15)
        cpu, wall, async_cpu, async_wall = asyncio.run(_per_request(server.port, n, rounds))
        t["cpu"], t["wall"] = cpu, wall
        sync_cpu, sync_wall = _sync_facade(server.port, n, rounds)
        t["sync"] = Table(
            "Sync facade vs async client, sequential `contacts.get`",
            "µs per request (wall)",
            [
                Series(OURS, async_wall.samples),
                Series("piggy_sync (sync facade)", sync_wall.samples),
            ],
            note=(
                f"Overhead of the sync facade: {sync_wall.median - async_wall.median:.0f} µs wall and "
                f"{sync_cpu.median - async_cpu.median:.0f} µs CPU per call."
            ),
        )
        say("3/5 bulk")
        sizes = [1000] if quick else [5000, 20000]
        bulk = bench_bulk(server.port, sizes, 1 if quick else 5)
        t["bulk_cpu"], t["bulk_rate"], t["bulk_rss"] = bulk[:3]
        if len(bulk) > 3:
            t["bulk_cpu_big"], t["bulk_rate_big"], t["bulk_rss_big"] = bulk[3:6]
    finally:
        server.close()

    say("5/5 import time")
    t["import"] = bench_import(5 if quick else 15)

    command = "python -m benchmarks" + (" --quick" if quick else "")
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            cwd=HERE.parent,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    report = [
        "# piggy-client benchmarks",
        "",
        f"Command: `{command}` ({'quick' if quick else 'full'} mode, "
        f"{time.perf_counter() - started:.0f} s), {time.strftime('%Y-%m-%d')}, at commit "
        f"`{commit}`.",
        "",
        f"Machine: {machine()}.",
        "",
        "Every figure is a median of repeated runs; contenders were measured side by side in the",
        'same run, interleaved, so the ratios hold even where absolute times drift. "Spread" is',
        "half the range of the samples around the median. No lazy/partial decode mode is offered:",
        "the full model is the only one.",
        "",
        "![chart](results.png)",
        "",
        "## Goals",
        "",
        *goals(t, sync_cpu, sync_wall, async_wall),
        "",
        "## Tables",
        "",
    ]
    for table in t.values():
        report += [table.markdown(), ""]
    (out_dir / "RESULTS.md").write_text("\n".join(report))
    chart(out_dir / "results.png", t)
    print("\n".join(goals(t, sync_cpu, sync_wall, async_wall)))
    print(f"wrote {out_dir / 'RESULTS.md'} and {out_dir / 'results.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
