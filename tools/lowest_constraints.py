"""Print pip constraints that pin every declared floor of pyproject.toml (``name==floor``).

CI's lowest-versions job installs with them, so the floors we declare are the floors we test::

    python tools/lowest_constraints.py test > lowest.txt
    pip install -c lowest.txt -e '.[test]'

Arguments name the extras whose floors are pinned too (default: none, runtime only).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 needs the tomli package
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

ROOT = Path(__file__).resolve().parent.parent
FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def floors(requirements: list[str]) -> dict[str, str]:
    """``{name: version}`` for every requirement with a ``>=`` floor."""
    out: dict[str, str] = {}
    for requirement in requirements:
        match = FLOOR.match(requirement)
        if match is not None:
            out[match.group(1).lower()] = match.group(3)
    return out


def constraints(extras: list[str]) -> list[str]:
    """The ``name==floor`` lines for the runtime dependencies and the given extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pinned = floors(project["dependencies"])
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            raise SystemExit(f"no extra named {extra!r} in pyproject.toml")
        pinned.update(floors(optional[extra]))
    return [f"{name}=={version}" for name, version in sorted(pinned.items())]


if __name__ == "__main__":
    print("\n".join(constraints(sys.argv[1:])))
