"""Opt-in: run the async tests on uvloop's event loop instead of asyncio's.

    pip install uvloop
    python -m pytest -p tests.uvloop_loops

(pytest-asyncio's ``pytest_asyncio_loop_factories`` hook; ``docs/testing.md`` has the last
run's result.) Not part of CI: uvloop is no dependency of the project.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
import uvloop


@pytest.hookimpl(optionalhook=True)
def pytest_asyncio_loop_factories(config: Any, item: Any) -> Mapping[str, Callable[[], Any]]:
    return {"uvloop": uvloop.new_event_loop}
