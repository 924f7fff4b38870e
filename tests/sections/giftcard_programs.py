"""giftcard-programs.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import Call, shape

EXAMPLES: dict[str, Call] = {
    "List Giftcard Programs": lambda p: p.giftcard_programs.list(),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [shape("List Giftcard Programs", lambda p: p.giftcard_programs.list())]
