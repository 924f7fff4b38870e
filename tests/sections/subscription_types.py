"""subscription-types.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import Call, shape

EXAMPLES: dict[str, Call] = {
    "List Subscription Types": lambda p: p.subscription_types.list(),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [shape("List Subscription Types", lambda p: p.subscription_types.list())]
