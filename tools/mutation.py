"""Mutation testing of the decision-heavy modules, summarised per module.

    python tools/mutation.py                          # run every mutant (config: [tool.mutmut])
    python tools/mutation.py "piggy_async._policy*"   # run one module's mutants (mutmut globs)
    python tools/mutation.py --report                 # only summarise the last run

Runs ``mutmut run`` (mutmut 3: each mutant is a small deliberate bug, run against the tests
that cover the mutated function), then prints one Markdown row per module: mutants, caught
(killed), missed (survived), timeouts, not run, other verdicts, and the caught share counted
without timeouts over the mutants that were run, as ``docs/testing.md`` records it. Modules
none of whose mutants ran are left out (a run of one module leaves every other "not
checked"; counting those as results read as "every mutant failed to run"). Exits 1 when a
module is under ``--goal`` percent.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_RUN = "not checked"


def _mutmut(*args: str) -> str:
    exe = Path(sys.executable).with_name("mutmut")
    done = subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout


def _module_of(mutant: str) -> str:
    # piggy_async._policy.x_retry_delay__mutmut_3 -> piggy_async._policy
    # piggy_async._bulk.xǁBulkRunǁ_worker__mutmut_1 -> piggy_async._bulk
    head = mutant.split("__mutmut_")[0]
    parts = head.split(".")
    while parts and (parts[-1].startswith("x") and ("_" in parts[-1] or "ǁ" in parts[-1])):
        parts.pop()
    return ".".join(parts)


def summarise(goal: float) -> int:
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    survivors: list[str] = []
    for line in _mutmut("results", "--all", "true").splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        counts[_module_of(name)][status] += 1
        if status == "survived":
            survivors.append(name)
    print("| module | mutants | caught | missed | timeout | not run | other | caught % |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    low = []
    for module in sorted(counts):
        c = counts[module]
        total = sum(c.values())
        if c[NOT_RUN] == total:
            continue  # not part of this run
        run = total - c[NOT_RUN]
        caught = c["killed"]
        other = run - caught - c["survived"] - c["timeout"]
        share = 100.0 * caught / run
        if share < goal:
            low.append(module)
        print(
            f"| `{module}` | {total} | {caught} | {c['survived']} | {c['timeout']} |"
            f" {c[NOT_RUN]} | {other} | {share:.1f} |"
        )
    if survivors:
        print(f"\n{len(survivors)} surviving mutants; `mutmut show NAME` shows one:")
        for name in survivors:
            print(f"- {name}")
    return 1 if low else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutant names or globs (default: all)")
    parser.add_argument("--report", action="store_true", help="only summarise the last run")
    parser.add_argument("--goal", type=float, default=90.0, help="caught %% per module")
    parser.add_argument("--max-children", type=int, default=1)
    args = parser.parse_args()
    if not args.report:
        exe = Path(sys.executable).with_name("mutmut")
        subprocess.run(
            [str(exe), "run", "--max-children", str(args.max_children), *args.names],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            check=False,
        )
    return summarise(args.goal)


if __name__ == "__main__":
    raise SystemExit(main())
