"""visits.md: which method returns each documented example, and what each call sends.

(The stateful tests and error codes are in ``tests/test_visits.py``. "Create Visit" flags
``external_id`` ``UNIQUE | OPTIONAL``, which the docs parser does not read yet, so no row
here sends it on create; ``tests/test_visits.py`` checks it.)
"""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "Create Visit": lambda p: p.visits.create(shop_uuid=UUID, contact_uuid=UUID),
    "Update Visit": lambda p: p.visits.update(UUID, source="Website"),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "Create Visit",
        lambda p: p.visits.create(
            shop_uuid=UUID,
            contact_uuid=UUID,
            source="Website",
            starts_at="2024-05-01T20:00:00+00:00",
            ends_at="2024-05-01T22:30:00+00:00",
        ),
        "shop_uuid",
        "contact_uuid",
        "source",
        "starts_at",
        "ends_at",
    ),
    shape(
        "Update Visit",
        lambda p: p.visits.update(UUID, external_id="V-0012", ends_at="2024-05-01T22:30:00Z"),
        "external_id",
        "ends_at",
    ),
]
