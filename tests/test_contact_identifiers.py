"""Contact identifiers (docs page ``contact-identifiers``): update against the fake."""

from __future__ import annotations

import pytest

from piggy_async import AsyncPiggy, InvalidArgumentError
from piggy_async.testing import FakePiggy

from .test_endpoints import assert_sent


async def test_update_renames_and_deactivates(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    await piggy.contact_identifiers.create(contact_identifier_value="CARD-7")
    updated = await piggy.contact_identifiers.update(
        contact_identifier_value="CARD-7",
        contact_identifier_name="Old card",
        contact_identifier_active=False,
    )
    assert_sent(
        fake,
        "PUT",
        "/contact-identifiers",
        json={
            "contact_identifier_value": "CARD-7",
            "contact_identifier_name": "Old card",
            "contact_identifier_active": False,
        },
    )
    assert (updated.value, updated.name, updated.active) == ("CARD-7", "Old card", False)
    found = await piggy.contact_identifiers.find_one_by(contact_identifier_value="CARD-7")
    assert (found.name, found.active) == ("Old card", False)


async def test_update_checks_active_is_a_bool(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    with pytest.raises(InvalidArgumentError, match="contact_identifier_active"):
        await piggy.contact_identifiers.update(
            contact_identifier_value="CARD-7",
            contact_identifier_active="no",  # type: ignore[arg-type]
        )
    assert fake.requests == []
