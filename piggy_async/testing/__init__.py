"""Test against Piggy without Piggy: the fake server, its store, faults and request log.

::

    from piggy_async.testing import FakePiggy

    async with FakePiggy(contacts=3) as fake:
        async with fake.client() as piggy:
            ...

With pytest, the ``fake_piggy`` fixture of the opt-in plugin does this for you
(``pytest_plugins = ["piggy_async.testing.pytest_plugin"]``; its type: ``FakePiggyFixture``).
"""

from typing import TYPE_CHECKING, Any

from ._faults import Fault, Faults
from ._store import Store
from .server import API_PREFIX, FakePiggy, RecordedRequest

if TYPE_CHECKING:
    from .pytest_plugin import FakePiggyFixture

__all__ = [
    "API_PREFIX",
    "FakePiggy",
    "FakePiggyFixture",
    "Fault",
    "Faults",
    "RecordedRequest",
    "Store",
]


def __getattr__(name: str) -> Any:
    # FakePiggyFixture lives in the pytest plugin, which imports pytest: load it on demand only.
    if name == "FakePiggyFixture":
        from .pytest_plugin import FakePiggyFixture

        return FakePiggyFixture
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
