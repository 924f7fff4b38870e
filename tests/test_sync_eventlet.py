"""Under eventlet's monkey-patching the sync facade refuses with a clear error (not a hang)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_standin import run_script, standin

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("eventlet") is None,
    reason="eventlet is not installed (pip install eventlet): the eventlet case cannot run",
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with standin() as url:
        yield url


def test_eventlet_patching_is_refused_clearly(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        import warnings
        warnings.simplefilter("ignore")          # eventlet's own deprecation notice
        import eventlet
        eventlet.monkey_patch()
        warnings.simplefilter("error")
        from piggy_async import ConfigurationError
        from piggy_sync import Piggy

        piggy = Piggy(api_key="k", base_url=BASE_URL)
        try:
            piggy.contacts.get("x")
        except ConfigurationError as exc:
            print("refused:", exc)
        """,
        base_url,
        tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "refused: piggy_sync does not run under eventlet" in done.stdout
    assert "gevent" in done.stdout
