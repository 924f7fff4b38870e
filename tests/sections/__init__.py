"""Per-section mappings from Piggy's docs to the client's public methods.

One module per API section (``tests/sections/<section>.py``, the docs page's name with
``_`` for ``-``), each exporting:

- ``EXAMPLES``: ``{"<docs heading>": call}``, ``call(piggy)`` the awaitable of the public
  method that returns that section's "Response Example";
- ``SHAPES``: ``[Shape(...)]``, what a method call sends, checked against the docs'
  documented parameters (``tests/test_request_shapes.py``);
- ``MISSING``: ``{"<docs heading>": reason}`` for documented calls with no method yet;
- ``XFAIL``: ``{"<docs heading>": reason}`` for examples that do not decode yet (strict:
  one that starts decoding fails until its entry is removed).

``tests/test_docs_examples.py`` serves each example from the fake server's fault hook for
the documented verb and path, calls the method and checks what it decoded.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from piggy_async import AsyncPiggy

Call = Callable[[AsyncPiggy], Awaitable[Any]]

#: A UUID for path parameters (the fake's fault hook answers whatever it is).
UUID = "c0ffee00-0000-4000-8000-000000000000"
EMAIL = "john@doe.com"


@dataclass(frozen=True)
class Shape:
    """One method call and the body or query keys it should send (``sends``).

    ``xfail``: why the client does not send this yet (strict).
    """

    heading: str
    call: Call
    sends: frozenset[str]
    xfail: str | None = None


def shape(heading: str, call: Call, *sends: str, xfail: str | None = None) -> Shape:
    return Shape(heading, call, frozenset(sends), xfail)


def load() -> dict[str, ModuleType]:
    """Every section mapping module, by section name."""
    return {
        info.name: importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    }
