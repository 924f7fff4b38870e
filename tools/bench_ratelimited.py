"""Bulk lookups at Piggy's rate limit: piggy-client vs a naive script vs aiolimiter.

A thin wrapper over ``benchmarks/ratelimited.py`` (which ``python -m benchmarks`` runs as
its rate-limited suite): runs the contenders interleaved against the model Piggy of
``tests/ratelimited_server.py`` (token bucket 200 req/s, burst 50) and prints, per
contender, wall ÷ ideal (min / median / max over rounds) and the 429s received.

    python tools/bench_ratelimited.py --items 3000 --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import ratelimited


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=3000, help="lookups per run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--body-bytes", type=int, default=19_000, help="contact size")
    args = parser.parse_args()
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    try:
        result = ratelimited.measure(args.items, args.rounds, args.body_bytes, say)
    except ratelimited.WrongResult as exc:
        print(f"wrong result: {exc}", file=sys.stderr)
        return 3
    samples = result["samples"]
    print(f"{args.items} lookups, token bucket {ratelimited.RATE:g}/s burst "
          f"{ratelimited.BURST}, ideal {result['ideal']:.2f}s")  # fmt: skip
    print(f"{'contender':20} {'wall/ideal min/median/max':>28} {'429s (median)':>14}")
    for key, ratios in samples.items():
        if not key.endswith("_ratio"):
            continue
        name = key.removesuffix("_ratio")
        spread = f"{min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}"
        print(f"{name:20} {spread:>28} {statistics.median(samples[name + '_429']):>14g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
