"""tools/branch_coverage.py, the CI step that holds branch coverage at the floor of
pyproject.toml: the figure it prints, its exit code, and the modules it names when under."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    if sys.version_info < (3, 11):
        pytest.importorskip("tomli")  # the tool reads pyproject.toml with it on 3.10
    spec = importlib.util.spec_from_file_location(
        "branch_coverage", ROOT / "tools" / "branch_coverage.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["branch_coverage"] = module
    spec.loader.exec_module(module)
    return module


def _report(files: dict[str, tuple[int, int]]) -> dict[str, object]:
    """A ``coverage json`` report: path -> (branches, missed)."""
    total = sum(branches for branches, _ in files.values())
    missed = sum(m for _, m in files.values())
    return {
        "totals": {"covered_branches": total - missed, "num_branches": total},
        "files": {
            name: {"summary": {"num_branches": b, "missing_branches": m}}
            for name, (b, m) in files.items()
        },
    }


@pytest.mark.parametrize(
    ("files", "code", "figure", "named"),
    [
        ({"a.py": (100, 5), "b.py": (100, 0)}, 0, "97.5%", []),
        ({"a.py": (0, 0)}, 0, "100.0%", []),  # no branch at all: nothing untested
        (
            {"a.py": (50, 20), "b.py": (50, 30), "c.py": (100, 0)},
            1,
            "75.0%",
            ["b.py: 30 of 50", "a.py: 20 of 50"],
        ),
    ],
)
def test_floor_check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, tuple[int, int]],
    code: int,
    figure: str,
    named: list[str],
) -> None:
    tool = _tool()
    path = tmp_path / "coverage.json"
    path.write_text(json.dumps(_report(files)))
    assert tool.main(str(path)) == code
    out, err = capsys.readouterr()
    assert out.startswith(f"branch coverage of piggy_async/: {figure} (floor ")
    lines = [line.strip() for line in err.splitlines()[1:]]
    assert [line.split(" branches")[0] for line in lines] == named
    if code:
        assert "under the floor by" in err
        assert "c.py" not in err  # fully covered modules are not named


def test_the_floor_is_at_least_the_goal_of_issue_19() -> None:
    tool = _tool()
    settings = tool.tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert settings["tool"]["piggy"]["coverage"]["branch_floor"] >= 90
