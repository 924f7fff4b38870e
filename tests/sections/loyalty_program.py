"""loyalty-program.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import Call, shape

EXAMPLES: dict[str, Call] = {
    "Get Loyalty Program": lambda p: p.loyalty_program.get(),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [shape("Get Loyalty Program", lambda p: p.loyalty_program.get())]
