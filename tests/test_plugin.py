"""The opt-in pytest plugin: its `fake_piggy` fixture, typed, and loaded only when asked for.

The README's example of the fixture runs in tests/test_readme.py."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from piggy_async import AsyncPiggy
from piggy_async.testing import FakePiggyFixture, Faults, Store

ROOT = Path(__file__).resolve().parent.parent
INI = (
    "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
    "filterwarnings = error\n"
)


def run_pytest(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, str(path)],
        capture_output=True,
        text=True,
        cwd=path,
        timeout=120,
    )


def test_an_unrelated_pytest_run_does_not_import_piggy_async(tmp_path: Path) -> None:
    (tmp_path / "test_unrelated.py").write_text(
        "import sys\n\n\n"
        "def test_nothing_of_piggy_is_loaded():\n"
        "    loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('piggy_async', 'piggy_sync'))\n"
        "    assert loaded == []\n"
    )
    (tmp_path / "pytest.ini").write_text(INI)
    done = run_pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b1 passed\b", done.stdout), done.stdout


def test_no_pytest11_entry_point_is_registered() -> None:
    plugins = [ep for ep in metadata.entry_points(group="pytest11") if "piggy" in ep.value]
    assert plugins == []


def test_the_plugin_loads_with_dash_p(tmp_path: Path) -> None:
    (tmp_path / "test_p.py").write_text(
        "async def test_fixture(fake_piggy):\n"
        "    contact = fake_piggy.store.add_contact('p@example.com')\n"
        "    assert (await fake_piggy.piggy.contacts.get(contact['uuid'])).email == 'p@example.com'\n"
    )
    (tmp_path / "pytest.ini").write_text(INI)
    done = run_pytest(tmp_path, "-p", "piggy_async.testing.pytest_plugin")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b1 passed\b", done.stdout), done.stdout


async def test_fixture_is_typed_and_bound_to_the_fake(fake_piggy: FakePiggyFixture) -> None:
    assert isinstance(fake_piggy, FakePiggyFixture)
    assert isinstance(fake_piggy.piggy, AsyncPiggy)
    assert isinstance(fake_piggy.store, Store)
    assert isinstance(fake_piggy.faults, Faults)
    contact = fake_piggy.store.add_contact("direct@example.com")
    found = await fake_piggy.piggy.contacts.get(contact["uuid"])
    assert found.email == "direct@example.com"
    assert fake_piggy.base_url.endswith("/api/v3/oauth/clients")
    assert fake_piggy.requests[-1].method == "GET"
    assert fake_piggy.requests[-1].path == f"/contacts/{contact['uuid']}"
