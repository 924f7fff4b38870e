"""A sync call inside a running event loop (a notebook cell, ``asyncio.run``): it works,
with one warning per process of a category users can filter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_standin import run_script, standin


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with standin() as url:
        yield url


def test_one_warning_then_quiet(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        import asyncio, warnings
        import piggy_sync
        from piggy_sync import BlockingCallWarning, Piggy

        assert issubclass(BlockingCallWarning, RuntimeWarning)
        assert "BlockingCallWarning" in piggy_sync.__all__
        piggy = Piggy(api_key="k", base_url=BASE_URL)

        async def cell(n):
            return piggy.contacts.get(f"cell{n}").uuid

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results = [asyncio.run(cell(n)) for n in range(3)]
        print("results", results)
        print("warnings", [(w.category.__name__, w.filename.endswith("case.py")) for w in caught])
        print("message", caught[0].message)
        """,
        base_url,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "results ['cell0', 'cell1', 'cell2']" in done.stdout
    assert "warnings [('BlockingCallWarning', True)]" in done.stdout
    assert "use piggy_async with await" in done.stdout
    assert done.stderr == ""


def test_the_warning_can_be_filtered(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        import asyncio, warnings
        from piggy_sync import BlockingCallWarning, Piggy

        warnings.filterwarnings("ignore", category=BlockingCallWarning)
        piggy = Piggy(api_key="k", base_url=BASE_URL)

        async def cell():
            return piggy.contacts.get("quiet").uuid

        print(asyncio.run(cell()))
        """,
        base_url,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "quiet"
    assert done.stderr == ""
