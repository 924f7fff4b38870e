"""shift-types.md: which method returns each documented example, and what each call sends.

(The stateful tests and error codes are in ``tests/test_shift_types.py``.)
"""

from __future__ import annotations

from . import UUID, Call, shape

NIGHT = {"name": "Night", "description": "Shifts between 23:00 and 06:00"}

EXAMPLES: dict[str, Call] = {
    "List Shift Types": lambda p: p.shift_types.list(),
    "Create Shift Type": lambda p: p.shift_types.create(**NIGHT),
    "Find Shift Type by Name": lambda p: p.shift_types.find_one_by(name="Night"),
    "Get Shift Type": lambda p: p.shift_types.get(UUID),
    "Update Shift Type": lambda p: p.shift_types.update(UUID, **NIGHT),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Shift Types", lambda p: p.shift_types.list(page=1, limit=1), "page", "limit"),
    shape("Create Shift Type", lambda p: p.shift_types.create(**NIGHT), "name", "description"),
    shape("Find Shift Type by Name", lambda p: p.shift_types.find_one_by(name="Night"), "name"),
    shape("Get Shift Type", lambda p: p.shift_types.get(UUID)),
    shape(
        "Update Shift Type", lambda p: p.shift_types.update(UUID, **NIGHT), "name", "description"
    ),
]
