"""Figures of the benchmark: paired samples, their min/median/max and the goal they are judged by."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Figure:
    """One compared quantity: a sample per interleaved batch (pooled over every process).

    ``unit`` is ``"x"`` for a ratio, ``"µs"`` for a difference per call, ``"MiB"``/``"ms"``
    for an absolute size or time. The goal is judged on the median; ``None`` = no goal.
    """

    key: str
    label: str
    unit: str = "x"
    samples: list[float] = field(default_factory=list)
    goal: float | None = None
    higher_is_better: bool = False
    note: str = ""
    skipped: str = ""  # why there are no samples (then nothing is judged)
    signed: bool = False  # a difference: shown with its sign

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    def met(self) -> bool | None:
        if self.skipped or not self.samples or self.goal is None:
            return None
        if self.higher_is_better:
            return self.median >= self.goal
        return self.median <= self.goal

    def fmt(self, value: float) -> str:
        if self.unit == "x":
            return f"{value:.2f}x"
        sign = "+" if self.signed and value >= 0 else ""
        return f"{sign}{value:,.1f} {self.unit}"

    def goal_text(self) -> str:
        if self.goal is None:
            return "-"
        return ("≥ " if self.higher_is_better else "≤ ") + self.fmt(self.goal)

    def verdict(self) -> str:
        met = self.met()
        return {True: "yes", False: "NO", None: "-"}[met]

    def row(self) -> list[str]:
        """label, min, median, max, goal, met (for tables)."""
        if self.skipped or not self.samples:
            return [self.label, "-", "-", "-", self.goal_text(), f"skipped: {self.skipped}"]
        one = len(self.samples) == 1  # a single measurement: no spread to show
        return [
            self.label,
            "" if one else self.fmt(self.low),
            self.fmt(self.median),
            "" if one else self.fmt(self.high),
            self.goal_text(),
            self.verdict(),
        ]


def paired(
    runs: list[dict[str, list[float]]],
    a: str,
    b: str,
    combine: Callable[[float, float], float],
) -> list[float]:
    """``combine(a[i], b[i])`` for every batch i of every process run (a and b measured
    back to back in the same round of the same process)."""
    out: list[float] = []
    for run in runs:
        if a not in run or b not in run:
            continue
        out += [combine(x, y) for x, y in zip(run[a], run[b], strict=True)]
    return out


def ratio(x: float, y: float) -> float:
    return x / y


def difference(x: float, y: float) -> float:
    return x - y


def pooled(runs: list[dict[str, list[float]]], name: str) -> list[float]:
    """Every sample of one contender over every process run."""
    return [value for run in runs for value in run.get(name, [])]


def markdown_table(figures: list[Figure]) -> str:
    lines = [
        "| figure | min | median | max | goal | goal met (median) |",
        "| --- | ---: | ---: | ---: | ---: | :---: |",
    ]
    for fig in figures:
        lines.append("| " + " | ".join(fig.row()) + " |")
    return "\n".join(lines)


def text_table(figures: list[Figure]) -> str:
    rows = [["figure", "min", "median", "max", "goal", "met"]] + [f.row() for f in figures]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    out = []
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [r[i].rjust(widths[i]) for i in range(1, 5)] + [r[5]]
        out.append("  ".join(cells))
    return "\n".join(out)
