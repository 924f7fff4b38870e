"""Every Python snippet of the README runs, against the fake server where it calls Piggy.

A snippet is the ```python block after a ``<!-- readme-test: ... -->`` comment (the comment
says what it needs); a block without such a comment fails this test, so none is forgotten.
``<!-- readme-test: skip REASON -->`` skips a block with that reason. The two blocks after
the ``fake_piggy example`` comment are written out as a ``conftest.py`` and a test module and
run by pytest with warnings as errors.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from piggy_async.testing import FakePiggy

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
FAKE_PIGGY_MARKER = "<!-- fake_piggy example:"
BLOCK = re.compile(r"(?:<!-- (?P<note>[^\n]*?) -->\n)?```python\n(?P<code>.*?)```", re.S)
#: the placeholders the README uses, as the fake server knows them
API_KEY, CONTACT_UUID = "...", "a1b2..."
TIMEOUT = 60.0


@dataclass
class Snippet:
    line: int
    note: str
    code: str


def snippets() -> list[Snippet]:
    found = []
    for match in BLOCK.finditer(README):
        line = README.count("\n", 0, match.start("code"))
        found.append(Snippet(line, match.group("note") or "", match.group("code")))
    return found


def standalone() -> list[Snippet]:
    """The blocks run as scripts: all but the fake_piggy pytest example."""
    example = pytest_example()
    return [s for s in snippets() if s not in example]


def pytest_example() -> list[Snippet]:
    all_snippets = snippets()
    first = next(i for i, s in enumerate(all_snippets) if s.note.startswith("fake_piggy"))
    return all_snippets[first : first + 2]


async def run_python(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"{args} did not finish within {TIMEOUT} s") from None
    return process.returncode or 0, output.decode("utf-8", "replace")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIGGY_")}
    env.update(extra, PYTHONWARNINGS="error")
    return env


def test_every_python_block_is_marked() -> None:
    unmarked = [s.line for s in snippets() if not s.note and s not in pytest_example()[1:]]
    assert unmarked == [], f"README python blocks without a readme-test comment: {unmarked}"
    assert len(snippets()) >= 8


@pytest.mark.parametrize("snippet", standalone(), ids=lambda s: f"README.md:{s.line}")
async def test_snippet_runs(snippet: Snippet, tmp_path: Path) -> None:
    if snippet.note.startswith("readme-test: skip"):
        pytest.skip(snippet.note.removeprefix("readme-test: skip").strip())
    if "[examples]" in snippet.note:
        pytest.importorskip("pydantic")
    async with FakePiggy(token=API_KEY, contacts=2, transactions=3, seed=5) as fake:
        fake.store.add_contact("readme@example.com", uuid=CONTACT_UUID, transactions=3)
        (tmp_path / "uuids.txt").write_text(f"{CONTACT_UUID}\nnot-a-contact\n")
        (tmp_path / "snippet.py").write_text(snippet.code)
        env = clean_env(PIGGY_BASE_URL=fake.base_url)
        code, output = await run_python(["snippet.py"], tmp_path, env)
        asked_for_it = fake.requests_to("GET", f"/contacts/{CONTACT_UUID}")
    assert code == 0, output
    assert "Warning" not in output, output
    if "fake server" in snippet.note:
        # it really talked to the fake, about the contact the README names
        assert asked_for_it, [r.path for r in fake.requests]


async def test_fake_piggy_example_passes_without_warnings(tmp_path: Path) -> None:
    conftest, module = pytest_example()
    assert "pytest_plugins" in conftest.code
    (tmp_path / "conftest.py").write_text(conftest.code)
    (tmp_path / "test_readme_example.py").write_text(module.code)
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
        "filterwarnings = error\n"
    )
    args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", str(tmp_path)]
    code, output = await run_python(args, tmp_path, clean_env())
    assert code == 0, output
    assert re.search(r"\b2 passed\b", output), output
    assert "warning" not in output.lower(), output
