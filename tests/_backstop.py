"""A second bound on every test, for when pytest-timeout's bound does not stop it.

pytest-timeout's ``signal`` method raises its ``Failed`` from a SIGALRM handler in whatever
code runs at that moment. Inside an event loop that can be a task's step, which stores the
exception in the task instead of ending the test, or code that catches ``BaseException``:
the test then runs on past its bound (seen in a loaded run of the old whole-table argument
sweep, and once as a run that hung for about 800 s). Here faulthandler's watchdog thread,
which needs neither the main thread nor the GIL, dumps every thread's traceback to the real
stderr and ends the process (exit status 1) at twice the test's bound plus 5 s: a hung test
is one clear failure with its stack, never a stalled CI. (``PIGGY_TEST_BACKSTOP_SLACK``
sets the 5 s, for the backstop's own test.)
"""

from __future__ import annotations

import faulthandler
import os
from collections.abc import Generator

import pytest
import pytest_timeout  # type: ignore[import-untyped]

_STDERR = pytest.StashKey[int]()


def bound_of(item: pytest.Item) -> float | None:
    """The test's pytest-timeout bound in seconds (its marker's, else the option's, the
    ``PYTEST_TIMEOUT`` variable's or the ini's, as pytest-timeout reads them), or None."""
    marker = item.get_closest_marker("timeout")
    value: object = None
    if marker is not None:
        value = marker.args[0] if marker.args else marker.kwargs.get("timeout")
    if value is None:
        value = pytest_timeout.get_env_settings(item.config).timeout
    try:
        seconds = float(value) if isinstance(value, (int, float, str)) else 0.0
    except ValueError:
        return None
    return seconds if seconds > 0 else None


def pytest_configure(config: pytest.Config) -> None:
    # Capture is suspended while plugins are configured: fd 2 is the real stderr here.
    config.stash[_STDERR] = os.dup(2)


def pytest_unconfigure(config: pytest.Config) -> None:
    os.close(config.stash[_STDERR])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    bound = bound_of(item)
    if bound is None:
        return (yield)
    slack = float(os.environ.get("PIGGY_TEST_BACKSTOP_SLACK", "5"))
    faulthandler.dump_traceback_later(2 * bound + slack, file=item.config.stash[_STDERR], exit=True)
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()
