"""shift-teams.md: which method returns each documented example, and what each call sends.

(The stateful tests and error codes are in ``tests/test_shift_teams.py``.)
"""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Teams": lambda p: p.shift_teams.list(),
    "Create Team": lambda p: p.shift_teams.create(name="Management"),
    "Find Team by Name": lambda p: p.shift_teams.find_one_by(name="Management"),
    "Get Team": lambda p: p.shift_teams.get(UUID),
    "Update Team": lambda p: p.shift_teams.update(UUID, name="Management"),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Teams", lambda p: p.shift_teams.list(page=2, limit=100), "page", "limit"),
    shape("Create Team", lambda p: p.shift_teams.create(name="Management"), "name"),
    shape("Find Team by Name", lambda p: p.shift_teams.find_one_by(name="Management"), "name"),
    shape("Get Team", lambda p: p.shift_teams.get(UUID)),
    shape("Update Team", lambda p: p.shift_teams.update(UUID, name="Management"), "name"),
]
