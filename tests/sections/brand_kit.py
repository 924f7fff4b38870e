"""brand-kit.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import Call, shape

EXAMPLES: dict[str, Call] = {
    "Get Brand Kit": lambda p: p.brand_kit.get(),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [shape("Get Brand Kit", lambda p: p.brand_kit.get())]
