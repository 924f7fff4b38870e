"""shifts.md: which method returns each documented example, and what each call sends.

(The stateful tests and error codes are in ``tests/test_shifts.py``.)
"""

from __future__ import annotations

from . import UUID, Call, shape

START, END = "2024-12-01T09:00:00+00:00", "2024-12-01T17:30:00+00:00"

EXAMPLES: dict[str, Call] = {
    "List Shifts": lambda p: p.shifts.list(shop_uuid=UUID, status="approved"),
    "Create Shift": lambda p: p.shifts.create(
        contact_uuid=UUID, shop_uuid=UUID, started_at=START, ended_at=END, status="approved"
    ),
    "Find Shift by External ID": lambda p: p.shifts.find_one_by(external_id="ABC-123"),
    "Get Shift": lambda p: p.shifts.get(UUID),
    "Update Shift": lambda p: p.shifts.update(
        UUID, started_at=START, ended_at=END, status="approved"
    ),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "List Shifts",
        lambda p: p.shifts.list(
            shop_uuid=UUID, status="approved", team_uuid=UUID, page=2, limit=10
        ),
        "shop_uuid",
        "status",
        "team_uuid",
        "page",
        "limit",
    ),
    shape(
        "Create Shift",
        lambda p: p.shifts.create(
            contact_uuid=UUID,
            shop_uuid=UUID,
            started_at=START,
            ended_at=END,
            status="approved",
            external_id="ABC-123",
            team_uuid=UUID,
            shift_type_uuid=UUID,
            break_in_minutes=30,
        ),
        "contact_uuid",
        "shop_uuid",
        "started_at",
        "ended_at",
        "status",
        "external_id",
        "team_uuid",
        "shift_type_uuid",
        "break_in_minutes",
    ),
    shape(
        "Find Shift by External ID",
        lambda p: p.shifts.find_one_by(external_id="ABC-123"),
        "external_id",
    ),
    shape("Get Shift", lambda p: p.shifts.get(UUID)),
    shape(
        "Update Shift",
        lambda p: p.shifts.update(
            UUID,
            started_at=START,
            ended_at=END,
            status="pending",
            contact_uuid=UUID,
            team_uuid=UUID,
            break_in_minutes=15,
        ),
        "started_at",
        "ended_at",
        "status",
        "contact_uuid",
        "team_uuid",
        "break_in_minutes",
    ),
    shape("Delete Shift", lambda p: p.shifts.delete(UUID)),
]
