"""forms.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import Call, shape

EXAMPLES: dict[str, Call] = {
    "List Forms": lambda p: p.forms.list(status="PUBLISHED", type="PUBLIC"),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Forms", lambda p: p.forms.list()),
    shape(
        "List Forms",
        lambda p: p.forms.list(status="DRAFT", type="PRIVATE"),
        "status",
        "type",
    ),
]
