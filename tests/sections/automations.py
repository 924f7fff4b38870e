"""automations.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Automations": lambda p: p.automations.list(),
    "Create Automation Run": lambda p: p.automations.create_run(
        automation_uuid=UUID, contact_uuid=UUID
    ),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Automations", lambda p: p.automations.list()),
    shape(
        "Create Automation Run",
        lambda p: p.automations.create_run(automation_uuid=UUID, contact_uuid=UUID),
        "automation_uuid",
        "contact_uuid",
    ),
    shape(
        "Create Automation Run",
        lambda p: p.automations.create_run(
            automation_uuid=UUID, contact_uuid=UUID, data={"points": 10}
        ),
        "automation_uuid",
        "contact_uuid",
        "data",
    ),
]
