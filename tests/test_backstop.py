"""tests/_backstop.py: a test that outlives its pytest-timeout bound ends the run, with its
stack, even when the bound's alarm is swallowed; a test that keeps to its bound is not
touched, and a later test without a bound is not cut by an earlier test's backstop."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD_TESTS = """
import time

import pytest


@pytest.mark.timeout(0.2)
def test_keeps_to_its_bound():
    pass


def test_has_no_bound_and_outlives_the_first_ones_backstop():
    time.sleep(1.5)


@pytest.mark.timeout(1)
def test_swallows_its_alarm(tmp_path_factory):
    caught = tmp_path_factory.getbasetemp().parent / "caught"
    while True:
        try:
            time.sleep(0.05)
        except BaseException as exc:  # what a task's step or a broad handler does
            caught.write_text(type(exc).__name__)
"""


def test_a_swallowed_alarm_ends_the_run_with_the_stack(tmp_path: Path) -> None:
    (tmp_path / "test_child.py").write_text(CHILD_TESTS)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PIGGY_TEST_BACKSTOP_SLACK": "1"}
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests._backstop",
            "-p",
            "no:cacheprovider",
            "-v",
            f"--basetemp={tmp_path / 'base'}",
            "test_child.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 1, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert "test_keeps_to_its_bound PASSED" in done.stdout
    assert "test_has_no_bound_and_outlives_the_first_ones_backstop PASSED" in done.stdout
    assert "Timeout (0:00:03)!" in done.stderr
    assert "in test_swallows_its_alarm" in done.stderr  # the hung test's frame, named
    # pytest-timeout's alarm did fire in the third test, and was swallowed there
    assert (tmp_path / "caught").read_text() == "Failed"
    assert elapsed < 30
