"""Fail when branch coverage of piggy_async/ is under the floor of pyproject.toml.

coverage's own ``fail_under`` checks lines and branches together; this checks branches
alone (``[tool.piggy.coverage] branch_floor``), the figure that shows untested decisions::

    coverage run -m pytest && coverage json -o coverage.json
    python tools/branch_coverage.py coverage.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 needs the tomli package
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

ROOT = Path(__file__).resolve().parent.parent


def branch_percent(report: dict[str, object]) -> float:
    """Covered branches as a percentage of all branches, from ``coverage json`` output."""
    totals = report["totals"]
    assert isinstance(totals, dict)
    covered, total = int(totals["covered_branches"]), int(totals["num_branches"])
    return 100.0 * covered / total if total else 100.0


def missed_by_module(report: dict[str, object], top: int = 10) -> list[tuple[str, int, int]]:
    """The modules with the most branches no test took: (path, missed, branches), most first."""
    files = report.get("files", {})
    assert isinstance(files, dict)
    rows = [
        (name, int(data["summary"]["missing_branches"]), int(data["summary"]["num_branches"]))
        for name, data in files.items()
        if int(data["summary"]["missing_branches"])
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))[:top]


def main(path: str) -> int:
    floor = float(
        tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["piggy"]["coverage"][
            "branch_floor"
        ]
    )
    report = json.loads(Path(path).read_text("utf-8"))
    figure = branch_percent(report)
    print(f"branch coverage of piggy_async/: {figure:.1f}% (floor {floor:g}%)")
    if figure < floor:
        print(f"under the floor by {floor - figure:.1f} points; most missed:", file=sys.stderr)
        for name, missed, total in missed_by_module(report):
            print(f"  {name}: {missed} of {total} branches untaken", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "coverage.json"))
