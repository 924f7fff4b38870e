"""Test against Piggy without Piggy: the fake server, its store, faults and request log.

::

    from piggy_async.testing import FakePiggy

    async with FakePiggy(contacts=3) as fake:
        async with fake.client() as piggy:
            ...

With pytest, the ``fake_piggy`` fixture of the bundled plugin does this for you.
"""

from ._faults import Fault, Faults
from ._store import Store
from .server import API_PREFIX, FakePiggy, RecordedRequest

__all__ = ["API_PREFIX", "FakePiggy", "Fault", "Faults", "RecordedRequest", "Store"]
