"""units.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import Call, shape

EXAMPLES: dict[str, Call] = {
    "List Units": lambda p: p.units.list(),
    # "test2" is the fake's seeded unit: the call fails there with 55045 (test_fake_errors)
    "Create Unit": lambda p: p.units.create(name="test2", label="Calories"),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Units", lambda p: p.units.list()),
    shape("Create Unit", lambda p: p.units.create(name="test2", label="Calories"), "name", "label"),
    shape(
        "Create Unit",
        lambda p: p.units.create(name="test2", label="Calories", is_default=True, prefix="t"),
        "name",
        "label",
        "is_default",
        "prefix",
    ),
]
