"""RESULTS.md and results.png from the figures of one run."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from pathlib import Path

import aiohttp
import httpx
import msgspec
import orjson
import pydantic

import piggy_async
from benchmarks.stats import Figure, markdown_table

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = "load average unknown"
    return (
        f"{platform.platform()}; {cpu}; {os.cpu_count()} cores ({load} at the end of the run); "
        f"Python {platform.python_version()}; piggy-client {piggy_async.__version__}, "
        f"aiohttp {aiohttp.__version__}, msgspec {msgspec.__version__}, httpx {httpx.__version__}, "
        f"pydantic {pydantic.VERSION}, orjson {orjson.__version__}"
    )


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            cwd=HERE.parent,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


METHOD = """\
How these figures are made: the benchmark server runs in its own process. On a machine
with two or more cores the server is pinned to the first and the client process of the
sequential and bulk suites to the second, so the two never share a core by chance. Every contender
of a suite runs inside one client process, interleaved in short batches whose order rotates
each round, and each suite is repeated in {processes} fresh process(es). A ratio is taken
per round between contenders measured back to back, pooled over every process, and shown
as min / median / max; a goal is judged on the median. CPU is the client process's CPU time
(every thread, so the sync facade's event-loop thread counts); decode times are CPU time
too. Imports happen before any measured region. Memory is the peak of tracemalloc's traced
memory during one bulk run above what was traced when the run started, after warm-up, in
the measuring process, at N and 10 x N. Import times are measured in fresh interpreters,
each timing its own `import`, with every module's bytecode cached (as an installed package
has it).

Contenders: "ours" is `AsyncPiggy`; "floor" is the leanest plain aiohttp (no cookie jar, no
timeout timer, pre-encoded URLs) decoding with our msgspec decoder, 64 workers in bulk;
"sync" is `piggy_sync.Piggy`. Decode payloads are the seed fixtures (pretty-printed as
shipped), the seed contact compact as the API sends it, and a generated large account
(300 custom attributes, 80 subscriptions).

Rate-limited suite (`benchmarks/ratelimited.py`, also `tools/bench_ratelimited.py`): the
model Piggy of `tests/ratelimited_server.py` in its own process (token bucket 200 req/s,
burst 50, 429 + Retry-After in whole seconds, 30-80 ms per request, 0.5 % answered 500,
~19 KB contacts, 5 % unknown contacts); in one client process, interleaved round after
round with the order rotating: `get_many` with defaults, `get_many` with `max_rate=200`,
a naive `asyncio.gather` + `Semaphore(16)` script that sleeps Retry-After on a 429, and
that script behind `aiolimiter.AsyncLimiter(200, 1)`. Ideal = (N - burst) / rate; every
run is checked complete, in order and correctly typed. This suite measures wall time, so
it is the one most affected by a loaded machine.
"""


SECTIONS = {
    "_retained": "Memory kept per decoded Contact (tracemalloc, 100 kept alive)",
    "_imports": "What `import piggy_sync` adds on top of `import aiohttp` "
    "(`python -X importtime`, self time summed per top-level package, one run)",
    "_absolute": "Each contender's own figures (these drift with the machine; the ratios above "
    "are what is judged)",
}


def write(
    out_dir: Path, groups: dict[str, list[Figure]], *, quick: bool, elapsed: float, note: str
) -> None:
    command = "python -m benchmarks" + (" --quick" if quick else "")
    lines = [
        "# piggy-client benchmarks",
        "",
        f"Command: `{command}` ({'quick' if quick else 'full'} mode, {elapsed:.0f} s), "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, at commit `{commit()}`.",
        "",
        f"Machine: {machine()}.",
        "",
        *([note, ""] if note else []),
        METHOD.format(processes=1 if quick else 3),
        "![chart: ratios with min-max error bars](results.png)",
        "",
    ]
    for title, figures in groups.items():
        lines += [f"## {SECTIONS.get(title, title)}", "", markdown_table(figures), ""]
        lines += [f"- {f.label}: {f.note}" for f in figures if f.note]
        lines += [""] if any(f.note for f in figures) else []
    (out_dir / "RESULTS.md").write_text("\n".join(lines))
    chart(out_dir / "results.png", groups, command)


def chart(path: Path, groups: dict[str, list[Figure]], command: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures = [f for t, fs in groups.items() if not t.startswith("_") for f in fs]
    panels = [
        ("ratio, lower is better", "ratio (x)", [f for f in figures if _ratio(f, False)]),
        ("ratio, higher is better", "ratio (x)", [f for f in figures if _ratio(f, True)]),
        (
            "extra CPU per call, lower is better",
            "µs of CPU per call",
            [f for f in figures if f.unit == "µs" and f.samples and f.goal is not None],
        ),
    ]
    heights = [max(1, len(p[2])) for p in panels]
    fig, axes = plt.subplots(
        3, 1, figsize=(11, 2 + 0.42 * sum(heights)), gridspec_kw={"height_ratios": heights}
    )
    for ax, (title, xlabel, items) in zip(axes, panels, strict=True):
        _panel(ax, title, xlabel, items)
    fig.suptitle(
        f"piggy-client: medians with min-max error bars, goals as black marks\n({command})"
    )
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.8 / fig.get_figheight()))  # room for the title
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _ratio(fig: Figure, higher: bool) -> bool:
    return fig.unit == "x" and bool(fig.samples) and fig.higher_is_better == higher


def _panel(ax: object, title: str, xlabel: str, items: list[Figure]) -> None:
    labels = [f.label for f in items]
    medians = [f.median for f in items]
    errors = [[f.median - f.low for f in items], [f.high - f.median for f in items]]
    colors = ["#2b8a3e" if f.met() else "#c92a2a" if f.met() is False else "#868e96" for f in items]
    ax.barh(labels, medians, xerr=errors, color=colors, capsize=3)  # type: ignore[attr-defined]
    for i, f in enumerate(items):
        if f.goal is not None:
            ax.plot([f.goal], [i], marker="|", color="black", markersize=14, mew=2)  # type: ignore[attr-defined]
        ax.text(f.high, i, f"  {f.fmt(f.median)}", va="center", fontsize=7)  # type: ignore[attr-defined]
    ax.invert_yaxis()  # type: ignore[attr-defined]
    ax.set_title(title + " (green: goal met, red: missed, grey: no goal)", fontsize=9)  # type: ignore[attr-defined]
    ax.set_xlabel(xlabel)  # type: ignore[attr-defined]
    ax.tick_params(axis="y", labelsize=7)  # type: ignore[attr-defined]
