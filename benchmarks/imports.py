"""Import time in fresh interpreters: ``python -m benchmarks.imports [--rounds N] [--breakdown]``.

Each round starts one fresh interpreter per target (interleaved: aiohttp, piggy_async,
piggy_sync), which times its own ``import`` with ``perf_counter`` (interpreter start-up is
not counted). ``--breakdown`` runs ``python -X importtime -c "import piggy_sync"`` and sums
the self time of every imported module by top-level package: what costs what.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("aiohttp", "piggy_async", "piggy_sync")
_PROBE = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def _env(pycache: str | None) -> dict[str, str]:
    """The environment of a probe: with ``pycache``, every module's bytecode is cached
    there (as an installed package has it), whatever PYTHONDONTWRITEBYTECODE says."""
    env = dict(os.environ)
    if pycache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def import_ms(module: str, pycache: str | None = None) -> float:
    """Milliseconds ``import module`` takes in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(pycache),
        check=True,
        timeout=60,
    )
    return float(done.stdout) * 1000


def measure(rounds: int, pycache: str | None = None) -> dict[str, list[float]]:
    """target -> ms per round, the targets interleaved (order rotating) in every round."""
    out: dict[str, list[float]] = {t: [] for t in TARGETS}
    names = list(TARGETS)
    for r in range(rounds):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            out[name].append(import_ms(name, pycache))
    return out


def breakdown(
    module: str = "piggy_sync", after: str = "", pycache: str | None = None
) -> list[tuple[str, float, int]]:
    """(top-level package, self ms summed, modules) for ``import module``, costliest first.

    With ``after`` (e.g. ``aiohttp``), that module is imported first and only what
    ``module`` adds on top of it is counted: the marginal cost.
    """
    prelude = f"import {after}; print('---', file=__import__('sys').stderr); " if after else ""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"{prelude}import {module}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(pycache),
        check=True,
        timeout=60,
    )
    lines = done.stderr.splitlines()
    if after:
        lines = lines[lines.index("---") + 1 :]
    return by_package(lines)


def by_package(lines: list[str]) -> list[tuple[str, float, int]]:
    """Sum ``-X importtime`` lines' self time per top-level package, costliest first."""
    total: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for line in lines:
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        head, _cumulative, name = line.split("|", 2)
        top = name.strip().split(".")[0]
        total[top] += int(head.removeprefix("import time:")) / 1000
        count[top] += 1
    return sorted(((k, v, count[k]) for k, v in total.items()), key=lambda x: -x[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument("--module", default="piggy_sync")
    parser.add_argument("--after", default="", help="count only what comes on top of this")
    parser.add_argument(
        "--no-cache", action="store_true", help="as the environment says (no bytecode cache?)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="piggy-pycache-") as tmp:
        cache = None if args.no_cache else tmp
        if args.breakdown:
            breakdown(args.module, args.after, cache)  # warm-up
            rows = breakdown(args.module, args.after, cache)
            extra = f" on top of {args.after}" if args.after else ""
            print(f"import {args.module}{extra}: {sum(r[1] for r in rows):.1f} ms of self time")
            for top, ms, n in rows[:25]:
                print(f"  {top:<28} {ms:7.1f} ms  ({n} modules)")
            return 0
        measure(1, cache)  # warm-up
        for name, values in measure(args.rounds, cache).items():
            values.sort()
            print(
                f"import {name:<12} min {values[0]:6.1f}  median {values[len(values) // 2]:6.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
