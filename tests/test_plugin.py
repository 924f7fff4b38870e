"""The pytest plugin's `fake_piggy` fixture, used exactly as the README shows it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- fake_piggy example: tests/test_plugin.py runs this block -->"


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert MARKER in readme, "the README lost its fake_piggy example"
    after = readme.split(MARKER, 1)[1]
    match = re.search(r"```python\n(.*?)```", after, re.S)
    assert match is not None
    return match.group(1)


def test_readme_fake_piggy_example_passes(tmp_path: Path) -> None:
    (tmp_path / "test_readme_example.py").write_text(readme_example())
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
        "filterwarnings = error\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b2 passed\b", done.stdout), done.stdout


async def test_fixture_directly(fake_piggy) -> None:  # type: ignore[no-untyped-def]
    contact = fake_piggy.store.add_contact("direct@example.com")
    found = await fake_piggy.piggy.contacts.get(contact["uuid"])
    assert found.email == "direct@example.com"
    assert fake_piggy.base_url.endswith("/api/v3/oauth/clients")
    assert fake_piggy.requests[-1].method == "GET"
